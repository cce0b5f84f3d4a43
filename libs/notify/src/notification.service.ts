import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import type { DataSource, EntityManager } from 'typeorm';
import {
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type OutgoingNotification,
} from './channels/channel';
import { DeliveryRecords } from './delivery-records';
import { JobQueue } from './job-queue';
import { NOTIFY_CONTEXT } from './notify.database';
import type { NotificationTopic } from '@mekong/contracts';

export interface NotificationRequest {
  /** Identifies the notification: the same key is recorded and sent once, ever. */
  readonly dedupKey: string;
  /** One of the shared contract's topics (libs/contracts): a new kind is added there, for both sides. */
  readonly topic: NotificationTopic;
  readonly recipient: string;
  readonly subject?: string;
  readonly about?: string;
  readonly title: string;
  readonly text: { readonly vi: string; readonly en: string };
  /** communication-category: reminder, notification, alert. */
  readonly category?: 'reminder' | 'notification' | 'alert';
}

interface Row {
  id: string;
  topic: NotificationTopic;
  recipient: string;
  subject: string | null;
  about: string | null;
  title: string;
  body: { vi: string; en: string; contact?: { phone?: string; email?: string } };
  communication_id: string | null;
  created_at: Date;
}

const DELIVER = 'notify.deliver';
/** Channels whose deliveries reach a person outside the app: each kept as a Communication in the record. */
const RECORDED_CHANNELS = new Set(['sms', 'email', 'zalo']);

/**
 * Notifications: recorded once (dedup key), kept in the patient's record as a FHIR Communication
 * (the durable inbox), and delivered per channel by durable jobs enqueued in the same transaction.
 */
/** Notifications are the server's own writes (and reads of the recipient's contact): this reason. */
const NOTIFICATION = SystemReason.of(SYSTEM_REASONS.notification);

@Injectable()
export class NotificationService implements OnModuleInit {
  constructor(
    private readonly store: FhirStore,
    private readonly jobs: JobQueue,
    @Inject(NOTIFICATION_CHANNELS) private readonly channels: NotificationChannel[],
    @InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly records: DeliveryRecords,
  ) {}

  onModuleInit(): void {
    // Deliveries run side by side (a morning batch fills the SMPP window); one running when the
    // process is killed counts as lost after NOTIFY_DELIVERY_EXPIRE_SECONDS (longer than a delivery
    // takes: an SMS part waits at most 30 s for its submit_sm_resp) and is run again — its SMS parts
    // with a recorded submit_sm_resp are not sent again.
    this.jobs.work<{ notificationId: string; channel: string }>(
      DELIVER,
      (d) => this.deliver(d.notificationId, d.channel),
      {
        expireInSeconds: this.config.notify.deliveryExpireSeconds,
        concurrency: this.config.notify.concurrency,
      },
    );
  }

  /** Records and schedules delivery inside `em`'s transaction; false if this key was already sent. */
  async notify(em: EntityManager, req: NotificationRequest): Promise<boolean> {
    const contact = await this.contactOf(em, req.recipient);
    const rows: { id: string; created_at: Date }[] = await em.query(
      `INSERT INTO notify.notification (dedup_key, topic, recipient, subject, about, title, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedup_key) DO NOTHING RETURNING id, created_at`,
      [
        req.dedupKey,
        req.topic,
        req.recipient,
        req.subject ?? null,
        req.about ?? null,
        req.title,
        JSON.stringify({ ...req.text, contact }),
      ],
    );
    const row = rows[0];
    if (!row) return false;
    const { version } = await this.store.create(
      em,
      'Communication',
      {
        resourceType: 'Communication',
        status: 'completed',
        category: [
          {
            coding: [
              {
                system: 'http://terminology.hl7.org/CodeSystem/communication-category',
                code: req.category ?? 'notification',
              },
            ],
          },
        ],
        ...(req.subject ? { subject: { reference: req.subject } } : {}),
        recipient: [{ reference: req.recipient }],
        ...(req.about ? { about: [{ reference: req.about }] } : {}),
        topic: { text: req.title },
        sent: new Date().toISOString(),
        payload: [{ contentString: req.text.vi }, { contentString: req.text.en }],
      },
      { access: NOTIFICATION },
    );
    await em.query(`UPDATE notify.notification SET communication_id = $2 WHERE id = $1`, [
      row.id,
      version.id,
    ]);
    const outgoing = this.outgoing({
      id: row.id,
      topic: req.topic,
      recipient: req.recipient,
      subject: req.subject ?? null,
      about: req.about ?? null,
      title: req.title,
      body: { ...req.text, contact },
      communication_id: version.id,
      created_at: row.created_at,
    });
    for (const channel of this.channels.filter((c) => c.accepts(outgoing))) {
      await em.query(
        `INSERT INTO notify.delivery (notification_id, channel, status) VALUES ($1, $2, 'pending')`,
        [row.id, channel.name],
      );
      // What reaches a person outside the app is kept in the record, with its delivery status.
      if (RECORDED_CHANNELS.has(channel.name))
        await this.records.create(em, {
          notificationId: String(row.id),
          channel: channel.name,
          recipient: req.recipient,
          ...(req.subject ? { subject: req.subject } : {}),
          ...(req.about ? { about: req.about } : {}),
          category: req.category ?? 'notification',
          communication: version.id,
        });
      await this.jobs.send(DELIVER, { notificationId: row.id, channel: channel.name }, { em });
    }
    return true;
  }

