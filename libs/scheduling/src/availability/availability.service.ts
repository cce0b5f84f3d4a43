import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '@mekong/auth';
import { APP_CONFIG, type AppConfig, DomainError, stableUuid } from '@mekong/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import { type FhirResource, FhirStore } from '@mekong/health-record';
import type {
  AvailabilityException,
  AvailabilityExceptionAdded,
  AvailabilityRule,
  AvailabilityRuleAdded,
  ServiceType,
  SlotsWithdrawn,
} from '@mekong/contracts';
import type { DataSource, EntityManager } from 'typeorm';
import { constraintOf, OWNER, SLOTS } from '../booking/booking-errors';
import { SCHEDULING_CONTEXT } from '../scheduling.database';
import { type ScheduleInfo, SlotService } from '../booking/slot.service';
import type { CreateExceptionDto, CreateRuleDto } from './availability.dto';
import { clinicToday, expandExtra, expandRule, type Interval } from './rule-expansion';

export const SERVICE_TYPE_SYSTEM = 'https://mekong.health/fhir/CodeSystem/service-type';
const SERVICE_TYPE_DISPLAY = {
  video: 'Video consultation / Khám từ xa qua video',
  'in-person': 'In-person visit / Khám trực tiếp',
} as const;

/** A rule as the API shows it: the shared contract (libs/contracts). */
export type RuleView = AvailabilityRule;

/**
 * The rule columns, validity dates as 'YYYY-MM-DD' text: pg turns a `date` into a JS Date at local
 * midnight, which prints as "Sun Dec 06 …" and shifts a day when read as UTC east of Greenwich.
 * to_char keeps the calendar day exactly as stored, whatever the process's or session's time zone.
 */
const RULE_COLUMNS = `id, schedule_id, days_of_week, start_time, end_time, slot_minutes, service_type,
  to_char(valid_from, 'YYYY-MM-DD') AS valid_from, to_char(valid_to, 'YYYY-MM-DD') AS valid_to,
  created_by, created_at`;

interface RuleRow {
  id: string;
  schedule_id: string;
  days_of_week: number[];
  start_time: string;
  end_time: string;
  slot_minutes: number;
  service_type: ServiceType;
  valid_from: string;
  valid_to: string | null;
  created_by: string;
  created_at: Date;
}

const view = (r: RuleRow): RuleView => ({
  id: r.id,
  scheduleId: r.schedule_id,
  daysOfWeek: r.days_of_week.map(Number),
  startTime: r.start_time.slice(0, 5),
  endTime: r.end_time.slice(0, 5),
  slotMinutes: r.slot_minutes,
  serviceType: r.service_type,
  validFrom: r.valid_from,
  validTo: r.valid_to,
  timeZone: 'Asia/Ho_Chi_Minh',
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});

/** A slot id stable for (source, start): regenerating a rule never makes a second slot. */
export function stableSlotId(source: string, start: Date): string {
  return stableUuid(`${source}|${start.toISOString()}`);
}

const overlapError = (): DomainError =>
  new DomainError(
    'SCHEDULING.OVERLAP',
    409,
    'These hours overlap slots this practitioner already has / Giờ làm việc trùng với khung giờ đã có',
  );

/**
 * Weekly availability rules and exceptions, materialised as FHIR Slots up to the planning
 * horizon (Schedule.planningHorizon.end, else SCHEDULE_HORIZON_DAYS ahead). Changing rules never
 * touches a slot that has a booking: only free future slots are withdrawn.
 */
@Injectable()
export class AvailabilityService {
  private readonly horizonDays: number;

  constructor(
    private readonly store: FhirStore,
    private readonly slots: SlotService,
    @Inject(APP_CONFIG) config: AppConfig,
    /** Scheduling's own tables, outside a unit of work of the record. */
    @InjectDataSource(SCHEDULING_CONTEXT) private readonly db: DataSource,
  ) {
    this.horizonDays = config.scheduling.horizonDays;
  }

  private horizon(schedule: ScheduleInfo, now = new Date()): Interval {
    const byDays = new Date(now.getTime() + this.horizonDays * 86400000);
    const end = schedule.horizon?.end && schedule.horizon.end < byDays ? schedule.horizon.end : byDays;
    const start = schedule.horizon?.start && schedule.horizon.start > now ? schedule.horizon.start : now;
    return { start, end };
  }

  private async managed(em: EntityManager, scheduleId: string, principal: Principal): Promise<ScheduleInfo> {
    const schedule = await this.slots.schedule(em, scheduleId);
    this.slots.assertManager(principal, schedule);
    return schedule;
  }

  async rules(scheduleId: string): Promise<RuleView[]> {
    const rows: RuleRow[] = await this.db.query(
      `SELECT ${RULE_COLUMNS} FROM scheduling.availability_rule WHERE schedule_id = $1 AND ended_at IS NULL ORDER BY created_at`,
      [scheduleId],
    );
    return rows.map(view);
  }

