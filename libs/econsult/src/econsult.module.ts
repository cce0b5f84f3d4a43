import { Module } from '@nestjs/common';
import { News2AlertsModule } from '@mekong/care';
import { DatabaseModule } from '@mekong/database';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { EconsultCaseRepository } from './econsult-case.repository';
import { EconsultDuty } from './econsult-duty';
import { EconsultEscalationService } from './econsult-escalation.service';
import { EconsultNotices } from './econsult-notices';
import { EconsultUploadsController } from './econsult-uploads.controller';
import { EconsultUploadsService } from './econsult-uploads.service';
import { EconsultController } from './econsult.controller';
import { ECONSULT_DATABASE } from './econsult.database';
import { EconsultService } from './econsult.service';

/**
 * Store-and-forward consultations (docs/econsult.md, docs/decisions/025-store-and-forward-econsult.md):
 * cases in the patient's record (ServiceRequest, Task, Consent, DocumentReference, Communication),
 * the workflow in econsult's own schema, the duty roster from care, notices and the escalation job
 * through notify.
 */
@Module({
  imports: [
    DatabaseModule.forContext(ECONSULT_DATABASE),
    HealthRecordModule,
    NotifyModule,
    News2AlertsModule,
  ],
  controllers: [EconsultController, EconsultUploadsController],
  providers: [
    EconsultCaseRepository,
    EconsultDuty,
    EconsultNotices,
    EconsultService,
    EconsultEscalationService,
    EconsultUploadsService,
  ],
  exports: [EconsultService],
})
export class EconsultModule {}
