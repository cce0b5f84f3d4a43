/**
 * Typed dates and times, the same on every device (issue 18 item 16): a date is dd/mm/yyyy and a
 * time HH:mm on a 24-hour clock, whatever language the phone or browser is set to. Native
 * `<input type="date|time|datetime-local">` follow the device's locale (mm/dd/yyyy, AM/PM), so the
 * portal uses text inputs and these parsers instead. Callers only ever see ISO values.
 */

/** Why a typed value was refused. */
export type InputProblem = 'format' | 'nonexistent' | 'tooEarly' | 'tooLate';

export type Parsed = { ok: true; value: string } | { ok: false; problem: InputProblem };

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * A typed date as `YYYY-MM-DD` ('' for an empty field). Accepts dd/mm/yyyy with '/', '.', '-' or a
 * space between the parts (one-digit day or month allowed), eight digits ddmmyyyy (a numeric phone
 * keypad has no '/'), and an ISO date pasted from elsewhere. A two-digit year is refused (1958 or
 * 2058?), and so is a day the calendar does not have (31/02).
 */
export function parseDateText(text: string): Parsed {
  const s = text.trim();
  if (s === '') return { ok: true, value: '' };
  let m = /^(\d{1,2})[/.\-\s](\d{1,2})[/.\-\s](\d{4})$/.exec(s) ?? /^(\d{2})(\d{2})(\d{4})$/.exec(s);
  let day: number;
  let month: number;
  let year: number;
  if (m) {
    day = Number(m[1]);
    month = Number(m[2]);
    year = Number(m[3]);
  } else {
    m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return { ok: false, problem: 'format' };
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  }
  if (year < 1000) return { ok: false, problem: 'format' };
  const d = new Date(Date.UTC(year, month - 1, day));
  if (month < 1 || month > 12 || d.getUTCDate() !== day || d.getUTCMonth() !== month - 1)
    return { ok: false, problem: 'nonexistent' };
  return { ok: true, value: `${year}-${pad(month)}-${pad(day)}` };
}

/** `YYYY-MM-DD` as dd/mm/yyyy ('' for anything else). */
export function dateToText(iso: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/**
 * A typed time as `HH:mm` ('' for an empty field): "9:05", "09:05", "09.05", "9h05" and "0905"
 * are 09:05; hours 00–23 and minutes 00–59 only ("24:00" is refused: that is 00:00 the next day).
 */
export function parseTimeText(text: string): Parsed {
  const s = text.trim();
  if (s === '') return { ok: true, value: '' };
  const m = /^(\d{1,2})[:.hH\s](\d{2})$/.exec(s) ?? /^(\d{2})(\d{2})$/.exec(s);
  if (!m) return { ok: false, problem: 'format' };
  const hour = Number(m[1]);
  const minute = Number(m[2]);
  if (hour > 23 || minute > 59) return { ok: false, problem: 'nonexistent' };
  return { ok: true, value: `${pad(hour)}:${pad(minute)}` };
}

/** `HH:mm` (or `HH:mm:ss`) as HH:mm ('' for anything else). */
export function timeToText(value: string | undefined): string {
  const m = /^(\d{2}):(\d{2})(:\d{2})?$/.exec(value ?? '');
  return m ? `${m[1]}:${m[2]}` : '';
}

/** The problem with a parsed value outside [min, max] (ISO strings compare in order). */
export function rangeProblem(value: string, min?: string, max?: string): InputProblem | undefined {
  if (!value) return undefined;
  if (min && value < min) return 'tooEarly';
  if (max && value > max) return 'tooLate';
  return undefined;
}

/**
 * What a field shows while typing: the separator is added after the day and the month (or after
 * the hour) when the text grows to that point, so digits alone from a numeric keypad work.
 */
export function autoSeparate(previous: string, next: string, kind: 'date' | 'time'): string {
  if (next.length <= previous.length) return next;
  // The user typed the separator the field had just added: keep one.
  if (next === `${previous}/` && previous.endsWith('/')) return previous;
  if (next === `${previous}:` && previous.endsWith(':')) return previous;
  if (kind === 'date' && (/^\d{2}$/.test(next) || /^\d{1,2}\/\d{2}$/.test(next))) return `${next}/`;
  if (kind === 'time' && /^\d{2}$/.test(next)) return `${next}:`;
  return next;
}
