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
  type SmtpConfig,
} from '@mekong/common';
import { FhirStore, SYSTEM_REASONS, SystemReason } from '@mekong/health-record';
import { createTransport, type Transporter } from 'nodemailer';
import { type EmailFacts, type EmailLanguage, emailFor } from '../email/email-templates';
import { recipientLanguage } from '../email/recipient-language';
import { EmailRepository } from '../email/email.repository';
import type { DeliveryOutcome, NotificationChannel, OutgoingNotification } from './channel';

const NOTIFICATION = SystemReason.of(SYSTEM_REASONS.notification);
const ADDRESS = /^[^\s@<>(),;:"[\]\\]+@[^\s@<>(),;:"[\]\\]+\.[^\s@<>(),;:"[\]\\]+$/;

export type EmailState = 'off' | 'ready' | 'failing';

/** What nodemailer attaches to an SMTP error. */
interface SmtpError {
  readonly code?: string;
  readonly responseCode?: number;
  readonly response?: string;
  readonly command?: string;
  readonly message?: string;
}

/** `n***@example.vn`: enough to tell addresses apart in a delivery's error, not to read them. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  return at <= 0 ? '***' : `${address[0]}***${address.slice(at)}`;
}

/** A server's reply with every address in it masked: replies often echo the recipient. */
function redact(text: string): string {
  return text.replace(/[^\s<>@:;,"'()[\]]+@[^\s<>@:;,"'()[\]]+/g, maskEmail);
}

/**
 * Email over SMTP with nodemailer (docs/notifications-email.md, ADR 023). On when SMTP_URL and
 * MAIL_FROM are set. The Message-ID of an email the server accepted is recorded
 * (notify.email_message) before the job ends, so a job run again sends nothing; a 5xx to the
 * recipient or the message is `refused` (not retried), anything else (4xx, connection refused or
 * closed, timeout) throws for the job queue's retry. The words come from the topic and the
 * appointment time only (email-templates.ts), never from the notification's own text; the
 * recipient's preferred language (their record's `communication`) comes first, the other below.
 */
@Injectable()
export class SmtpEmailChannel implements NotificationChannel, OnApplicationBootstrap, OnApplicationShutdown {
  readonly name = 'email';
  private readonly logger = new Logger('EmailChannel');
  private readonly cfg?: SmtpConfig;
  private readonly transport?: Transporter;
  private readonly appUrl: string;
  private lastError?: { readonly message: string; readonly at: string };
  /** Sends tried: the check at boot reports only if no send has told more since. */
  private attempts = 0;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly store: FhirStore,
    private readonly repo: EmailRepository,
    private readonly registry: HealthRegistry,
  ) {
    this.cfg = config.smtp;
    this.appUrl = config.publicUrl;
    const cfg = this.cfg;
    if (cfg)
      this.transport = createTransport({
        host: cfg.host,
        port: cfg.port,
        secure: cfg.secure,
        ...(cfg.user !== undefined ? { auth: { user: cfg.user, pass: cfg.password ?? '' } } : {}),
        connectionTimeout: cfg.timeoutSeconds * 1000,
        greetingTimeout: cfg.timeoutSeconds * 1000,
        socketTimeout: cfg.timeoutSeconds * 3000,
        // Messages are built here from templates: nothing may make nodemailer read a file or a URL.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
  }

  onApplicationBootstrap(): void {
    this.registry.register({ name: 'email', critical: false, check: () => Promise.resolve(this.health()) });
    // Connects and authenticates once at boot, so a wrong host or password shows on /health before
    // the first notification; it sends nothing and never delays startup.
    const transport = this.transport;
    if (!transport) return;
    const attempts = this.attempts;
    transport.verify().then(
      () => undefined,
      (err: unknown) => {
        if (this.attempts === attempts) this.fail(err);
      },
    );
  }

  onApplicationShutdown(): void {
    this.transport?.close();
  }

  get state(): EmailState {
    if (!this.transport) return 'off';
    return this.lastError ? 'failing' : 'ready';
  }

  private health(): ComponentHealth {
    const state = this.state;
    switch (state) {
      case 'off':
        return { status: 'up', state, detail: 'email off (SMTP_URL and MAIL_FROM unset)' };
      case 'ready':
        return { status: 'up', state };
      case 'failing':
        return {
          status: 'degraded',
          state,
          error: this.lastError?.message,
          since: this.lastError?.at,
          fix: 'the last email could not be handed to the SMTP server and is retried: check SMTP_URL (host, port, user, password) and that the server accepts mail from MAIL_FROM',
        };
    }
  }

  /** On and an email address in the recipient's telecom (an invalid one is accepted, to record why not). */
  accepts(n: OutgoingNotification): boolean {
    return this.transport !== undefined && typeof n.contact?.email === 'string' && n.contact.email !== '';
  }

  async deliver(n: OutgoingNotification): Promise<void | DeliveryOutcome> {
    const transport = this.transport;
    const cfg = this.cfg;
    if (!transport || !cfg)
      return { status: 'refused', reason: 'email is off (SMTP_URL and MAIL_FROM unset)' };
    const to = (n.contact?.email ?? '').trim();
    if (!ADDRESS.test(to)) return { status: 'refused', reason: `${maskEmail(to)} is not an email address` };
    // Accepted by a server before (a job run again after a crash or a lost finish): never sent again.
    if (await this.repo.accepted(n.id)) return;

    // The person's notification preferences name a language; else their record's `communication`.
    const first = n.language ?? (await this.languageOf(n.recipient));
    const message = emailFor(n, await this.facts(n), first);
    const domain = cfg.from.address.slice(cfg.from.address.lastIndexOf('@') + 1);
    const messageId = `<notification.${n.id}.${Date.parse(n.createdAt).toString(36)}@${domain}>`;
    let info: { messageId?: string; response?: string };
    this.attempts++;
    try {
      info = (await transport.sendMail({
        from: cfg.from.name ? { name: cfg.from.name, address: cfg.from.address } : cfg.from.address,
        to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        messageId,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'Content-Language': first === 'en' ? 'en, vi' : 'vi, en',
        },
      })) as { messageId?: string; response?: string };
    } catch (err) {
      const e = err as SmtpError;
      const code = e.responseCode;
      // A 5xx to RCPT TO (no such mailbox) or to the message itself: retrying will not change it.
      if (code !== undefined && code >= 500 && (e.command === 'RCPT TO' || e.command === 'DATA')) {
        this.lastError = undefined; // the server works; this address or message does not
        return {
          status: 'refused',
          reason: `the SMTP server refused ${maskEmail(to)}: ${redact(e.response ?? e.message ?? '').slice(0, 300)}`,
        };
      }
      this.logger.warn(`email to ${maskEmail(to)} not sent (retried): ${this.fail(err)}`);
      throw err;
    }
    this.lastError = undefined;
    await this.repo.recordAccepted(n.id, to, info.messageId ?? messageId, info.response);
  }

  /** Marks the channel failing with this error; the words recorded. */
  private fail(err: unknown): string {
    const e = err as SmtpError;
    // /health is read without a token: no recipient's address in it.
    const message = redact(`${e.code ?? 'error'}: ${e.response ?? e.message ?? String(err)}`).slice(0, 300);
    this.lastError = { message, at: new Date().toISOString() };
    return message;
  }

  /** The language the recipient's record prefers (`communication`), Vietnamese when it says none. */
  private async languageOf(recipient: string): Promise<EmailLanguage> {
    const [type, id] = recipient.split('/');
    if (!type || !id) return 'vi';
    const v = await this.store.read(type, id, NOTIFICATION).catch(() => undefined);
    return recipientLanguage((v?.content as { communication?: unknown } | undefined)?.communication);
  }

  /** The time an email may mention: the appointment's start (cancelled, reminded or offered). */
  private async facts(n: OutgoingNotification): Promise<EmailFacts> {
    const facts = { appUrl: this.appUrl, ...(n.link ? { actionUrl: n.link } : {}) };
    const [type, id] = (n.about ?? '').split('/');
    if (type !== 'Appointment' || !id) return facts;
    const v = await this.store.read(type, id, NOTIFICATION).catch(() => undefined);
    const start = (v?.content as { start?: unknown } | undefined)?.start;
    return typeof start === 'string' ? { ...facts, when: new Date(start) } : facts;
  }
}