  async addRule(
    scheduleId: string,
    dto: CreateRuleDto,
    principal: Principal,
  ): Promise<AvailabilityRuleAdded> {
    if (dto.endTime <= dto.startTime)
      throw new DomainError(
        'SCHEDULING.INVALID_RULE',
        400,
        'endTime must be after startTime on the same day',
      );
    if (dto.validTo && dto.validTo < (dto.validFrom ?? clinicToday()))
      throw new DomainError('SCHEDULING.INVALID_RULE', 400, 'validTo must not be before validFrom');
    try {
      return await this.store.transaction(async (em) => {
        const schedule = await this.managed(em, scheduleId, principal);
        const rows: RuleRow[] = await em.query(
          `INSERT INTO scheduling.availability_rule
             (schedule_id, days_of_week, start_time, end_time, slot_minutes, service_type, valid_from, valid_to, created_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING ${RULE_COLUMNS}`,
          [
            scheduleId,
            [...new Set(dto.daysOfWeek)].sort(),
            dto.startTime,
            dto.endTime,
            dto.slotMinutes,
            dto.serviceType,
            dto.validFrom ?? clinicToday(),
            dto.validTo ?? null,
            principal.fhirUser ?? principal.subject,
          ],
        );
        const rule = view(rows[0] as RuleRow);
        return { rule, slotsCreated: await this.materialiseRule(em, schedule, rule) };
      });
    } catch (err) {
      if (constraintOf(err) === 'slot_no_overlap') throw overlapError();
      throw err;
    }
  }

  /** Creates the rule's missing slots up to the horizon; returns how many were made. */
  async materialiseRule(em: EntityManager, schedule: ScheduleInfo, rule: RuleView): Promise<number> {
    const window = this.horizon(schedule);
    const closed = await this.closedPeriods(em, schedule.id, window);
    const intervals = expandRule(
      { ...rule, validTo: rule.validTo ?? undefined },
      window.start,
      window.end,
      closed,
    );
    let made = 0;
    for (const slot of intervals) {
      const id = stableSlotId(rule.id, slot.start);
      if (!(await this.slots.register(em, id, schedule, slot.start, slot.end, rule.id))) continue;
      await this.store.create(em, 'Slot', this.slotContent(schedule, slot, rule.serviceType), {
        id,
        access: SLOTS,
        asOwner: OWNER,
      });
      made++;
    }
    return made;
  }

  private slotContent(
    schedule: ScheduleInfo,
    slot: Interval,
    serviceType: 'video' | 'in-person',
  ): FhirResource {
    const specialty = (schedule.content as { specialty?: unknown[] }).specialty;
    return {
      resourceType: 'Slot',
      schedule: { reference: `Schedule/${schedule.id}` },
      status: 'free',
      serviceType: [
        {
          coding: [
            { system: SERVICE_TYPE_SYSTEM, code: serviceType, display: SERVICE_TYPE_DISPLAY[serviceType] },
          ],
        },
      ],
      ...(specialty && specialty.length > 0 ? { specialty } : {}),
      start: slot.start.toISOString(),
      end: slot.end.toISOString(),
    };
  }

  private async closedPeriods(em: EntityManager, scheduleId: string, window: Interval): Promise<Interval[]> {
    const rows: { s: Date; e: Date }[] = await em.query(
      `SELECT lower(during) AS s, upper(during) AS e FROM scheduling.availability_exception
        WHERE schedule_id = $1 AND kind = 'closed' AND during && tstzrange($2, $3, '[)')`,
      [scheduleId, window.start.toISOString(), window.end.toISOString()],
    );
    return rows.map((r) => ({ start: new Date(r.s), end: new Date(r.e) }));
  }

  /**
   * Withdraws future free slots matching `where` (rule or period): each becomes a tombstone in
   * the record. Slots with a live booking stay; their appointments are returned so the doctor
   * can reschedule them.
   */
  private async withdraw(em: EntityManager, where: string, params: unknown[]): Promise<SlotsWithdrawn> {
    const rows: { slot_id: string; appointment_id: string | null }[] = await em.query(
      `SELECT s.slot_id, b.appointment_id FROM scheduling.slot s
         LEFT JOIN scheduling.booking b ON b.slot_id = s.slot_id AND b.status <> 'released'
        WHERE s.active AND upper(s.during) > now() AND ${where}
        FOR UPDATE OF s`,
      params,
    );
    let removed = 0;
    for (const r of rows) {
      if (r.appointment_id) continue;
      await em.query(`UPDATE scheduling.slot SET active = false WHERE slot_id = $1`, [r.slot_id]);
      await this.store.delete(em, 'Slot', r.slot_id, SLOTS, OWNER);
      removed++;
    }
    return {
      slotsRemoved: removed,
      bookedKept: rows.flatMap((r) => (r.appointment_id ? [`Appointment/${r.appointment_id}`] : [])),
    };
  }

