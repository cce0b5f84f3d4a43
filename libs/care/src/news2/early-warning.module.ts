import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { EarlyWarningService } from './early-warning.service';

/**
 * NEWS2 from vitals, alerts (Flag + notification) and the waiting-room priority (the consultation
 * rooms read the Flag: RoomsService.queue).
 */
@Module({
  imports: [HealthRecordModule, NotifyModule],
  providers: [EarlyWarningService],
  exports: [EarlyWarningService],
})
export class EarlyWarningModule {}
