import { Module } from '@nestjs/common';

/** Vaccination forecasts kept current in the record (ImmunizationRecommendation) and family reminders. */
@Module({})
export class ImmunizationCareModule {}