  async endRule(scheduleId: string, ruleId: string, principal: Principal): Promise<SlotsWithdrawn> {
    return this.store.transaction(async (em) => {
      await this.managed(em, scheduleId, principal);
      const ended = rowsOf(
        await em.query(
          `UPDATE scheduling.availability_rule SET ended_at = now() WHERE id::text = $1 AND schedule_id = $2 AND ended_at IS NULL RETURNING id`,
          [ruleId, scheduleId],
        ),
      );
      if (ended.length === 0)
        throw new DomainError('not-found', 404, `No active rule ${ruleId} on this schedule`);
      return this.withdraw(em, 's.rule_id::text = $1', [ruleId]);
    });
  }

  async exceptions(scheduleId: string): Promise<AvailabilityException[]> {
    const rows: {
      id: string;
      kind: 'closed' | 'extra';
      s: Date;
      e: Date;
      reason: string;
      slot_minutes: number | null;
      service_type: ServiceType | null;
      created_by: string;
    }[] = await this.db.query(
      `SELECT id, kind, lower(during) AS s, upper(during) AS e, reason, slot_minutes, service_type, created_by
           FROM scheduling.availability_exception WHERE schedule_id = $1 ORDER BY lower(during)`,
      [scheduleId],
    );
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      start: new Date(r.s).toISOString(),
      end: new Date(r.e).toISOString(),
      reason: r.reason,
      slotMinutes: r.slot_minutes ?? undefined,
      serviceType: r.service_type ?? undefined,
      createdBy: r.created_by,
    }));
  }

  async addException(
    scheduleId: string,
    dto: CreateExceptionDto,
    principal: Principal,
  ): Promise<AvailabilityExceptionAdded> {
    const period = { start: new Date(dto.start), end: new Date(dto.end) };
    if (!(period.end > period.start))
      throw new DomainError('SCHEDULING.INVALID_EXCEPTION', 400, 'end must be after start');
    if (dto.kind === 'extra' && (!dto.slotMinutes || !dto.serviceType))
      throw new DomainError(
        'SCHEDULING.INVALID_EXCEPTION',
        400,
        'Extra hours need slotMinutes and serviceType',
      );
    try {
      return await this.store.transaction(async (em) => {
        const schedule = await this.managed(em, scheduleId, principal);
        const rows: { id: string }[] = await em.query(
          `INSERT INTO scheduling.availability_exception (schedule_id, kind, during, slot_minutes, service_type, reason, created_by)
           VALUES ($1, $2, tstzrange($3, $4, '[)'), $5, $6, $7, $8) RETURNING id`,
          [
            scheduleId,
            dto.kind,
            period.start.toISOString(),
            period.end.toISOString(),
            dto.slotMinutes ?? null,
            dto.serviceType ?? null,
            dto.reason,
            principal.fhirUser ?? principal.subject,
          ],
        );
        const id = (rows[0] as { id: string }).id;
        if (dto.kind === 'closed') {
          const result = await this.withdraw(
            em,
            `s.schedule_id = $1 AND s.during && tstzrange($2, $3, '[)')`,
            [scheduleId, period.start.toISOString(), period.end.toISOString()],
          );
          return { id, slotsCreated: 0, ...result };
        }
        const window = this.horizon(schedule);
        if (period.start < window.start || period.end > window.end)
          throw new DomainError(
            'SCHEDULING.OUTSIDE_HORIZON',
            422,
            'Extra hours must lie within the planning horizon / Ngoài thời gian lập lịch',
          );
        const closed = await this.closedPeriods(em, scheduleId, period);
        let made = 0;
        for (const slot of expandExtra(period, dto.slotMinutes as number, closed)) {
          const slotId = stableSlotId(id, slot.start);
          await this.slots.register(em, slotId, schedule, slot.start, slot.end, null);
          await this.store.create(em, 'Slot', this.slotContent(schedule, slot, dto.serviceType as 'video'), {
            id: slotId,
            access: SLOTS,
            asOwner: OWNER,
          });
          made++;
        }
        return { id, slotsCreated: made, slotsRemoved: 0, bookedKept: [] };
      });
    } catch (err) {
      if (constraintOf(err) === 'slot_no_overlap') throw overlapError();
      throw err;
    }
  }

  /** Moves every active rule's slots up to the horizon (the daily job; also safe to run any time). */
  async materialiseAll(): Promise<number> {
    const rules: RuleRow[] = await this.db.query(
      `SELECT ${RULE_COLUMNS} FROM scheduling.availability_rule WHERE ended_at IS NULL AND (valid_to IS NULL OR valid_to >= current_date - 1)`,
    );
    let made = 0;
    for (const r of rules) {
      made += await this.store
        .transaction(async (em) =>
          this.materialiseRule(em, await this.slots.schedule(em, r.schedule_id), view(r)),
        )
        .catch((err: unknown) => {
          if (constraintOf(err) === 'slot_no_overlap') return 0; // a manual slot took the time: skip it
          throw err;
        });
    }
    return made;
  }
}
