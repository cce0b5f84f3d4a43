import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import { InjectDataSource } from '@mekong/database';
import {
  FhirStore,
  parseSearchRequest,
  SearchService,
  SYSTEM_REASONS,
  SystemReason,
} from '@mekong/health-record';
import { DateTime } from 'luxon';
import type { DataSource, EntityManager } from 'typeorm';
import {
  NOTIFICATION_CHANNELS,
  type NotificationChannel,
  type OutgoingNotification,
} from './channels/channel';
import { DeliveryRecords } from './delivery-records';
import { JobQueue } from './job-queue';
import { NOTIFY_CONTEXT } from './notify.database';
import type { NotificationPreferences, NotificationTopic } from '@mekong/contracts';
import { notBefore, URGENT_TOPICS } from './preferences/quiet-hours';
import { PreferencesRepository } from './preferences/preferences.repository';

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
  /**
   * A single-use link the message outside the app may carry (confirm or cancel an appointment,
   * AppointmentActionLinks): an address and a token, no health data. Not written into the record.
   */
  readonly link?: string;
}

interface Row {
  id: string;
  topic: NotificationTopic;
  recipient: string;
  subject: string | null;
  about: string | null;
  title: string;
  body: {
    vi: string;
    en: string;
    contact?: { phone?: string; email?: string };
    language?: 'vi' | 'en';
    link?: string;
  };
  communication_id: string | null;
  created_at: Date;
}

