import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { SchedulingModule } from '@mekong/scheduling';
import { ClaimsRecordModule } from '@mekong/claims';
import { EprescriptionModule } from '@mekong/eprescription';
import { SigningModule } from '@mekong/signing';
import { CONSULTATION_DATABASE } from './consultation.database';
import { MediaWorkerPool } from './media/media-worker-pool';
import { ConsultationGateway } from './visit/consultation.gateway';
import { RoomsService } from './visit/rooms.service';
import { VisitFilesController } from './visit/visit-files.controller';
import { WaitingController } from './visit/waiting.controller';
import { WritebackService } from './visit/writeback.service';

/**
 * Video visits: rooms with a waiting room, socket.io signaling (`/consultation`), the mediasoup
 * media plane, and the write-back of a finished visit into the record (through the health
 * record's API, the appointment through scheduling's).
 */
@Module({
  imports: [
    DatabaseModule.forContext(CONSULTATION_DATABASE),
    HealthRecordModule,
    NotifyModule,
    SchedulingModule,
    SigningModule,
    EprescriptionModule,
    // A visit's insurance check-in when it starts; its claim is queued when it is written.
    ClaimsRecordModule,
  ],
  controllers: [VisitFilesController, WaitingController],
  providers: [MediaWorkerPool, RoomsService, WritebackService, ConsultationGateway],
  exports: [MediaWorkerPool, WritebackService, RoomsService],
})
export class ConsultationModule {}
