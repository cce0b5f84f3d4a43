import { Module } from '@nestjs/common';
import { EarlyWarningService } from './early-warning.service';

/**
 * NEWS2 from vitals, alerts (Flag + notification) and the waiting-room priority (the consultation
 * rooms read the Flag: RoomsService.queue). FhirStore and NotificationService come from the
 * global HealthRecordModule and NotifyModule of the hosting deployable.
 */
@Module({
  providers: [EarlyWarningService],
  exports: [EarlyWarningService],
})
export class EarlyWarningModule {}
