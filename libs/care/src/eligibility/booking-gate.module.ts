import { Module, type OnModuleInit } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { BookingService, SchedulingModule } from '@mekong/scheduling';
import { CareBookingGate } from './booking-gate';

/**
 * The telehealth booking gate (emergency triage, eligibility), plugged into scheduling through
 * the extension point it declares (BookingService.addChecks). Composed by the deployables that
 * book (platform, scheduling); the record's deployable hosts care without it.
 */
@Module({
  imports: [HealthRecordModule, SchedulingModule],
  providers: [CareBookingGate],
})
export class CareBookingModule implements OnModuleInit {
  constructor(
    private readonly bookings: BookingService,
    private readonly gate: CareBookingGate,
  ) {}

  onModuleInit(): void {
    this.bookings.addChecks(this.gate);
  }
}
