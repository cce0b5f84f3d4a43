import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  type ComponentHealth,
  HealthRegistry,
  type ZaloConfig,
} from '@mekong/common';
import { NOTIFICATION_TOPICS, type NotificationTopic } from '@mekong/contracts';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { InvalidPhoneNumberError, maskPhone, normalisePhone } from '../phone/vn-phone';
import { sha256, TokenCipher } from '../zalo/token-cipher';
import { ZaloRepository } from '../zalo/zalo.repository';
import { type ZnsAnswer, ZnsClient, type ZnsSend } from '../zalo/zns-client';
import { type ZnsFacts, znsTemplateData } from '../zalo/zns-templates';
import type { DeliveryOutcome, NotificationChannel, OutgoingNotification } from './channel';

const NOTIFICATION = SystemReason.of(SYSTEM_REASONS.notification);
/** An access token this close to its expiry is refreshed before use, not after a refusal. */
const EXPIRY_MARGIN_MS = 60_000;

/** ZNS codes (docs/notifications-zalo.md): the access token is not (or no longer) valid. */
const TOKEN_INVALID = -124;
/** This recipient cannot get this message, and trying again will not change it: `refused`. */
const RECIPIENT_REFUSED: Readonly<Record<number, string>> = {
  [-108]: 'the phone number is not valid for Zalo',
  [-110]: 'the recipient’s Zalo app is too old for ZNS',
  [-114]: 'the recipient is inactive on Zalo, declined ZNS or uses an old Zalo version',
  [-118]: 'no Zalo account has this phone number',
  [-119]: 'this Zalo account cannot receive ZNS',
  [-139]: 'the recipient chose not to receive ZNS',
};
/** Out of quota or balance: retried later, with the job queue's backoff. */
const QUOTA = new Set([-115, -144]);

export type ZaloState = 'off' | 'ready' | 'quota' | 'token-refused' | 'failing';

/** An answer of ZNS that is not a success: thrown (and retried) unless it refuses the recipient. */
export class ZnsError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

/** Zalo's words with any run of digits long enough to be a phone number masked. */
const redact = (text: string): string => text.replace(/\d{8,}/g, (d) => maskPhone(d)).slice(0, 200);

/**
 * Zalo Notification Service (docs/notifications-zalo.md, ADR 027): approved template messages to a
 * phone number, for people who opted in to Zalo (NotificationService plans a `zalo` delivery only
 * for them). On when ZALO_APP_ID, ZALO_SECRET_KEY, ZALO_REFRESH_TOKEN and ZALO_TEMPLATES are set.
 * The msg_id Zalo answers is recorded (notify.zalo_message) before the job ends, so a job run again
 * sends nothing; an invalid access token (-124) is refreshed with the single-use refresh token —
 * the new pair stored encrypted (notify.zalo_token) — and the message sent once more; a recipient
 * Zalo cannot reach is `refused`; out of quota and everything else throws for the retry. The
 * template's parameters are the time, the recipient's name and a code (zns-templates.ts), never
 * the notification's own words.
 */
