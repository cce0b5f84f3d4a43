import { Module } from '@nestjs/common';
import { HealthRecordModule } from '@mekong/health-record';
import { NotifyModule } from '@mekong/notify';
import { News2AlertsModule } from '../alerts/news2-alerts.module';
import { EarlyWarningService } from './early-warning.service';

/**
 * NEWS2 from vitals, alerts (Flag + notification to whoever is on duty, acknowledgement, escalation)
 * and the waiting-room priority (the consultation rooms read the Flag: RoomsService.queue).
 */
@Module({
  imports: [HealthRecordModule, NotifyModule, News2AlertsModule],
  providers: [EarlyWarningService],
  exports: [EarlyWarningService],
})
export class EarlyWarningModule {}