  private async contactOf(em: EntityManager, reference: string): Promise<{ phone?: string; email?: string }> {
    const [type, id] = reference.split('/');
    if (!type || !id) return {};
    const v = await this.store.read(type, id, NOTIFICATION, em).catch(() => undefined);
    const telecom = (
      (v?.content as { telecom?: { system?: string; value?: string }[] } | undefined)?.telecom ?? []
    ).filter((t) => typeof t.value === 'string');
    const phone = telecom.find((t) => t.system === 'phone' || t.system === 'sms')?.value;
    const email = telecom.find((t) => t.system === 'email')?.value;
    return { ...(phone ? { phone } : {}), ...(email ? { email } : {}) };
  }

  private outgoing(r: Row): OutgoingNotification {
    return {
      id: String(r.id),
      topic: r.topic,
      recipient: r.recipient,
      ...(r.subject ? { subject: r.subject } : {}),
      ...(r.about ? { about: r.about } : {}),
      title: r.title,
      text: { vi: r.body.vi, en: r.body.en },
      ...(r.body.contact && Object.keys(r.body.contact).length > 0 ? { contact: r.body.contact } : {}),
      ...(r.communication_id ? { communication: `Communication/${r.communication_id}` } : {}),
      createdAt: new Date(r.created_at).toISOString(),
    };
  }

  private async deliver(notificationId: string, channelName: string): Promise<void> {
    const channel = this.channels.find((c) => c.name === channelName);
    const rows: Row[] = await this.db.query(`SELECT * FROM notify.notification WHERE id = $1`, [
      notificationId,
    ]);
    const row = rows[0];
    if (!channel || !row) return;
    const done: unknown[] = await this.db.query(
      `SELECT 1 FROM notify.delivery WHERE notification_id = $1 AND channel = $2
          AND status IN ('submitted', 'delivered', 'refused')`,
      [notificationId, channelName],
    );
    if (done.length > 0) {
      // A re-run after a crash: already handed over; its record may still need the status.
      await this.records.sync(notificationId, channelName);
      return;
    }
    try {
      const outcome = await channel.deliver(this.outgoing(row));
      if (outcome?.status === 'refused')
        await this.db.query(
          `UPDATE notify.delivery SET status = 'refused', attempts = attempts + 1, last_error = $3
            WHERE notification_id = $1 AND channel = $2`,
          [notificationId, channelName, outcome.reason.slice(0, 500)],
        );
      else
        // A submitted one becomes delivered (or failed) when the gateway reports it; a report that
        // came while the job was finishing is applied here (settle), the delivery row locked.
        await this.db.transaction(async (em) => {
          await em.query(
            `UPDATE notify.delivery SET status = $3, attempts = attempts + 1, last_error = NULL,
                    delivered_at = CASE WHEN $3::text = 'delivered' THEN now() END,
                    sent_text = COALESCE($4, sent_text)
              WHERE notification_id = $1 AND channel = $2 AND status IN ('pending', 'failed')`,
            [
              notificationId,
              channelName,
              outcome?.status === 'submitted' ? 'submitted' : 'delivered',
              (outcome && 'sent' in outcome ? outcome.sent : undefined) ?? null,
            ],
          );
          if (outcome?.status === 'submitted') await channel.settle?.(em, notificationId);
        });
    } catch (err) {
      await this.db.query(
        `UPDATE notify.delivery SET status = 'failed', attempts = attempts + 1, last_error = $3 WHERE notification_id = $1 AND channel = $2`,
        [notificationId, channelName, err instanceof Error ? err.message.slice(0, 500) : String(err)],
      );
      await this.records.sync(notificationId, channelName).catch(() => undefined);
      throw err;
    }
    await this.records.sync(notificationId, channelName);
  }
}
