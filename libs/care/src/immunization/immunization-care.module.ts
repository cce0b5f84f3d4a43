import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { ImmunizationDueController } from './immunization-due.controller';
import { ImmunizationForecastService } from './immunization-forecast.service';

/**
 * Vaccination forecasts kept current in the record (ImmunizationRecommendation) and family
 * reminders: a reaction to record writes (a pregnancy diagnosed at a video visit changes a
 * woman's tetanus schedule), so every deployable that writes the record imports it.
 */
@Module({
  imports: [HealthRecordModule, NotifyModule],
  providers: [ImmunizationForecastService],
  exports: [ImmunizationForecastService],
})
export class ImmunizationForecastModule {}

/** The forecasts with the station's due list (docs/care.md "Immunization"). */
@Module({
  imports: [HealthRecordModule, NotifyModule, ImmunizationForecastModule],
  controllers: [ImmunizationDueController],
  exports: [ImmunizationForecastModule],
})
export class ImmunizationCareModule {}
