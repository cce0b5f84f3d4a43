import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
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
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { CHECKS, constraintOf, forbidden, OWNER, STATE, unprocessable } from './booking-errors';

export interface SlotRow {
  readonly slotId: string;
  readonly scheduleId: string;
  readonly practitionerId: string;
  readonly start: Date;
  readonly end: Date;
}

export interface ScheduleInfo {
  readonly id: string;
  readonly practitionerId: string;
  /** PractitionerRole actors of the schedule (a booking may name the role instead of the person). */
  readonly roles: readonly string[];
  readonly horizon?: { start?: Date; end?: Date };
  readonly content: FhirResource;
}

const ref = (r: unknown): string | undefined =>
  typeof (r as { reference?: unknown } | undefined)?.reference === 'string'
    ? (r as { reference: string }).reference
    : undefined;

/** Creates and changes Slots under the scheduling rules; the slot registry refuses overlaps. */
@Injectable()
export class SlotService {
  readonly base: string;

  constructor(
    private readonly store: FhirStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.base = `${config.publicUrl}/fhir`;
  }

  /** The practitioner behind a Schedule (actor Practitioner, or PractitionerRole.practitioner). */
  async schedule(em: EntityManager, scheduleId: string): Promise<ScheduleInfo> {
    let s;
    try {
      s = await this.store.read('Schedule', scheduleId, CHECKS, em);
    } catch {
      throw unprocessable(`Schedule/${scheduleId} does not exist`, 'Slot.schedule');
    }
    const content = s.content as FhirResource & {
      actor?: unknown[];
      planningHorizon?: { start?: string; end?: string };
    };
    const actors = (content.actor ?? []).map(ref).filter((r): r is string => r !== undefined);
    let practitionerId = actors.find((a) => a.startsWith('Practitioner/'))?.slice(13);
    const roles = actors.filter((a) => a.startsWith('PractitionerRole/')).map((a) => a.slice(17));
    if (!practitionerId && roles[0]) {
      const role = await this.store.read('PractitionerRole', roles[0], CHECKS, em).catch(() => undefined);
      practitionerId = ref((role?.content as { practitioner?: unknown } | undefined)?.practitioner)?.slice(
        13,
      );
    }
    if (!practitionerId)
      throw unprocessable(
        `Schedule/${scheduleId} has no Practitioner or PractitionerRole actor to book with`,
        'Schedule.actor',
      );
    const h = content.planningHorizon;
    return {
      id: scheduleId,
      practitionerId,
      roles,
      horizon: h
        ? { start: h.start ? new Date(h.start) : undefined, end: h.end ? new Date(h.end) : undefined }
        : undefined,
      content,
    };
  }

  async row(em: EntityManager, slotId: string, lock = false): Promise<SlotRow | undefined> {
    const rows: { slot_id: string; schedule_id: string; practitioner_id: string; s: Date; e: Date }[] =
      await em.query(
        `SELECT slot_id, schedule_id, practitioner_id, lower(during) AS s, upper(during) AS e
           FROM scheduling.slot WHERE slot_id = $1 AND active${lock ? ' FOR UPDATE' : ''}`,
        [slotId],
      );
    const r = rows[0];
    return r
      ? {
          slotId: r.slot_id,
          scheduleId: r.schedule_id,
          practitionerId: r.practitioner_id,
          start: new Date(r.s),
          end: new Date(r.e),
        }
      : undefined;
  }

  /** Only the schedule's own practitioner, administrators and system clients publish slots. */
  assertManager(p: Principal, schedule: ScheduleInfo): void {
    if (p.role === 'admin' || p.role === 'system') return;
    if (p.role === 'practitioner' && p.fhirUser === `Practitioner/${schedule.practitionerId}`) return;
    throw forbidden(
      `Only the schedule's practitioner or an administrator manages its slots / Chỉ bác sĩ của lịch hoặc quản trị viên được thay đổi khung giờ`,
    );
  }

  /** Checks a Slot's times against the rules and its Schedule; returns the schedule. */
  private async check(
    em: EntityManager,
    slot: FhirResource,
  ): Promise<{ schedule: ScheduleInfo; start: Date; end: Date }> {
    const s = slot as FhirResource & { schedule?: unknown; start?: string; end?: string; status?: string };
    const scheduleRef = ref(s.schedule);
    if (!scheduleRef?.startsWith('Schedule/'))
      throw unprocessable('Slot.schedule must reference a Schedule', 'Slot.schedule');
    const schedule = await this.schedule(em, scheduleRef.slice(9));
    const start = new Date(String(s.start));
    const end = new Date(String(s.end));
    if (!(end.getTime() > start.getTime()))
      throw unprocessable('Slot.end must be after Slot.start', 'Slot.end');
    if (end.getTime() - start.getTime() > 24 * 3600_000)
      throw unprocessable('A slot lasts at most 24 hours', 'Slot.end');
    const h = schedule.horizon;
    if ((h?.start && start < h.start) || (h?.end && end > h.end))
      throw unprocessable(
        `The slot falls outside the schedule's planning horizon (${h.start?.toISOString() ?? '…'} – ${h.end?.toISOString() ?? '…'}) / Khung giờ nằm ngoài thời gian lập lịch`,
        'Slot.start',
      );
    if (s.status !== 'free' && s.status !== 'busy-unavailable')
      throw unprocessable(
        'A slot is published as free or busy-unavailable; busy is set by bookings',
        'Slot.status',
      );
    return { schedule, start, end };
  }

