import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { ImmunizationDueController } from './immunization-due.controller';
import { ImmunizationForecastService } from './immunization-forecast.service';

/**
 * Vaccination forecasts kept current in the record (ImmunizationRecommendation) and family
 * reminders (docs/care.md "Immunization").
 */
@Module({
  imports: [HealthRecordModule, NotifyModule],
  controllers: [ImmunizationDueController],
  providers: [ImmunizationForecastService],
  exports: [ImmunizationForecastService],
})
export class ImmunizationCareModule {}
