/**
 * Dates, times and numbers as people in Vietnam read them: vi-VN (or en-GB in English), always
 * in Asia/Ho_Chi_Minh whatever the device's zone.
 */
export const TIME_ZONE = 'Asia/Ho_Chi_Minh';

const tag = (locale: string): string => (locale.startsWith('en') ? 'en-GB' : 'vi-VN');
/** dd/mm/yyyy: a four-digit year (vi-VN's short style writes 24 for 1924 and 2024 alike). */
const DAY = { day: '2-digit', month: '2-digit', year: 'numeric' } as const;

export function formatDate(value: string | Date | undefined, locale: string): string {
  if (!value) return '';
  // A FHIR date without time (e.g. a birth date) is a calendar day, not an instant.
  if (typeof value === 'string' && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    if (d === undefined) return m === undefined ? String(y) : `${String(m).padStart(2, '0')}/${y}`;
    return new Intl.DateTimeFormat(tag(locale), { timeZone: 'UTC', ...DAY }).format(
      new Date(Date.UTC(y as number, (m as number) - 1, d)),
    );
  }
  return new Intl.DateTimeFormat(tag(locale), { timeZone: TIME_ZONE, ...DAY }).format(new Date(value));
}

/** The parts of an instant in Asia/Ho_Chi_Minh, on a 24-hour clock (never "24:05"). */
function vnParts(value: string | Date): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    ...DAY,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(value));
  const get = (t: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === t)?.value ?? '';
  return {
    day: get('day'),
    month: get('month'),
    year: get('year'),
    hour: get('hour'),
    minute: get('minute'),
  };
}

/**
 * One format for an instant everywhere in the portal, the same in vi and en: "HH:mm dd/mm/yyyy"
 * (24 h, four-digit year). `_locale` is kept so callers need not care that it does not vary.
 */
export function formatDateTime(value: string | Date | undefined, _locale?: string): string {
  if (!value) return '';
  const p = vnParts(value);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** A time of day, "HH:mm" on a 24-hour clock, the same in vi and en. */
export function formatTime(value: string | Date | undefined, _locale?: string): string {
  if (!value) return '';
  const p = vnParts(value);
  return `${p.hour}:${p.minute}`;
}

export function formatNumber(value: number, locale: string, digits = 1): string {
  return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: digits }).format(value);
}

/** The calendar day (YYYY-MM-DD) of an instant in Asia/Ho_Chi_Minh. */
export function localDay(value: string | Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date(value));
}
