import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { SigningModule } from '@mekong/signing';
import { TerminologyModule } from '@mekong/terminology';
import { CredentialsRepository } from './credentials.repository';
import { EprescriptionChecks } from './eprescription-checks.service';
import { EprescriptionConfig } from './eprescription-config';
import { EprescriptionController } from './eprescription.controller';
import { EPRESCRIPTION_DATABASE } from './eprescription.database';
import { EprescriptionService } from './eprescription.service';
import { PrescriptionOutbox } from './prescription-outbox';
import { PrescriptionSender } from './prescription-sender';
import { PrescriptionRepository } from './prescription.repository';

/**
 * National e-prescriptions (docs/eprescription.md, decision 029): MedicationRequests of a visit
 * become prescriptions of the national system — code, outbox job, sign-in, submission, the code back
 * on the record. Imported wherever MedicationRequests are written (the write-back of a visit).
 */
@Module({
  imports: [
    DatabaseModule.forContext(EPRESCRIPTION_DATABASE),
    HealthRecordModule,
    NotifyModule,
    TerminologyModule,
    SigningModule,
  ],
  controllers: [EprescriptionController],
  providers: [
    EprescriptionConfig,
    CredentialsRepository,
    PrescriptionRepository,
    EprescriptionChecks,
    EprescriptionService,
    PrescriptionOutbox,
    PrescriptionSender,
  ],
  exports: [EprescriptionChecks],
})
export class EprescriptionModule {}
