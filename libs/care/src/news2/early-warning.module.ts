import { Module } from '@nestjs/common';

/** NEWS2 from vitals, alerts (Flag + notification) and the waiting-room priority. */
@Module({})
export class EarlyWarningModule {}