@Injectable()
export class ZaloZnsChannel implements NotificationChannel, OnApplicationBootstrap {
  readonly name = 'zalo';
  private readonly logger = new Logger('ZaloChannel');
  private readonly cfg?: ZaloConfig;
  private readonly client?: ZnsClient;
  private readonly cipher?: TokenCipher;
  private readonly seed?: string;
  private access?: { readonly token: string; readonly expiresAt: number };
  private refreshing?: Promise<string>;
  private problem?: { readonly state: ZaloState; readonly message: string; readonly at: string };
  private quota?: { readonly daily?: number; readonly remaining?: number };

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: FhirStore,
    private readonly repo: ZaloRepository,
    private readonly registry: HealthRegistry,
  ) {
    this.cfg = config.zalo;
    if (this.cfg) {
      // A typo in ZALO_TEMPLATES would silently send nothing for that topic: stop the boot instead.
      const known = new Set<string>(NOTIFICATION_TOPICS);
      const unknown = Object.keys(this.cfg.templates).filter((t) => !known.has(t));
      if (unknown.length > 0)
        throw new Error(`ZALO_TEMPLATES names topics that do not exist: ${unknown.join(', ')}`);
      this.client = new ZnsClient(this.cfg);
      this.cipher = new TokenCipher(this.cfg.secretKey);
      this.seed = sha256(this.cfg.refreshToken);
    }
  }

  onApplicationBootstrap(): void {
    this.registry.register({ name: 'zalo', critical: false, check: () => Promise.resolve(this.health()) });
  }

  get state(): ZaloState {
    if (!this.cfg) return 'off';
    return this.problem?.state ?? 'ready';
  }

  private health(): ComponentHealth {
    const state = this.state;
    const quota = this.quota ? { quota: this.quota } : {};
    switch (state) {
      case 'off':
        return {
          status: 'up',
          state,
          detail: 'Zalo off (ZALO_APP_ID, ZALO_SECRET_KEY, ZALO_REFRESH_TOKEN, ZALO_TEMPLATES unset)',
        };
      case 'ready':
        return { status: 'up', state, ...quota };
      case 'quota':
        return {
          status: 'degraded',
          state,
          error: this.problem?.message,
          since: this.problem?.at,
          ...quota,
          fix: 'the OA is out of ZNS quota or balance: messages wait and are retried; top up or raise the quota in Zalo Cloud Account',
        };
      case 'token-refused':
        return {
          status: 'down',
          state,
          error: this.problem?.message,
          since: this.problem?.at,
          fix: 'Zalo refused the refresh token (expired after 3 months unused, or spent): authorise the app for the OA again and set the new ZALO_REFRESH_TOKEN',
        };
      case 'failing':
        return {
          status: 'degraded',
          state,
          error: this.problem?.message,
          since: this.problem?.at,
          fix: 'the last ZNS send failed and is retried: check ZALO_APP_ID, ZALO_TEMPLATES (approved template ids) and that ZALO_API_URL is reachable',
        };
    }
  }

  /** On, a phone number, and an approved template for the topic (an invalid number is accepted, to record why not). */
  accepts(n: OutgoingNotification): boolean {
    return !!this.cfg && !!n.contact?.phone && this.templateOf(n.topic) !== undefined;
  }

  async deliver(n: OutgoingNotification): Promise<DeliveryOutcome> {
    const cfg = this.cfg;
    const client = this.client;
    if (!cfg || !client) return { status: 'refused', reason: 'Zalo is off (ZALO_* unset)' };
    const templateId = this.templateOf(n.topic);
    if (!templateId) return { status: 'refused', reason: `no ZNS template for ${n.topic} in ZALO_TEMPLATES` };
    let e164: string;
    try {
      e164 = normalisePhone(n.contact?.phone ?? '', { mobile: true });
    } catch (err) {
      if (err instanceof InvalidPhoneNumberError) return { status: 'refused', reason: err.message };
      throw err;
    }
    if (!e164.startsWith('+84'))
      return {
        status: 'refused',
        reason: `${maskPhone(e164)} is not a Vietnamese number (ZNS sends to +84 only)`,
      };
    const phone = e164.slice(1);

    const data = znsTemplateData(n.topic, await this.facts(n));
    const sent = `ZNS ${templateId} ${JSON.stringify(data)}`;
    // Accepted by Zalo before (a job run again after a crash or a lost finish): never sent again.
    if (await this.repo.sent(n.id)) return { status: 'delivered', sent };

    const body: ZnsSend = {
      phone,
      template_id: templateId,
      template_data: data,
      tracking_id: `mekong-${n.id}`,
    };
    let token = await this.accessToken();
    let answer = await client.send(token, body).catch((err: unknown) => this.fail('failing', err));
    if (answer.error === TOKEN_INVALID) {
      token = await this.refresh(token);
      answer = await client.send(token, body).catch((err: unknown) => this.fail('failing', err));
    }
    if (answer.error === 0 && answer.data?.msg_id) {
      await this.repo.recordSent(n.id, phone, templateId, answer.data.msg_id);
      this.problem = undefined;
      this.noteQuota(answer);
      return { status: 'delivered', sent };
    }
    const words = `ZNS error ${answer.error}: ${redact(answer.message ?? '')}`;
    const refused = RECIPIENT_REFUSED[answer.error];
    if (refused) {
      this.problem = undefined; // Zalo works; this recipient cannot be reached there
      return { status: 'refused', reason: `${maskPhone(phone)}: ${refused} (${words})` };
    }
    if (answer.error === 0) return this.fail('failing', new Error('ZNS answered success without a msg_id'));
    return this.fail(QUOTA.has(answer.error) ? 'quota' : 'failing', new ZnsError(answer.error, words));
  }

  private templateOf(topic: NotificationTopic): string | undefined {
    return this.cfg?.templates[topic];
  }

  /** The access token to use: held in memory, else the stored one while valid, else a refreshed one. */
  private async accessToken(): Promise<string> {
    const now = Date.now();
    if (this.access && this.access.expiresAt - EXPIRY_MARGIN_MS > now) return this.access.token;
    const stored = await this.repo.tokens();
    if (
      stored &&
      stored.seedSha256 === this.seed &&
      stored.accessExpiresAt.getTime() - EXPIRY_MARGIN_MS > now
    ) {
      const token = this.decrypt(stored.accessTokenEnc);
      if (token) {
        this.access = { token, expiresAt: stored.accessExpiresAt.getTime() };
        return token;
      }
    }
    return this.refresh(this.access?.token);
  }

  /**
   * A new access token for the one that failed (or none): one refresh at a time in this process,
   * and under the database lock across processes — whoever comes second finds the new pair stored
   * and uses it, and the spent refresh token is never sent twice.
   */
  private refresh(failed: string | undefined): Promise<string> {
    this.refreshing ??= this.refreshUnderLock(failed).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async refreshUnderLock(failed: string | undefined): Promise<string> {
    const client = this.client!;
    const cipher = this.cipher!;
    const seed = this.seed!;
    return this.repo.withTokenLock(async (em) => {
      const stored = await this.repo.tokens(em);
      const mine = stored?.seedSha256 === seed ? stored : undefined;
      if (mine) {
        const token = this.decrypt(mine.accessTokenEnc);
        if (token && token !== failed && mine.accessExpiresAt.getTime() - EXPIRY_MARGIN_MS > Date.now()) {
          this.access = { token, expiresAt: mine.accessExpiresAt.getTime() };
          return token;
        }
      }
      // The stored refresh token descends from this ZALO_REFRESH_TOKEN; a changed one is a re-authorisation.
      const refreshToken = (mine && this.decrypt(mine.refreshTokenEnc)) || this.cfg!.refreshToken;
      const fresh = await client
        .refresh(refreshToken)
        .catch((err: unknown) => this.fail('token-refused', err));
      const expiresAt = new Date(Date.now() + fresh.expiresIn * 1000);
      await this.repo.saveTokens(em, {
        seedSha256: seed,
        accessTokenEnc: cipher.encrypt(fresh.accessToken),
        refreshTokenEnc: cipher.encrypt(fresh.refreshToken),
        accessExpiresAt: expiresAt,
      });
      this.access = { token: fresh.accessToken, expiresAt: expiresAt.getTime() };
      this.logger.log(`Zalo access token refreshed (valid until ${expiresAt.toISOString()})`);
      return fresh.accessToken;
    });
  }

  private decrypt(stored: string): string | undefined {
    try {
      return this.cipher!.decrypt(stored);
    } catch {
      this.logger.warn('stored Zalo token unreadable (ZALO_SECRET_KEY changed?): using ZALO_REFRESH_TOKEN');
      return undefined;
    }
  }

  private noteQuota(a: ZnsAnswer): void {
    const q = a.data?.quota;
    if (!q) return;
    const num = (v: string | number | undefined): number | undefined =>
      v === undefined || Number.isNaN(Number(v)) ? undefined : Number(v);
    this.quota = { daily: num(q.dailyQuota), remaining: num(q.remainingQuota) };
  }

  /** Marks the channel with this problem and throws (the job queue retries); never a token in the words. */
  private fail(state: ZaloState, err: unknown): never {
    const message = redact(err instanceof Error ? err.message : String(err));
    this.problem = { state, message, at: new Date().toISOString() };
    this.logger.warn(`ZNS send not done (retried): ${message}`);
    throw err;
  }

  /** What a template may carry: the appointment's start, the recipient's given names, the notification's number. */
  private async facts(n: OutgoingNotification): Promise<ZnsFacts> {
    const read = async (ref: string | undefined): Promise<Record<string, unknown> | undefined> => {
      const [type, id] = (ref ?? '').split('/');
      if (!type || !id) return undefined;
      const v = await this.store.read(type, id, NOTIFICATION).catch(() => undefined);
      return v?.content as Record<string, unknown> | undefined;
    };
    const [about, recipient] = await Promise.all([
      n.about?.startsWith('Appointment/') ? read(n.about) : undefined,
      read(n.recipient),
    ]);
    const start = about?.start;
    const names = (recipient?.name as { given?: unknown }[] | undefined)?.[0]?.given;
    return {
      code: `MH${n.id}`,
      ...(typeof start === 'string' ? { when: new Date(start) } : {}),
      ...(Array.isArray(names) ? { name: names.filter((g) => typeof g === 'string').join(' ') } : {}),
    };
  }
}
