import { Inject, Injectable, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import {
  FhirError,
  type FhirResource,
  type FhirResponse,
  FhirStore,
  parseIfMatch,
  type RequestContext,
  versionHeaders,
} from '@mekong/health-record';
import { DatabaseEngine, InjectDataSource, rowsOf } from '@mekong/database';
import { createHash, randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { DataSource, EntityManager } from 'typeorm';
import { SCHEDULING_CONTEXT } from '../scheduling.database';
import { bookingRequest, HOLDS_SLOT, patientMayTransition, transitionError } from './appointment-rules';
import {
  BOOKED_BY_URL,
  constraintOf,
  forbidden,
  CHECKS,
  OWNER,
  STATE,
  holdExpired,
  slotTaken,
  unknownPatient,
  unprocessable,
} from './booking-errors';
import { type SlotRow, SlotService } from './slot.service';

/** Hooks other parts of scheduling attach to booking events, inside the booking's transaction. */
export interface BookingEvents {
  booked(em: EntityManager, appointment: FhirResource): Promise<void>;
  held(em: EntityManager, appointment: FhirResource, expiresAt: Date): Promise<void>;
  released(em: EntityManager, appointment: FhirResource, slot: SlotRow, reason: string): Promise<void>;
}
export const BOOKING_EVENTS = Symbol('BOOKING_EVENTS');

/**
 * Booking's extension point for checks another context makes (BookingService.addChecks; care's
 * eligibility gate registers itself): checks run on a new booking inside its transaction, after the slot, the
 * patient and the consent are checked and before anything is claimed or written (the care
 * context: emergency triage and telehealth eligibility); and again when a hold is confirmed, or a
 * booked or held appointment is rescheduled or what they judge changes (GATED_FIELDS). Throwing
 * (a FhirError 422 with a bilingual OperationOutcome) refuses the booking or the change; nothing
 * is written. `appointment` carries the slot's start and end. A check may answer `holdUntil`: a
 * pending booking it lets through is then held until that time instead of the short hold (care: a
 * reason outside the telehealth list waits for a clinician until the slot starts).
 */
export interface BookingChecks {
  check(em: EntityManager, appointment: FhirResource, ctx: RequestContext): Promise<void | BookingVerdict>;
}
export interface BookingVerdict {
  /** Hold a pending booking until then (the earliest any check asks for). */
  holdUntil?: Date;
}
/** The Appointment's fields the booking checks read besides its slot and patient. */
const GATED_FIELDS = ['reasonCode', 'serviceType', 'supportingInformation'] as const;

interface Claim {
  id: string;
  slot_id: string;
  status: 'held' | 'booked';
  hold_expires_at: Date | null;
}

/**
 * Booking: one live booking per slot and per practitioner-instant, decided by the database's
 * exclusion constraint inside the same transaction that writes the Appointment and the Slot.
 */
@Injectable()
export class BookingService {
  readonly base: string;
  readonly holdSeconds: number;

  constructor(
    private readonly store: FhirStore,
    private readonly slots: SlotService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly engine: DatabaseEngine,
    /** Scheduling's own tables, outside a unit of work of the record. */
    @InjectDataSource(SCHEDULING_CONTEXT) private readonly db: DataSource,
    @Optional() @Inject(BOOKING_EVENTS) private readonly events?: BookingEvents,
  ) {
    this.base = `${config.publicUrl}/fhir`;
    this.holdSeconds = config.scheduling.holdSeconds;
  }

  private readonly checks: BookingChecks[] = [];

  /** Registers another context's checks (at its module init, before any request). */
  addChecks(checks: BookingChecks): void {
    this.checks.push(checks);
  }

  /** The registered checks on `appointment` as it would be at `slot` (its start and end). */
  private async runChecks(
    em: EntityManager,
    appointment: FhirResource,
    slot: { start: Date; end: Date },
    ctx: RequestContext,
  ): Promise<BookingVerdict> {
    // Authorization before the checks: a caller who reaches the patient only through break-glass
    // writes nothing (the record refuses it too), so it learns nothing from the checks' answers.
    const patientId = bookingRequest(appointment).patientId;
    if (patientId !== undefined && ctx.access.reasons.get(String(patientId)) === 'break-glass')
      throw forbidden(
        'Break-glass access is read-only: nothing is written under it',
        'BREAK_GLASS.READ_ONLY',
      );
    const atSlot = { ...appointment, start: slot.start.toISOString(), end: slot.end.toISOString() };
    let holdUntil: Date | undefined;
    for (const c of this.checks) {
      const v = await c.check(em, atSlot, ctx);
      if (v?.holdUntil && (holdUntil === undefined || v.holdUntil < holdUntil)) holdUntil = v.holdUntil;
    }
    return holdUntil ? { holdUntil } : {};
  }

  /** POST /fhir/Appointment: book (status booked) or hold (status pending) one free Slot. */
  async book(
    body: unknown,
    ctx: RequestContext,
    opts: {
      holdSeconds?: number;
      after?: (em: EntityManager, appointment: FhirResource) => Promise<void>;
    } = {},
  ): Promise<FhirResponse> {
    const subject = ctx.access.principal.subject;
    const key = ctx.idempotencyKey?.trim();
    if (key !== undefined && (key.length === 0 || key.length > 200))
      throw new FhirError(400, 'invalid', 'Idempotency-Key must be 1–200 characters');
    const hash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
    if (key) {
      const prior = await this.replay(subject, key, hash);
      if (prior) return prior;
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.bookOnce(body, ctx, opts, subject, key, hash);
      } catch (err) {
        // Concurrent claims on one slot can deadlock when the first claimant rolls back: the
        // database aborts one of them; a new attempt then meets the committed winner (409).
        if (attempt < 3 && (err as { driverError?: { code?: string } }).driverError?.code === '40P01')
          continue;
        throw err;
      }
    }
  }

  private async bookOnce(
    body: unknown,
    ctx: RequestContext,
    opts: { holdSeconds?: number; after?: (em: EntityManager, appointment: FhirResource) => Promise<void> },
    subject: string,
    key: string | undefined,
    hash: string,
  ): Promise<FhirResponse> {
    const id = randomUUID();
    try {
      return await this.store.transaction(async (em, pending) => {
        const appointment = this.store.validate('Appointment', { ...(body as object), id });
        const req = bookingRequest(appointment);
        if (req.status !== 'booked' && req.status !== 'pending')
          throw unprocessable(
            'A booking has status booked (or pending for a short hold); join the waitlist for anything else',
            'Appointment.status',
          );
        const slot = await this.bookableSlot(em, appointment, ctx);
        await this.assertConsent(em, appointment, req.patientId as string, ctx);
        const verdict = await this.runChecks(em, appointment, slot, ctx);
        await this.releaseExpiredHolds(em, slot.practitionerId, slot.start, slot.end);
        await this.assertUnclaimed(em, slot);
        const held = req.status === 'pending';
        await this.claim(em, slot, id, String(req.patientId), held ? 'held' : 'booked', {
          holdSeconds: opts.holdSeconds ?? this.holdSeconds,
          holdUntil: verdict.holdUntil ?? null,
          bookedBy: ctx.access.principal.fhirUser ?? subject,
        });
        // Who booked (the patient, a guardian, station staff): kept on the appointment itself.
        const bookedBy = ctx.access.principal.fhirUser;
        const extension = [
          ...((appointment.extension as { url?: string }[] | undefined) ?? []).filter(
            (e) => e.url !== BOOKED_BY_URL,
          ),
          ...(bookedBy ? [{ url: BOOKED_BY_URL, valueReference: { reference: bookedBy } }] : []),
        ];
        const content: FhirResource = {
          ...appointment,
          start: slot.start.toISOString(),
          end: slot.end.toISOString(),
          minutesDuration: Math.round((slot.end.getTime() - slot.start.getTime()) / 60000),
          created: (appointment.created as string | undefined) ?? new Date().toISOString().slice(0, 10),
          ...(extension.length > 0 ? { extension } : {}),
        };
        const { version } = await this.store.create(em, 'Appointment', content, {
          id,
          pending,
          access: ctx.access,
          asOwner: OWNER,
        });
        await this.slots.setStatus(em, slot.slotId, held ? 'busy-tentative' : 'busy', pending);
        const booked = version.content as FhirResource;
        if (held) {
          const expiry: { hold_expires_at: Date }[] = await em.query(
            `SELECT hold_expires_at FROM scheduling.booking WHERE appointment_id = $1 AND status = 'held'`,
            [id],
          );
          await this.events?.held(
            em,
            booked,
            new Date((expiry[0] as { hold_expires_at: Date }).hold_expires_at),
          );
        } else await this.events?.booked(em, booked);
        await opts.after?.(em, booked);
        const response: FhirResponse = {
          status: 201,
          headers: versionHeaders(this.base, version),
          body: version.content,
        };
        if (key)
          await em.query(
            `INSERT INTO scheduling.idempotency (subject, key, request_hash, status, response)
             VALUES ($1, $2, $3, 201, $4)`,
            [subject, key, hash, JSON.stringify({ headers: response.headers, body: response.body })],
          );
        return response;
      });
    } catch (err) {
      const constraint = constraintOf(err);
      const taken = err instanceof FhirError && err.getStatus() === 409;
      if (key && (constraint === 'idempotency_pkey' || constraint?.startsWith('booking_') || taken)) {
        // A concurrent retry with the same key may have won: it answers for this one too.
        const prior = await this.replay(subject, key, hash);
        if (prior) return prior;
      }
      if (constraint?.startsWith('booking_')) {
        const slotId = bookingRequest(body as Record<string, unknown>).slotId ?? '';
        throw slotTaken(slotId);
      }
      throw err;
    }
  }

  /** The stored answer to an earlier request with this Idempotency-Key (422 if it was another request). */
  private async replay(subject: string, key: string, hash: string): Promise<FhirResponse | undefined> {
    const rows: {
      request_hash: string;
      status: number;
      response: { headers: Record<string, string>; body: unknown };
    }[] = await this.db.query(
      `SELECT request_hash, status, response FROM scheduling.idempotency WHERE subject = $1 AND key = $2`,
      [subject, key],
    );
    const r = rows[0];
    if (!r) return undefined;
    if (r.request_hash !== hash)
      throw unprocessable(
        'This Idempotency-Key was used for a different request / Khóa idempotency đã dùng cho yêu cầu khác',
      );
    return { status: r.status, headers: r.response.headers, body: r.response.body };
  }

  /** The Slot an appointment asks for, checked: exists, this practitioner's, not past, not taken. */
  private async bookableSlot(
    em: EntityManager,
    appointment: FhirResource,
    ctx: RequestContext,
  ): Promise<SlotRow> {
    const req = bookingRequest(appointment);
    if (req.slotCount !== 1 || !req.slotId)
      throw unprocessable(
        'A booking names exactly one Slot (slot[0].reference = Slot/id)',
        'Appointment.slot',
      );
    if (req.patientCount !== 1 || !req.patientId)
      throw unprocessable('A booking has exactly one Patient participant', 'Appointment.participant');
    // Someone else's patient is answered exactly like a missing one: a booking is no probe of ids.
    const patient = ctx.access.canReachPatient(req.patientId)
      ? await this.store.read('Patient', req.patientId, ctx.access, em).catch(() => undefined)
      : undefined;
    if (!patient) throw unknownPatient(req.patientId);
    // Claimants of one slot queue on its registry row (FOR UPDATE): the first commits, the next
    // then meet its claim as a clean constraint violation (409) instead of a mutual wait on each
    // other's uncommitted inserts (a deadlock PostgreSQL resolves only after deadlock_timeout).
    // (The embedded engine runs one transaction at a time, so it needs no lock — and its socket
    // multiplexer stalls on row locks under contention.)
    const slot = await this.slots.row(em, req.slotId, this.engine.kind === 'postgresql');
    if (!slot)
      throw unprocessable(
        `Slot/${req.slotId} does not exist`,
        'Appointment.slot',
        'SCHEDULING.SLOT_NOT_FOUND',
      );
    const schedule = await this.slots.schedule(em, slot.scheduleId);
    const practitioners = req.actors.filter(
      (a) => a.startsWith('Practitioner/') || a.startsWith('PractitionerRole/'),
    );
    const mine = new Set([
      `Practitioner/${slot.practitionerId}`,
      ...schedule.roles.map((r) => `PractitionerRole/${r}`),
    ]);
    if (practitioners.length === 0 || !practitioners.some((a) => mine.has(a)))
      throw unprocessable(
        `Slot/${slot.slotId} belongs to Practitioner/${slot.practitionerId}, who is not a participant / Khung giờ thuộc về bác sĩ khác`,
        'Appointment.participant',
      );
    if (slot.end.getTime() <= Date.now())
      throw unprocessable(
        `Slot/${slot.slotId} is in the past / Khung giờ đã qua`,
        'Appointment.slot',
        'SCHEDULING.SLOT_PAST',
      );
    for (const [field, value] of [
      ['start', slot.start],
      ['end', slot.end],
    ] as const) {
      const given = appointment[field] as string | undefined;
      if (given !== undefined && new Date(given).getTime() !== value.getTime())
        throw unprocessable(
          `Appointment.${field} must equal the slot's (${value.toISOString()})`,
          `Appointment.${field}`,
        );
    }
    const fhirSlot = (await this.store.read('Slot', slot.slotId, CHECKS, em)).content as { status?: string };
    if (fhirSlot.status === 'busy-unavailable')
      throw new FhirError(
        409,
        'conflict',
        `Slot/${slot.slotId} is not available / Khung giờ không nhận đặt lịch`,
        ['Appointment.slot'],
      );
    return slot;
  }

  /**
   * Booking on someone's behalf (station staff, a practitioner): the patient's consent to the
   * booking is a Consent of that patient, active, referenced in supportingInformation.
   */
  private async assertConsent(
    em: EntityManager,
    appointment: FhirResource,
    patientId: string,
    ctx: RequestContext,
  ): Promise<void> {
    const role = ctx.access.principal.role;
    if (role !== 'clinic-staff') return;
    const refs = ((appointment.supportingInformation as { reference?: string }[] | undefined) ?? [])
      .map((r) => r.reference)
      .filter((r): r is string => typeof r === 'string' && r.startsWith('Consent/'));
    for (const r of refs) {
      const c = await this.store.read('Consent', r.slice(8), CHECKS, em).catch(() => undefined);
      const content = c?.content as { status?: string; patient?: { reference?: string } } | undefined;
      if (content?.status === 'active' && content.patient?.reference === `Patient/${patientId}`) return;
    }
    throw unprocessable(
      "Booking on a patient's behalf needs their active Consent in Appointment.supportingInformation / Cần có sự đồng ý của bệnh nhân khi đặt lịch thay",
      'Appointment.supportingInformation',
      'SCHEDULING.CONSENT_REQUIRED',
    );
  }

  /** Inserts the live claim the exclusion constraint arbitrates (a hold expires after `holdSeconds`, or at `holdUntil`). */
  private async claim(
    em: EntityManager,
    slot: SlotRow,
    appointmentId: string,
    patientId: string,
    status: 'held' | 'booked',
    opts: { holdSeconds?: number; holdUntil?: Date | null; bookedBy: string },
  ): Promise<void> {
    await em.query(
      `INSERT INTO scheduling.booking
         (slot_id, appointment_id, practitioner_id, patient_id, during, status, hold_expires_at, booked_by)
       VALUES ($1, $2, $3, $4, tstzrange($5, $6, '[)'), $7,
               CASE WHEN $7 = 'held' THEN coalesce($8::timestamptz, now() + make_interval(secs => $9)) END, $10)`,
      [
        slot.slotId,
        appointmentId,
        slot.practitionerId,
        patientId,
        slot.start.toISOString(),
        slot.end.toISOString(),
        status,
        opts.holdUntil?.toISOString() ?? null,
        opts.holdSeconds ?? this.holdSeconds,
        opts.bookedBy,
      ],
    );
  }

  /**
   * The common loser's path, answered without provoking a constraint error: a live claim on the
   * slot (or the practitioner's time) means 409 now. The constraints remain the arbiter for a
   * claim committed between this check and the insert.
   */
  private async assertUnclaimed(em: EntityManager, slot: SlotRow): Promise<void> {
    const live: unknown[] = await em.query(
      `SELECT 1 FROM scheduling.booking WHERE status <> 'released'
          AND (slot_id = $1 OR (practitioner_id = $2 AND during && tstzrange($3, $4, '[)'))) LIMIT 1`,
      [slot.slotId, slot.practitionerId, slot.start.toISOString(), slot.end.toISOString()],
    );
    if (live.length > 0) throw slotTaken(slot.slotId);
  }

  /** Holds past their expiry stop blocking: released, their Appointment cancelled, the Slot freed. */
  async releaseExpiredHolds(
    em: EntityManager,
    practitionerId?: string,
    start?: Date,
    end?: Date,
  ): Promise<number> {
    const rows = rowsOf<{ appointment_id: string; slot_id: string }>(
      await em.query(
        `UPDATE scheduling.booking SET status = 'released', released_at = now(), release_reason = 'hold-expired'
        WHERE status = 'held' AND hold_expires_at <= now()
          AND ($1::text IS NULL OR (practitioner_id = $1 AND during && tstzrange($2, $3, '[)')))
        RETURNING appointment_id, slot_id`,
        [practitionerId ?? null, start?.toISOString() ?? null, end?.toISOString() ?? null],
      ),
    );
    for (const r of rows) {
      const a = await this.store.read('Appointment', r.appointment_id, STATE, em);
      const content = a.content as FhirResource;
      await this.store.update(
        em,
        'Appointment',
        r.appointment_id,
        {
          ...content,
          status: 'cancelled',
          cancelationReason: { text: 'Hold expired / Hết thời gian giữ chỗ' },
        },
        { asOwner: OWNER, access: STATE },
      );
      await this.slots.setStatus(em, r.slot_id, 'free', []);
    }
    return rows.length;
  }

  /**
   * A status change by another context inside its own transaction (the consultation marks the
   * appointment arrived, fulfilled): the same transition rules, no slot change.
   */
  async transition(
    em: EntityManager,
    id: string,
    status: string,
    pending: unknown[] = [],
    /** Only from these statuses; from any other the Appointment is answered unchanged. */
    onlyFrom?: readonly string[],
  ): Promise<FhirResource> {
    const current = (await this.store.read('Appointment', id, STATE, em)).content as FhirResource;
    if (onlyFrom && !onlyFrom.includes(String(current.status))) return current;
    const bad = transitionError(String(current.status), status);
    if (bad) throw unprocessable(bad, 'Appointment.status');
    return this.slots.setField(em, 'Appointment', id, { status }, pending);
  }

  /** PUT /fhir/Appointment/{id}: lifecycle transitions, confirming a hold, rescheduling, cancelling. */
  async update(id: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    const ifMatch = parseIfMatch(ctx.ifMatch);
    try {
      const { version } = await this.store.transaction(async (em, pending) => {
        const current = await this.store.read('Appointment', id, ctx.access, em);
        const next = this.store.validate('Appointment', body, id);
        const before = bookingRequest(current.content as FhirResource);
        const after = bookingRequest(next);
        const expiredHold =
          before.status === 'cancelled' &&
          String(
            (current.content as { cancelationReason?: { text?: string } }).cancelationReason?.text,
          ).startsWith('Hold expired');
        if (expiredHold && after.status !== 'cancelled') throw holdExpired();
        const bad = transitionError(before.status, after.status);
        if (bad) throw unprocessable(bad, 'Appointment.status', 'SCHEDULING.STATUS_CHANGE');
        if (after.patientId !== before.patientId)
          throw unprocessable(
            'The patient of an appointment cannot change; book a new one',
            'Appointment.participant',
          );
        if (ctx.access.principal.role === 'patient' && !patientMayTransition(before.status, after.status))
          throw forbidden(
            `Patients may confirm, reschedule or cancel their appointments, not set ${after.status}`,
            'SCHEDULING.PATIENT_STATUS_CHANGE',
          );
        const claims: Claim[] = await em.query(
          `SELECT id, slot_id, status, hold_expires_at FROM scheduling.booking
            WHERE appointment_id = $1 AND status <> 'released' FOR UPDATE`,
          [id],
        );
        const claim = claims[0];
        let content: FhirResource = next;
        const released: { slot: SlotRow; reason: string }[] = [];
        if (HOLDS_SLOT.has(after.status)) {
          if (!claim)
            throw unprocessable(
              'This appointment holds no slot any more; book again',
              'Appointment.slot',
              'SCHEDULING.NO_SLOT',
            );
          if (
            claim.status === 'held' &&
            claim.hold_expires_at &&
            claim.hold_expires_at.getTime() <= Date.now()
          )
            throw holdExpired();
          if (after.slotId !== claim.slot_id) {
            // Reschedule: the new slot is claimed and the old one freed in this one transaction.
            const slot = await this.bookableSlot(em, next, ctx);
            const verdict = await this.runChecks(em, next, slot, ctx); // the new time, and whatever else changed
            const old = await this.slots.row(em, claim.slot_id);
            await em.query(
              `UPDATE scheduling.booking SET status = 'released', released_at = now(), release_reason = 'rescheduled' WHERE id = $1`,
              [claim.id],
            );
            await this.releaseExpiredHolds(em, slot.practitionerId, slot.start, slot.end);
            await this.assertUnclaimed(em, slot);
            const status = after.status === 'pending' ? 'held' : 'booked';
            await this.claim(em, slot, id, String(after.patientId), status, {
              holdUntil: status === 'held' ? (verdict.holdUntil ?? claim.hold_expires_at) : null,
              bookedBy: ctx.access.principal.fhirUser ?? ctx.access.principal.subject,
            });
            if (old) {
              await this.slots.setStatus(em, old.slotId, 'free', pending);
              released.push({ slot: old, reason: 'rescheduled' });
            }
            await this.slots.setStatus(
              em,
              slot.slotId,
              status === 'held' ? 'busy-tentative' : 'busy',
              pending,
            );
            content = { ...next, start: slot.start.toISOString(), end: slot.end.toISOString() };
          } else {
            const slot = await this.slots.row(em, claim.slot_id);
            for (const [field, value] of [
              ['start', slot?.start],
              ['end', slot?.end],
            ] as const) {
              if (
                value &&
                next[field] !== undefined &&
                new Date(String(next[field])).getTime() !== value.getTime()
              )
                throw unprocessable(
                  'To change the time, reschedule to another slot',
                  `Appointment.${field}`,
                  'SCHEDULING.TIME_CHANGE',
                );
            }
            // --- care: booking checks (a hold confirmed, or a live booking whose reason, service or
            // triage changed) ---
            const confirming = claim.status === 'held' && after.status === 'booked';
            const changed = GATED_FIELDS.some(
              (f) => !isDeepStrictEqual(next[f] ?? null, current.content?.[f] ?? null),
            );
            if ((confirming || changed) && slot && (after.status === 'booked' || after.status === 'pending'))
              await this.runChecks(em, next, slot, ctx);
            // --- end care: booking checks ---
            if (claim.status === 'held' && after.status !== 'pending') {
              await em.query(
                `UPDATE scheduling.booking SET status = 'booked', hold_expires_at = NULL WHERE id = $1`,
                [claim.id],
              );
              await this.slots.setStatus(em, claim.slot_id, 'busy', pending);
            }
          }
        } else if (claim && (after.status === 'cancelled' || after.status === 'entered-in-error')) {
          await em.query(
            `UPDATE scheduling.booking SET status = 'released', released_at = now(), release_reason = $2 WHERE id = $1`,
            [claim.id, after.status],
          );
          const slot = await this.slots.row(em, claim.slot_id);
          if (slot && slot.end.getTime() > Date.now())
            await this.slots.setStatus(em, claim.slot_id, 'free', pending);
          if (slot) released.push({ slot, reason: after.status });
        }
        const written = await this.store.update(em, 'Appointment', id, content, {
          ifMatch,
          pending,
          access: ctx.access,
          asOwner: OWNER,
        });
        const appt = written.version.content as FhirResource;
        for (const r of released) await this.events?.released(em, appt, r.slot, r.reason);
        const rescheduled = released.some((r) => r.reason === 'rescheduled');
        const confirmed = before.status === 'pending' && after.status === 'booked';
        if (this.events && (rescheduled || confirmed)) await this.events.booked(em, appt);
        return written;
      });
      return { status: 200, headers: versionHeaders(this.base, version), body: version.content };
    } catch (err) {
      if (constraintOf(err)?.startsWith('booking_'))
        throw slotTaken(bookingRequest(body as Record<string, unknown>).slotId ?? '');
      throw err;
    }
  }
}
