import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, DomainError } from '@mekong/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import {
  AccessService,
  type FhirResource,
  FhirRestService,
  type RequestContext,
} from '@mekong/health-record';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import { BookingService } from '../booking/booking.service';
import { SCHEDULING_CONTEXT } from '../scheduling.database';
import { SCHEDULING_PRINCIPAL } from '../waitlist/waitlist.service';

/** What a link lets the patient do: `confirm` offers confirming or cancelling, `cancel` only cancelling. */
export type AppointmentAction = 'confirm' | 'cancel';

/** What the public page may show: the time and state of the appointment, never its reason or people. */
export interface ActionLinkPreview {
  readonly appointment: { readonly start: string; readonly end: string; readonly status: string };
  readonly offers: readonly AppointmentAction[];
  readonly expiresAt: string;
}

/** Default lifetime of a link; it never outlives the appointment's start. */
const DEFAULT_TTL_MS = 14 * 86_400_000;
/** Statuses an action may still change (a cancelled, fulfilled or no-show appointment: the link is spent). */
const OPEN = new Set(['pending', 'booked']);
const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

const notFound = (): DomainError =>
  new DomainError('SCHEDULING.LINK_NOT_FOUND', 404, 'This link is not valid / Liên kết không hợp lệ');
const used = (): DomainError =>
  new DomainError(
    'SCHEDULING.LINK_USED',
    410,
    'This link has already been used / Liên kết này đã được sử dụng',
  );
const expired = (): DomainError =>
  new DomainError('SCHEDULING.LINK_EXPIRED', 410, 'This link has expired / Liên kết đã hết hạn');
const closed = (): DomainError =>
  new DomainError(
    'SCHEDULING.LINK_APPOINTMENT_CLOSED',
    410,
    'This appointment can no longer be changed / Lịch hẹn này không thể thay đổi nữa',
  );

interface LinkRow {
  appointment_id: string;
  action: AppointmentAction;
  expires_at: Date;
  used_at: Date | null;
}

/**
 * Single-use, expiring links that let a patient confirm or cancel one appointment without signing
 * in (docs/decisions/026-links-without-an-account.md). The token travels in the URL fragment,
 * which browsers never send; the portal posts it in a body. Only its SHA-256 hash is stored.
 * Looking at a link (`preview`) never spends it; `use` performs the action once.
 */
@Injectable()
export class AppointmentActionLinks {
  private readonly publicUrl: string;

  constructor(
    @InjectDataSource(SCHEDULING_CONTEXT) private readonly db: DataSource,
    private readonly fhir: FhirRestService,
    private readonly access: AccessService,
    private readonly bookings: BookingService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.publicUrl = config.publicUrl;
  }

  /**
   * Issues a link for a live booking, inside the caller's transaction `em` (e.g. the one that
   * queues the confirmation or reminder): the URL to put into the message, and when it expires
   * (after `ttlMs`, 14 days by default, and never after the appointment starts).
   */
  async issue(
    em: EntityManager,
    appointmentId: string,
    action: AppointmentAction,
    ttlMs = DEFAULT_TTL_MS,
  ): Promise<{ url: string; expiresAt: Date }> {
    const token = randomBytes(24).toString('base64url');
    const rows = rowsOf<{ expires_at: Date }>(
      await em.query(
        `INSERT INTO scheduling.action_link (token_hash, appointment_id, action, expires_at)
         SELECT $1, b.appointment_id, $2, LEAST(now() + make_interval(secs => $4::double precision), lower(b.during))
           FROM scheduling.booking b
          WHERE b.appointment_id = $3 AND b.status <> 'released' AND lower(b.during) > now()
          LIMIT 1
         RETURNING expires_at`,
        [hash(token), action, appointmentId, ttlMs / 1000],
      ),
    );
    const row = rows[0];
    if (!row)
      throw new DomainError(
        'SCHEDULING.NO_LIVE_BOOKING',
        422,
        `Appointment/${appointmentId} has no upcoming booking to act on / Không có lịch hẹn sắp tới`,
      );
    return { url: `${this.publicUrl}/a#${token}`, expiresAt: new Date(row.expires_at) };
  }

