export * from './scheduling.module';
export * from './scheduling.database';
export { AvailabilityService } from './availability/availability.service';
export { BookingService } from './booking/booking.service';
// care: booking checks hook
export { BOOKING_CHECKS, type BookingChecks } from './booking/booking.service';
