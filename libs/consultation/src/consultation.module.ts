import { Module } from '@nestjs/common';
import { DatabaseModule } from '@mekong/database';
import { CONSULTATION_DATABASE } from './consultation.database';
import { MediaWorkerPool } from './media/media-worker-pool';

/** Video visits bounded context: rooms, signaling and the mediasoup media plane. */
@Module({
  imports: [DatabaseModule.forContext(CONSULTATION_DATABASE)],
  providers: [MediaWorkerPool],
  exports: [MediaWorkerPool],
})
export class ConsultationModule {}
