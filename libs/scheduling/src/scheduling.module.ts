import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { ActionLinksController } from './action-links/action-links.controller';
import { AppointmentActionLinks } from './action-links/appointment-action-links';
import { AvailabilityController } from './availability/availability.controller';
import { AvailabilityService } from './availability/availability.service';
import { BOOKING_EVENTS, BookingService } from './booking/booking.service';
import { CalendarController } from './calendar/calendar.controller';
import { CalendarService } from './calendar/calendar.service';
import { BookingJobs } from './jobs/booking-jobs';
import { SchedulingJobs } from './jobs/scheduling-jobs';
import { WaitlistController } from './waitlist/waitlist.controller';
import { WaitlistService } from './waitlist/waitlist.service';
import { FindService } from './booking/find.service';
import { SchedulingOwner } from './booking/scheduling-owner';
import { SlotService } from './booking/slot.service';
import { SCHEDULING_DATABASE } from './scheduling.database';

/**
 * Availability, slots and booking. Slot and Appointment are resources of the lifelong record
 * (stored by the health record, searched like any other); scheduling owns their write rules and
 * the booking state (docs/decisions/006-scheduling-in-the-record.md).
 */
@Module({
  imports: [DatabaseModule.forContext(SCHEDULING_DATABASE), HealthRecordModule, NotifyModule],
  controllers: [AvailabilityController, WaitlistController, CalendarController, ActionLinksController],
  providers: [
    SlotService,
    BookingService,
    SchedulingOwner,
    FindService,
    AvailabilityService,
    WaitlistService,
    BookingJobs,
    SchedulingJobs,
    CalendarService,
    AppointmentActionLinks,
    { provide: BOOKING_EVENTS, useExisting: BookingJobs },
  ],
  exports: [BookingService, SlotService, AvailabilityService, AppointmentActionLinks],
})
export class SchedulingModule {}
