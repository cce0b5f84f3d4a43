import { Global, Module } from '@nestjs/common';
import { BOOKING_CHECKS } from '@mekong/scheduling';
import { CareBookingGate } from '../eligibility/booking-gate';
import { TriageRecordService } from './triage-record.service';

/**
 * Pre-visit triage (Questionnaire → urgency, stored as a RiskAssessment) and the telehealth
 * eligibility gate at booking. Global so that scheduling's BookingService finds the gate under
 * BOOKING_CHECKS (it injects it as optional: scheduling works without care).
 */
@Global()
@Module({
  providers: [
    TriageRecordService,
    CareBookingGate,
    { provide: BOOKING_CHECKS, useExisting: CareBookingGate },
  ],
  exports: [BOOKING_CHECKS],
})
export class TriageCareModule {}