  async create(body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    const id = randomUUID();
    const { version } = await this.store
      .transaction(async (em, pending) => {
        const slot = this.store.validate('Slot', { ...(body as object), id });
        const { schedule, start, end } = await this.check(em, slot);
        this.assertManager(ctx.access.principal, schedule);
        await this.register(em, id, schedule, start, end, null);
        return this.store.create(em, 'Slot', slot, { id, pending, access: ctx.access, asOwner: OWNER });
      })
      .catch(rethrowOverlap);
    return { status: 201, headers: versionHeaders(this.base, version), body: version.content };
  }

  /** Generated slots (availability rules) go through the same registry; false if one already exists. */
  async register(
    em: EntityManager,
    id: string,
    schedule: ScheduleInfo,
    start: Date,
    end: Date,
    ruleId: string | null,
  ): Promise<boolean> {
    const rows: unknown[] = await em.query(
      `INSERT INTO scheduling.slot (slot_id, schedule_id, practitioner_id, during, rule_id)
       VALUES ($1, $2, $3, tstzrange($4, $5, '[)'), $6)
       ON CONFLICT (slot_id) DO NOTHING RETURNING slot_id`,
      [id, schedule.id, schedule.practitionerId, start.toISOString(), end.toISOString(), ruleId],
    );
    return rows.length > 0;
  }

  async update(id: string, body: unknown, ctx: RequestContext): Promise<FhirResponse> {
    const ifMatch = parseIfMatch(ctx.ifMatch);
    const { version, created } = await this.store
      .transaction(async (em, pending) => {
        const row = await this.row(em, id, true);
        if (!row) throw new FhirError(404, 'not-found', `Slot/${id} not found (slots are created with POST)`);
        await this.assertFree(em, id);
        const slot = this.store.validate('Slot', body, id);
        const { schedule, start, end } = await this.check(em, slot);
        this.assertManager(ctx.access.principal, schedule);
        await em.query(
          `UPDATE scheduling.slot SET during = tstzrange($2, $3, '[)'), schedule_id = $4, practitioner_id = $5 WHERE slot_id = $1`,
          [id, start.toISOString(), end.toISOString(), schedule.id, schedule.practitionerId],
        );
        return this.store.update(em, 'Slot', id, slot, {
          ifMatch,
          pending,
          access: ctx.access,
          asOwner: OWNER,
        });
      })
      .catch(rethrowOverlap);
    return {
      status: created ? 201 : 200,
      headers: versionHeaders(this.base, version),
      body: version.content,
    };
  }

  async delete(id: string, ctx: RequestContext): Promise<FhirResponse> {
    await this.store.transaction(async (em) => {
      const row = await this.row(em, id, true);
      if (!row) return;
      await this.assertFree(em, id);
      this.assertManager(ctx.access.principal, await this.schedule(em, row.scheduleId));
      await em.query(`UPDATE scheduling.slot SET active = false WHERE slot_id = $1`, [id]);
      await this.store.delete(em, 'Slot', id, ctx.access, OWNER);
    });
    return { status: 204 };
  }

  private async assertFree(em: EntityManager, slotId: string): Promise<void> {
    const live: unknown[] = await em.query(
      `SELECT 1 FROM scheduling.booking WHERE slot_id = $1 AND status <> 'released'`,
      [slotId],
    );
    if (live.length > 0)
      throw new FhirError(
        409,
        'conflict',
        `Slot/${slotId} has a booking: reschedule or cancel the appointment first / Khung giờ đã có lịch hẹn`,
      );
  }

  /** Sets the FHIR Slot's status (busy when booked, busy-tentative when held, free when released). */
  async setStatus(
    em: EntityManager,
    slotId: string,
    status: string,
    pending: unknown[],
  ): Promise<FhirResource> {
    return this.setField(em, 'Slot', slotId, { status }, pending);
  }

  /** Writes a new version of an owned resource with `patch` applied (no version when nothing changes). */
  async setField(
    em: EntityManager,
    type: 'Slot' | 'Appointment',
    id: string,
    patch: Record<string, unknown>,
    pending: unknown[],
  ): Promise<FhirResource> {
    const content = (await this.store.read(type, id, STATE, em)).content as FhirResource;
    if (Object.entries(patch).every(([k, v]) => content[k] === v)) return content;
    const { version } = await this.store.update(
      em,
      type,
      id,
      { ...content, ...patch },
      {
        pending: pending as never,
        asOwner: OWNER,
        access: STATE,
      },
    );
    return version.content as FhirResource;
  }
}

function rethrowOverlap(err: unknown): never {
  if (constraintOf(err) === 'slot_no_overlap')
    throw new FhirError(
      409,
      'conflict',
      'The slot overlaps another slot of the same practitioner / Khung giờ trùng với khung giờ khác của bác sĩ',
      ['Slot.start'],
    );
  throw err;
}
