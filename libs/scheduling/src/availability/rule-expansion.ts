import { DateTime } from 'luxon';

/** Vietnam has one offset all year (UTC+7, no daylight saving); luxon still does the arithmetic. */
export const CLINIC_ZONE = 'Asia/Ho_Chi_Minh';

export interface WeeklyRule {
  /** ISO weekdays, 1 = Monday … 7 = Sunday. */
  readonly daysOfWeek: readonly number[];
  /** Local wall-clock times "HH:mm" in CLINIC_ZONE; end after start on the same day. */
  readonly startTime: string;
  readonly endTime: string;
  readonly slotMinutes: number;
  /** Local dates "YYYY-MM-DD", inclusive; validTo open when undefined. */
  readonly validFrom: string;
  readonly validTo?: string;
}

export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

function hm(s: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(s);
  if (!m) throw new Error(`Not a time HH:mm: ${s}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** A local calendar day "YYYY-MM-DD" in CLINIC_ZONE; anything else is an error, never "no limit". */
function localDay(s: string): DateTime<true> {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(s) ? DateTime.fromISO(s, { zone: CLINIC_ZONE }) : undefined;
  if (!day?.isValid) throw new Error(`Not a date YYYY-MM-DD: ${s}`);
  return day.startOf('day');
}

/**
 * The slots a weekly rule yields between `from` and `to` (instants): every whole slot that starts
 * at or after `from`, ends by `to`, lies in the rule's validity, and overlaps no `closed` interval.
 * Days are walked in CLINIC_ZONE so "Monday 06:00" is Monday in Vietnam (Sunday 23:00 UTC).
 */
export function expandRule(
  rule: WeeklyRule,
  from: Date,
  to: Date,
  closed: readonly Interval[] = [],
): Interval[] {
  const start = hm(rule.startTime);
  const end = hm(rule.endTime);
  const out: Interval[] = [];
  const lastDay = DateTime.fromJSDate(to, { zone: CLINIC_ZONE }).startOf('day');
  const validFrom = localDay(rule.validFrom);
  const validTo = rule.validTo ? localDay(rule.validTo) : undefined;
  let day = DateTime.fromJSDate(from, { zone: CLINIC_ZONE }).startOf('day');
  if (day < validFrom) day = validFrom;
  for (; day <= lastDay; day = day.plus({ days: 1 })) {
    if (validTo && day > validTo) break;
    if (!rule.daysOfWeek.includes(day.weekday)) continue;
    const open = day.set(start);
    const close = day.set(end);
    for (
      let s = open;
      s.plus({ minutes: rule.slotMinutes }) <= close;
      s = s.plus({ minutes: rule.slotMinutes })
    ) {
      const slot = { start: s.toJSDate(), end: s.plus({ minutes: rule.slotMinutes }).toJSDate() };
      if (slot.start < from || slot.end > to) continue;
      if (closed.some((c) => overlaps(c, slot))) continue;
      out.push(slot);
    }
  }
  return out;
}

/** Slots of one-off extra hours [start, end): consecutive slots of `slotMinutes` that fit. */
export function expandExtra(
  period: Interval,
  slotMinutes: number,
  closed: readonly Interval[] = [],
): Interval[] {
  const out: Interval[] = [];
  for (
    let s = period.start.getTime();
    s + slotMinutes * 60000 <= period.end.getTime();
    s += slotMinutes * 60000
  ) {
    const slot = { start: new Date(s), end: new Date(s + slotMinutes * 60000) };
    if (!closed.some((c) => overlaps(c, slot))) out.push(slot);
  }
  return out;
}

/** Today's date in Vietnam ("YYYY-MM-DD"). */
export function clinicToday(now = new Date()): string {
  return DateTime.fromJSDate(now, { zone: CLINIC_ZONE }).toISODate() as string;
}
