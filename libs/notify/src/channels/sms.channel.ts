import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  type ComponentHealth,
  HealthRegistry,
  type SmsConfig,
  StartupTasks,
} from '@mekong/common';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import type { PDU } from 'smpp';
import type { EntityManager } from 'typeorm';
import { InvalidPhoneNumberError, maskPhone, normalisePhone } from '../phone/vn-phone';
import { isDeliveryReceipt, isOptOutReply, parseReceipt } from '../sms/deliver-sm';
import { encodeSms } from '../sms/sms-encoding';
import { type SmsFacts, smsText } from '../sms/sms-templates';
import { SmppLink, type SmppState } from '../sms/smpp-link';
import { SmsRepository } from '../sms/sms.repository';
import { DeliveryRecords } from '../delivery-records';
import { PreferencesRepository } from '../preferences/preferences.repository';
import type { DeliveryOutcome, NotificationChannel, OutgoingNotification } from './channel';

const NOTIFICATION = SystemReason.of(SYSTEM_REASONS.notification);
const ESME_ROK = 0;
const RECEIPT_WAIT_MS = 3000;

/**
 * SMS over SMPP 3.4 (docs/notifications-sms.md, ADR 022). On when SMPP_URL and SMS_SENDER are set.
 * Each part's submit_sm_resp message_id is recorded (notify.sms_message) before the job ends, so a
 * job run again submits only the parts with no recorded response; delivery receipts update the part
 * and the notification's delivery; a STOP/HUY reply opts that number out (notify.sms_opt_out). The
 * text comes from the topic and the appointment time only (sms-templates.ts), never from the
 * notification's own words.
 */
