import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { TriageRecordService } from './triage-record.service';

/** Pre-visit triage: a Questionnaire → urgency, stored as a RiskAssessment (a record observer). */
@Module({
  imports: [HealthRecordModule],
  providers: [TriageRecordService],
})
export class TriageCareModule {}
