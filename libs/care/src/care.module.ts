import { Module } from '@nestjs/common';
import { EarlyWarningModule } from './news2/early-warning.module';
import { ImmunizationCareModule } from './immunization/immunization-care.module';
import { TriageCareModule } from './triage/triage-care.module';

/**
 * Proactive care: deterministic, explainable rules (every output names its rule and source) on
 * top of the health record and scheduling. Its reactions to record writes run inside the writing
 * transaction (FhirStore RecordObserver), so a derived resource or a reminder exists exactly when
 * the change that caused it commits. Hosted wherever the record is written (platform,
 * health-record deployable).
 */
@Module({
  imports: [ImmunizationCareModule, EarlyWarningModule, TriageCareModule],
})
export class CareModule {}