const DELIVER = 'notify.deliver';
const FALLBACK = 'notify.fallback';
/** Channels that reach a person outside the app: chosen in the person's order, one at a time, each kept as a Communication in the record. */
const PERSON_CHANNELS = new Set<string>(['sms', 'email', 'zalo']);
/** Under 16 (Law on Children 102/2016/QH13, art. 1): a child's notices go to its guardians when it has any. */
const CHILD_UNDER_YEARS = 16;

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
    private readonly preferences: PreferencesRepository,
    private readonly search: SearchService,
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
    // Not confirmed in time (an SMS without its delivery receipt) or refused: the next channel.
    this.jobs.work<{ notificationId: string; channel: string }>(FALLBACK, (d) =>
      this.fallback(d.notificationId, d.channel),
    );
  }

  /**
   * Records and schedules delivery inside `em`'s transaction; false if this key was already sent.
   * A child's (under 16) notices go to its guardians (RelatedPerson) instead, one notification each.
   */
  async notify(em: EntityManager, req: NotificationRequest): Promise<boolean> {
    if (req.recipient.startsWith('Patient/')) {
      const guardians = await this.guardiansOfChild(em, req.recipient);
      if (guardians.length > 0) {
        let any = false;
        for (const guardian of guardians)
          any =
            (await this.notifyOne(em, {
              ...req,
              dedupKey: `${req.dedupKey}:${guardian}`,
              recipient: guardian,
              subject: req.subject ?? req.recipient,
            })) || any;
        return any;
      }
    }
    return this.notifyOne(em, req);
  }

  private async notifyOne(em: EntityManager, req: NotificationRequest): Promise<boolean> {
    const contact = await this.contactOf(em, req.recipient);
    const prefs = await this.preferences.get(req.recipient, em);
    const body = {
      ...req.text,
      contact,
      ...(prefs.language ? { language: prefs.language } : {}),
      ...(req.link ? { link: req.link } : {}),
    };
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
        JSON.stringify(body),
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
      body,
      communication_id: version.id,
      created_at: row.created_at,
    });
    // The in-app inbox and a facility's webhook get every notification at once.
    for (const channel of this.channels.filter((c) => !PERSON_CHANNELS.has(c.name) && c.accepts(outgoing))) {
      await em.query(
        `INSERT INTO notify.delivery (notification_id, channel, status) VALUES ($1, $2, 'pending')`,
        [row.id, channel.name],
      );
      await this.jobs.send(DELIVER, { notificationId: row.id, channel: channel.name }, { em });
    }
    // Outside the app: the first of the person's channels that can take it; the next ones only
    // when it fails or is not confirmed in time (fallback).
    const first = this.channelOrder(outgoing, prefs)[0];
    if (first) await this.plan(em, outgoing, prefs, first, null);
    return true;
  }

  /**
   * The person's channels in their order that are on, can reach them (a number, an address) and
   * that they have not opted out of for this kind of message; Zalo only with their opt-in.
   */
  private channelOrder(n: OutgoingNotification, prefs: NotificationPreferences): NotificationChannel[] {
    return prefs.channels
      .filter((name) => name !== 'zalo' || prefs.zaloOptIn)
      .filter((name) => !prefs.optOuts.some((o) => o.channel === name && o.topic === n.topic))
      .map((name) => this.channels.find((c) => c.name === name))
      .filter((c): c is NotificationChannel => c !== undefined && c.accepts(n));
  }

  /**
   * A delivery through `channel`, inside `em`'s transaction: its row and its Communication, the job
   * (after quiet hours unless urgent), and the fallback check once the confirmation window passed.
   * False when that channel already has a delivery for this notification.
   */
  private async plan(
    em: EntityManager,
    n: OutgoingNotification,
    prefs: NotificationPreferences,
    channel: NotificationChannel,
    from: string | null,
  ): Promise<boolean> {
    const now = new Date();
    // Quiet hours hold back what reaches people at home; clinicians get work notices as they come.
    const window = this.config.notify.quietHours;
    const quiet =
      window !== undefined &&
      prefs.quietHours &&
      !URGENT_TOPICS.has(n.topic) &&
      !n.recipient.startsWith('Practitioner/');
    const after = quiet ? notBefore(now, window) : now;
    const inserted: unknown[] = await em.query(
      `INSERT INTO notify.delivery (notification_id, channel, status, fallback_from, not_before)
       VALUES ($1, $2, 'pending', $3, $4) ON CONFLICT (notification_id, channel) DO NOTHING RETURNING id`,
      [n.id, channel.name, from, after > now ? after : null],
    );
    if (inserted.length === 0) return false;
    if (n.communication)
      await this.records.create(em, {
        notificationId: n.id,
        channel: channel.name,
        recipient: n.recipient,
        ...(n.subject ? { subject: n.subject } : {}),
        ...(n.about ? { about: n.about } : {}),
        category: 'notification',
        communication: n.communication.replace(/^Communication\//, ''),
      });
    await this.jobs.send(
      DELIVER,
      { notificationId: n.id, channel: channel.name },
      { em, ...(after > now ? { startAfter: after } : {}) },
    );
    await this.jobs.send(
      FALLBACK,
      { notificationId: n.id, channel: channel.name },
      { em, startAfter: new Date(after.getTime() + this.config.notify.fallbackSeconds * 1000) },
    );
    return true;
  }

  /**
   * The fallback check of a delivery (its confirmation window passed, or it was refused): unless it
   * was delivered, the next of the person's channels without a delivery yet gets one.
   */
  private async fallback(notificationId: string, channelName: string): Promise<void> {
    await this.db.transaction(async (em) => {
      const rows: Row[] = await em.query(`SELECT * FROM notify.notification WHERE id = $1`, [notificationId]);
      const row = rows[0];
      if (!row) return;
      const deliveries: { channel: string; status: string }[] = await em.query(
        `SELECT channel, status FROM notify.delivery WHERE notification_id = $1 FOR UPDATE`,
        [notificationId],
      );
      const current = deliveries.find((d) => d.channel === channelName);
      if (!current || current.status === 'delivered') return;
      const n = this.outgoing(row);
      const prefs = await this.preferences.get(row.recipient, em);
      const next = this.channelOrder(n, prefs).find(
        (c) => c.name !== channelName && !deliveries.some((d) => d.channel === c.name),
      );
      if (next) await this.plan(em, n, prefs, next, channelName);
    });
  }

  /** A patient under 16's active guardians (RelatedPerson linked to it); none for an adult. */
  private async guardiansOfChild(em: EntityManager, patient: string): Promise<string[]> {
    const [, id] = patient.split('/');
    if (!id) return [];
    const v = await this.store.read('Patient', id, NOTIFICATION, em).catch(() => undefined);
    const birthDate = (v?.content as { birthDate?: unknown } | undefined)?.birthDate;
    if (typeof birthDate !== 'string' || !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(birthDate)) return [];
    const born = DateTime.fromISO(birthDate, { zone: 'Asia/Ho_Chi_Minh' });
    if (!born.isValid || born.plus({ years: CHILD_UNDER_YEARS }) <= DateTime.now()) return [];
    const { matches } = await this.search.search(
      'RelatedPerson',
      parseSearchRequest([
        ['patient', patient],
        ['_count', '20'],
      ]),
      { lenient: false, em, caller: NOTIFICATION },
    );
    return matches
      .filter((r) => r.active !== false)
      .map((r) => `RelatedPerson/${String(r.id)}`)
      .sort();
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
      ...(r.body.language ? { language: r.body.language } : {}),
      ...(r.body.link ? { link: r.body.link } : {}),
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
      // An opt-out that came after the delivery was planned (a STOP reply, a changed preference).
      const optedOut =
        PERSON_CHANNELS.has(channelName) &&
        (await this.preferences.isOptedOut(row.recipient, channelName, row.topic));
      const outcome = optedOut
        ? ({
            status: 'refused',
            reason: `the recipient opted out of ${row.topic} by ${channelName}`,
          } as const)
        : await channel.deliver(this.outgoing(row));
      if (outcome?.status === 'refused') {
        await this.db.query(
          `UPDATE notify.delivery SET status = 'refused', attempts = attempts + 1, last_error = $3
            WHERE notification_id = $1 AND channel = $2`,
          [notificationId, channelName, outcome.reason.slice(0, 500)],
        );
        await this.records.sync(notificationId, channelName);
        // Never deliverable this way: the next channel at once.
        if (PERSON_CHANNELS.has(channelName)) await this.fallback(notificationId, channelName);
        return;
      } else
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
