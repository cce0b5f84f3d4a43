export * from './scheduling.module';
export * from './scheduling.database';
export { AvailabilityService } from './availability/availability.service';
export { BookingService } from './booking/booking.service';
export { type BookingChecks, type BookingVerdict } from './booking/booking.service';
export {
  AppointmentActionLinks,
  type AppointmentAction,
  type ActionLinkPreview,
} from './action-links/appointment-action-links';
