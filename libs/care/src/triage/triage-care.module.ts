import { Module } from '@nestjs/common';

/** Pre-visit triage (Questionnaire → urgency) and the telehealth eligibility gate at booking. */
@Module({})
export class TriageCareModule {}
