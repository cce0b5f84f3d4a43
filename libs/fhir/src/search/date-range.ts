/**
 * The interval a FHIR date, dateTime or instant stands for. FHIR dates are implicitly ranges: '2024'
 * means the whole year, and a search for `date=2024-03` must match a stored '2024-03-15'. We store
 * and compare [low, high) intervals as UTC instants.
 */
export interface DateRange {
  /** Inclusive lower bound, ISO instant in UTC. */
  readonly low: string;
  /** Exclusive upper bound, ISO instant in UTC. */
  readonly high: string;
}

const DATE_PATTERN =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

/** The largest instant whose ISO form keeps a 4-digit year, so stored strings sort correctly. */
const MAX_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function utcMillis(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number {
  const d = new Date(0);
  // setUTCFullYear rather than Date.UTC: Date.UTC maps years 0-99 to 1900-1999.
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMillis(year, month + 1, 0, 0, 0, 0)).getUTCDate();
}

function iso(ms: number): string {
  return new Date(Math.min(ms, MAX_INSTANT)).toISOString();
}

/**
 * Parses a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD), dateTime or instant into the [low, high) interval
 * of its precision: year, month, day, minute (no seconds), second, or the fraction's digits
 * (.5 → 100 ms, .50 → 10 ms, .500 or finer → 1 ms).
 *
 * A value with a time but no time zone is taken as UTC: FHIR requires a zone on times, so such
 * values only come from lenient clients, and a fixed, server-independent reading keeps the index
 * reproducible. Date-only values are UTC calendar days for the same reason.
 *
 * Returns undefined for anything that is not a valid date.
 */
export function dateRange(value: string): DateRange | undefined {
  const m = DATE_PATTERN.exec(value);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const year = Number(y);
  const month = mo === undefined ? 1 : Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;

  let offsetMinutes = 0;
  if (tz !== undefined && tz !== 'Z') {
    const tzHours = Number(tz.slice(1, 3));
    const tzMinutes = Number(tz.slice(4, 6));
    if (tzHours > 14 || tzMinutes > 59) return undefined;
    offsetMinutes = (tz.startsWith('-') ? -1 : 1) * (tzHours * 60 + tzMinutes);
  }

  let low = utcMillis(year, month, day, hour, minute, second) - offsetMinutes * 60_000;
  let high: number;
  if (mo === undefined) {
    high = utcMillis(year + 1, 1, 1, 0, 0, 0);
  } else if (d === undefined) {
    high = utcMillis(year, month + 1, 1, 0, 0, 0);
  } else if (h === undefined) {
    high = utcMillis(year, month, day + 1, 0, 0, 0);
  } else if (s === undefined) {
    high = low + 60_000;
  } else if (frac === undefined) {
    high = low + 1_000;
  } else {
    // Milliseconds are the finest unit a JS Date holds: finer fractions are truncated to them.
    const digits = Math.min(frac.length, 3);
    low += Number(frac.slice(0, 3).padEnd(3, '0'));
    high = low + 10 ** (3 - digits);
  }
  return { low: iso(low), high: iso(high) };
}

/**
 * Parses the value of a date search parameter once its prefix (eq, lt, ge, ...) is removed, with
 * the same semantics as dateRange. A '+' in a time zone often arrives as a space because the
 * client did not URL-encode it (`2024-01-01T10:00:00 07:00`); we restore it.
 */
export function parseSearchDate(prefixless: string): DateRange | undefined {
  const value = prefixless.trim().replace(/ (\d{2}:\d{2})$/, '+$1');
  return dateRange(value);
}
