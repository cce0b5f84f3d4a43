import { Module, type OnModuleInit } from '@nestjs/common';
import { ACCOUNT_NOTICES } from '@mekong/auth';
import { DatabaseModule } from '@mekong/database';
import { BreakGlassService, HealthRecordModule } from '@mekong/health-record';
import { AccountNoticesService } from './account-notices.service';
import { BreakGlassAlertsService } from './break-glass-alerts.service';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from './channels/channel';
import { SmtpEmailChannel } from './channels/email.channel';
import { InAppGateway } from './channels/in-app.gateway';
import { SmppSmsChannel } from './channels/sms.channel';
import { WebhookChannel } from './channels/webhook.channel';
import { ZaloZnsChannel } from './channels/zalo.channel';
import { JobQueue } from './job-queue';
import { DeliveryRecords } from './delivery-records';
import { PreferencesController } from './preferences/preferences.controller';
import { PreferencesRepository } from './preferences/preferences.repository';
import { NotificationService } from './notification.service';
import { EmailRepository } from './email/email.repository';
import { NOTIFY_DATABASE } from './notify.database';
import { SmsOptOutsController } from './sms/sms-opt-outs.controller';
import { SmsRepository } from './sms/sms.repository';
import { ZaloRepository } from './zalo/zalo.repository';

/**
 * Durable jobs (pg-boss in PostgreSQL) and notifications (recorded once, kept as FHIR
 * Communications, delivered in-app over socket.io, to a signed webhook, by SMS over SMPP, by
 * email over SMTP and by Zalo ZNS to those who opted in). Shared by scheduling (appointment
 * reminders) and proactive care (vaccination reminders).
 */
@Module({
  // Notifications are kept as Communications in the recipient's record.
  imports: [DatabaseModule.forContext(NOTIFY_DATABASE), HealthRecordModule],
  controllers: [SmsOptOutsController, PreferencesController],
  providers: [
    JobQueue,
    InAppGateway,
    WebhookChannel,
    SmsRepository,
    SmppSmsChannel,
    EmailRepository,
    SmtpEmailChannel,
    // Zalo (ZNS) only for people who opted in: NotificationService plans it from their preferences.
    ZaloRepository,
    ZaloZnsChannel,
    {
      provide: NOTIFICATION_CHANNELS,
      inject: [InAppGateway, WebhookChannel, SmppSmsChannel, SmtpEmailChannel, ZaloZnsChannel],
      useFactory: (...channels: NotificationChannel[]): NotificationChannel[] => channels,
    },
    DeliveryRecords,
    PreferencesRepository,
    NotificationService,
    AccountNoticesService,
    // Tells patients about changes to their sign-in (the identity context declares the port).
    { provide: ACCOUNT_NOTICES, useExisting: AccountNoticesService },
    BreakGlassAlertsService,
  ],
  exports: [JobQueue, NotificationService, ACCOUNT_NOTICES],
})
export class NotifyModule implements OnModuleInit {
  constructor(
    private readonly breakGlass: BreakGlassService,
    private readonly alerts: BreakGlassAlertsService,
  ) {}

  /** Alerts a practitioner's facility to each break-glass opening (the record's extension point). */
  onModuleInit(): void {
    this.breakGlass.useAlerts(this.alerts);
  }
}
