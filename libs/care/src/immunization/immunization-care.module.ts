import { Module } from '@nestjs/common';
import { ImmunizationDueController } from './immunization-due.controller';
import { ImmunizationForecastService } from './immunization-forecast.service';

/**
 * Vaccination forecasts kept current in the record (ImmunizationRecommendation) and family
 * reminders (docs/care.md "Immunization"). Uses the global health-record and notify modules.
 */
@Module({
  controllers: [ImmunizationDueController],
  providers: [ImmunizationForecastService],
  exports: [ImmunizationForecastService],
})
export class ImmunizationCareModule {}