@Injectable()
export class SmppSmsChannel implements NotificationChannel, OnApplicationBootstrap, OnApplicationShutdown {
  readonly name = 'sms';
  private readonly logger = new Logger('SmsChannel');
  private readonly cfg?: SmsConfig;
  private readonly link?: SmppLink;
  /** Opted-out numbers, for the synchronous accepts(); deliver() asks the database. */
  private readonly optedOut = new Set<string>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: FhirStore,
    private readonly repo: SmsRepository,
    private readonly registry: HealthRegistry,
    private readonly startup: StartupTasks,
    private readonly records: DeliveryRecords,
    private readonly preferences: PreferencesRepository,
  ) {
    this.cfg = config.sms;
    if (this.cfg) this.link = new SmppLink(this.cfg, this.logger, (pdu) => this.onDeliverSm(pdu));
  }

  onApplicationBootstrap(): void {
    this.registry.register({ name: 'sms', critical: false, check: () => Promise.resolve(this.health()) });
    const link = this.link;
    if (!link) return;
    // After migrations (order 0): receipts and replies are written to the notify schema.
    this.startup.register({
      name: 'sms:smpp',
      order: 15,
      run: async () => {
        for (const phone of await this.repo.allOptedOut()) this.optedOut.add(phone);
        link.start();
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.link?.close();
  }

  get state(): SmppState {
    return this.link?.state ?? 'off';
  }

  private health(): ComponentHealth {
    const state = this.state;
    switch (state) {
      case 'off':
        return { status: 'up', state, detail: 'SMS off (SMPP_URL and SMS_SENDER unset)' };
      case 'bound':
        return { status: 'up', state };
      case 'binding':
        return {
          status: 'degraded',
          state,
          fix: 'connecting to the SMSC; check SMPP_URL host and port if it lasts',
        };
      case 'throttled':
        return {
          status: 'degraded',
          state,
          fix: 'the SMSC throttles submits: messages wait and are retried',
        };
      case 'refused':
        return {
          status: 'down',
          state,
          error: this.link?.refusal,
          fix: 'the SMSC refused bind_transceiver: check the system_id and password of SMPP_URL',
        };
    }
  }

  /** On, a phone number, and not a number known to have opted out (an invalid one is accepted, to record why not). */
  accepts(n: OutgoingNotification): boolean {
    const phone = n.contact?.phone;
    if (!this.link || !phone) return false;
    try {
      return !this.optedOut.has(normalisePhone(phone));
    } catch {
      return true;
    }
  }

  async deliver(n: OutgoingNotification): Promise<DeliveryOutcome> {
    const link = this.link;
    const cfg = this.cfg;
    if (!link || !cfg) return { status: 'refused', reason: 'SMS is off (SMPP_URL and SMS_SENDER unset)' };
    let phone: string;
    try {
      phone = normalisePhone(n.contact?.phone ?? '', { mobile: true });
    } catch (err) {
      if (err instanceof InvalidPhoneNumberError) return { status: 'refused', reason: err.message };
      throw err;
    }
    if (await this.repo.optedOut(phone)) {
      this.optedOut.add(phone);
      return { status: 'refused', reason: `${maskPhone(phone)} opted out of SMS (replied STOP/HUY)` };
    }
    const facts = { ...(await this.facts(n)), ...(n.link ? { link: n.link } : {}) };
    const text = smsText(n.topic, facts, n.language ?? 'vi', cfg.encoding);
    const parts = encodeSms(text, cfg.encoding, Number(n.id) & 0xff);
    const done = await this.repo.submittedParts(n.id);
    const results = await Promise.allSettled(
      parts.map(async (part, i) => {
        if (done.has(i + 1)) return; // its submit_sm_resp is recorded: never sent again
        const messageId = await link.submit(phone.slice(1), part);
        await this.repo.recordSubmitted(n.id, i + 1, parts.length, phone, messageId);
      }),
    );
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    return { status: 'submitted', sent: text };
  }

  settle(em: EntityManager, notificationId: string): Promise<void> {
    return this.repo.settle(em, notificationId);
  }

  /** The time an SMS may mention: the appointment's start (cancelled, reminded or offered). */
  private async facts(n: OutgoingNotification): Promise<SmsFacts> {
    const [type, id] = (n.about ?? '').split('/');
    if (type !== 'Appointment' || !id) return {};
    const v = await this.store.read(type, id, NOTIFICATION).catch(() => undefined);
    const start = (v?.content as { start?: unknown } | undefined)?.start;
    return typeof start === 'string' ? { when: new Date(start) } : {};
  }

  /** A receipt updates its part; a STOP/HUY reply opts the number out; anything else is only acknowledged. */
  private async onDeliverSm(pdu: PDU): Promise<number> {
    const sm = pdu.short_message as { message?: unknown } | Buffer | undefined;
    const raw = Buffer.isBuffer(sm) ? sm : sm?.message;
    const text = typeof raw === 'string' ? raw : Buffer.isBuffer(raw) ? raw.toString('latin1') : '';
    if (isDeliveryReceipt(Number(pdu.esm_class ?? 0))) {
      const tlvId =
        typeof pdu.receipted_message_id === 'string'
          ? pdu.receipted_message_id.replace(/\0+$/, '')
          : undefined;
      const receipt = parseReceipt(text, tlvId || undefined);
      if (!receipt?.status) return ESME_ROK;
      const detail = `${receipt.stat}${receipt.err ? ` (err:${receipt.err})` : ''}`;
      // A receipt can overtake the recording of its submit_sm_resp: wait a little for the row.
      const deadline = Date.now() + RECEIPT_WAIT_MS;
      let notificationId: string | undefined;
      while (!(notificationId = await this.repo.recordReceipt(receipt.messageId, receipt.status, detail))) {
        if (Date.now() > deadline) {
          this.logger.warn(`delivery receipt for unknown message_id ${receipt.messageId}`);
          return ESME_ROK;
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      // The delivery's Communication in the record follows the receipt.
      await this.records
        .sync(notificationId, this.name)
        .catch((err: unknown) =>
          this.logger.warn(`delivery record of notification ${notificationId}: ${String(err)}`),
        );
      return ESME_ROK;
    }
    if (isOptOutReply(text)) {
      const source = String(pdu.source_addr ?? '');
      let phone: string;
      try {
        phone = normalisePhone(Number(pdu.source_addr_ton) === 1 ? `+${source}` : source);
      } catch {
        this.logger.warn(`opt-out reply from an unusable number ${maskPhone(source)}`);
        return ESME_ROK;
      }
      const keyword = text.trim().slice(0, 20);
      // STOP/HUY answers the last SMS sent to that number: its recipient opts out of that kind of
      // message by SMS (recorded on the person, readable at /notify/preferences). A number we never
      // wrote to (or whose message is gone) opts out of every SMS, as a number.
      const last = await this.repo.lastMessageTo(phone);
      if (last) {
        await this.preferences.optOut(last.recipient, 'sms', last.topic, keyword);
        this.logger.log(`${last.recipient} opted out of ${last.topic} by SMS (${maskPhone(phone)})`);
      } else {
        await this.repo.optOut(phone, keyword);
        this.optedOut.add(phone);
        this.logger.log(`${maskPhone(phone)} opted out of SMS`);
      }
    }
    return ESME_ROK;
  }
}
