export * from './common/types';
export { CARE_ZONE, type AgeDuration } from './common/dates';
export * from './immunization/schedule';
export * from './immunization/forecast';
export * from './immunization/recommendation';
export * from './news2/news2';
export * from './news2/news2-flag';
export * from './triage/triage-rules';
export * from './triage/triage';
export { triageLevelOf } from './triage/triage-record';
export * from './eligibility/conditions';
export * from './eligibility/eligibility';
export { CareModule } from './care.module';
export { CARE_DATABASE } from './alerts/care.database';
/** The duty roster, for the contexts that route work to whoever is on call (e-consultations). */
export { News2AlertsModule } from './alerts/news2-alerts.module';
export { DutyRosterRepository, type DutyShift } from './roster/duty-roster.repository';
export { CareBookingModule } from './eligibility/booking-gate.module';
export { CareWaitingRoomModule } from './news2/news2-waiting-room';