  /** What the link is for, without spending it (the page shows it before the patient decides). */
  async preview(token: string): Promise<ActionLinkPreview> {
    const link = await this.live(token);
    const appt = await this.appointment(link.appointment_id);
    if (!OPEN.has(String(appt.status))) throw closed();
    return {
      appointment: { start: String(appt.start), end: String(appt.end), status: String(appt.status) },
      offers: link.action === 'confirm' ? ['confirm', 'cancel'] : ['cancel'],
      expiresAt: new Date(link.expires_at).toISOString(),
    };
  }

  /**
   * Performs `action` once: the link is claimed atomically (a second use, even in parallel, gets
   * 410 LINK_USED), then the appointment changes through the booking rules; if that fails the
   * claim is undone so the patient may try again.
   */
  async use(token: string, action: AppointmentAction): Promise<ActionLinkPreview> {
    const claimed = rowsOf<{ appointment_id: string }>(
      await this.db.query(
        `UPDATE scheduling.action_link SET used_at = now(), used_for = $2
          WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND (action = 'confirm' OR action = $2)
          RETURNING appointment_id`,
        [hash(token), action],
      ),
    )[0];
    if (!claimed) {
      const link = await this.live(token); // 404 / 410 as the case may be
      if (link.action === 'cancel' && action !== 'cancel')
        throw new DomainError(
          'SCHEDULING.LINK_ACTION',
          400,
          'This link can only cancel / Liên kết này chỉ dùng để hủy lịch',
        );
      throw used(); // claimed by a parallel request between the two statements
    }
    try {
      const appt = await this.appointment(claimed.appointment_id);
      if (!OPEN.has(String(appt.status))) throw closed();
      const next: FhirResource =
        action === 'cancel'
          ? {
              ...appt,
              status: 'cancelled',
              cancelationReason: { text: 'Cancelled by the patient (link) / Bệnh nhân hủy qua liên kết' },
            }
          : {
              // "I will come": the patient's acceptance only, never a status change — a pending
              // appointment waits for its doctor (or its hold) as before; the link acts as the
              // scheduling service and must not skip what a patient's own PUT would be checked for.
              ...appt,
              participant: ((appt.participant ?? []) as { actor?: { reference?: string } }[]).map((p) =>
                p.actor?.reference?.startsWith('Patient/') ? { ...p, status: 'accepted' } : p,
              ),
            };
      const res = await this.bookings.update(claimed.appointment_id, next, await this.ctx());
      const body = res.body as FhirResource;
      return {
        appointment: { start: String(body.start), end: String(body.end), status: String(body.status) },
        offers: [],
        expiresAt: new Date().toISOString(),
      };
    } catch (err) {
      await this.db.query(
        `UPDATE scheduling.action_link SET used_at = NULL, used_for = NULL WHERE token_hash = $1`,
        [hash(token)],
      );
      throw err;
    }
  }

  /** The link of `token` if it can still be used: 404 for an unknown one, 410 for a used or expired one. */
  private async live(token: string): Promise<LinkRow> {
    const link = rowsOf<LinkRow>(
      await this.db.query(
        `SELECT appointment_id, action, expires_at, used_at FROM scheduling.action_link WHERE token_hash = $1`,
        [hash(token)],
      ),
    )[0];
    if (!link) throw notFound();
    if (link.used_at) throw used();
    if (new Date(link.expires_at).getTime() <= Date.now()) throw expired();
    return link;
  }

  /** The appointment, read as the scheduling service (an audited read in the patient's trail). */
  private async appointment(id: string): Promise<FhirResource> {
    const res = await this.fhir.read('Appointment', id, await this.ctx());
    return (res.body ?? JSON.parse(String(res.text))) as FhirResource;
  }

  private async ctx(): Promise<RequestContext> {
    return { query: [], lenient: false, access: await this.access.contextFor(SCHEDULING_PRINCIPAL) };
  }
}
