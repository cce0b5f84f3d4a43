import { DateTime, type DurationLikeObject } from 'luxon';

/** All calendar arithmetic happens in Vietnam's zone (UTC+07:00, no DST). */
export const CARE_ZONE = 'Asia/Ho_Chi_Minh';

/** An age or interval, e.g. `{ months: 2 }`; luxon semantics (month ends clamp: 31 Jan + 1 month = 28/29 Feb). */
export type AgeDuration = Pick<DurationLikeObject, 'years' | 'months' | 'weeks' | 'days'>;

/**
 * Parses an ISO date (`2026-01-15`) or date-time (`2026-01-14T20:00:00Z`) into the start of its
 * calendar day in Asia/Ho_Chi_Minh. A date-time is first converted to Vietnam time, so
 * 2026-01-14T20:00:00Z is 15 Jan in Vietnam.
 */
export function vnDay(iso: string, what = 'date'): DateTime {
  const dt = DateTime.fromISO(iso, { zone: CARE_ZONE });
  if (!dt.isValid) throw new RangeError(`Invalid ${what}: ${JSON.stringify(iso)}`);
  return dt.setZone(CARE_ZONE).startOf('day');
}

/** ISO calendar date (YYYY-MM-DD) of a Vietnam-zone DateTime. */
export function isoDay(dt: DateTime): string {
  const s = dt.setZone(CARE_ZONE).toISODate();
  if (s === null) throw new RangeError('Invalid date');
  return s;
}

export function plus(dt: DateTime, d: AgeDuration): DateTime {
  return dt.plus(d);
}

export function maxDay(a: DateTime, b: DateTime): DateTime {
  return a.toMillis() >= b.toMillis() ? a : b;
}

/** Human form of a duration for explanations, e.g. `{ months: 2 }` → "2 months". */
export function describeDuration(d: AgeDuration): { vi: string; en: string } {
  const units: [keyof AgeDuration, string, string][] = [
    ['years', 'năm', 'year'],
    ['months', 'tháng', 'month'],
    ['weeks', 'tuần', 'week'],
    ['days', 'ngày', 'day'],
  ];
  const vi: string[] = [];
  const en: string[] = [];
  for (const [key, viUnit, enUnit] of units) {
    const n = d[key];
    if (n === undefined || n === 0) continue;
    vi.push(`${n} ${viUnit}`);
    en.push(`${n} ${enUnit}${n === 1 ? '' : 's'}`);
  }
  return vi.length === 0 ? { vi: '0 ngày', en: '0 days' } : { vi: vi.join(' '), en: en.join(' ') };
}
