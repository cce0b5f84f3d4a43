/** XML text helpers for the claim tables: escaping, optional CDATA, Vietnam-time formatting. */
import type { Instant } from './model';

/** Characters XML 1.0 forbids (C0 controls except TAB, LF, CR; U+FFFE, U+FFFF; lone surrogates). */
export function hasForbiddenXmlChar(s: string): boolean {
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) return true;
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Wraps in CDATA, splitting any "]]>" so the section stays well-formed. */
export function cdata(s: string): string {
  return `<![CDATA[${s.split(']]>').join(']]]]><![CDATA[>')}]]>`;
}

const VN_OFFSET_MS = 7 * 60 * 60 * 1000;

function vnParts(i: Instant): { y: number; mo: number; d: number; h: number; mi: number } {
  const t = typeof i === 'string' ? Date.parse(i) : i.getTime();
  if (Number.isNaN(t)) throw new RangeError(`not a valid instant: ${String(i)}`);
  if (typeof i === 'string' && !/(Z|[+-]\d{2}:?\d{2})$/.test(i)) {
    throw new RangeError(`instant needs an offset or Z: ${i}`);
  }
  const v = new Date(t + VN_OFFSET_MS);
  return {
    y: v.getUTCFullYear(),
    mo: v.getUTCMonth() + 1,
    d: v.getUTCDate(),
    h: v.getUTCHours(),
    mi: v.getUTCMinutes(),
  };
}

const p2 = (n: number): string => String(n).padStart(2, '0');

/** `yyyyMMddHHmm` in Vietnam time (UTC+07:00). */
export function dt12(i: Instant): string {
  const p = vnParts(i);
  return `${p.y}${p2(p.mo)}${p2(p.d)}${p2(p.h)}${p2(p.mi)}`;
}

/** `yyyyMMdd` from a `YYYY-MM-DD` calendar date. */
export function d8(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new RangeError(`calendar date must be YYYY-MM-DD: ${date}`);
  return `${m[1]}${m[2]}${m[3]}`;
}

/** Year and month (Vietnam time) of an instant. */
export function vnYearMonth(i: Instant): { year: number; month: number } {
  const p = vnParts(i);
  return { year: p.y, month: p.mo };
}

/**
 * NGAY_SINH as 12 characters: `YYYY` → `YYYY00000000`, `YYYY-MM-DD` → `YYYYMMDD0000`,
 * with `time` `HH:mm` (newborns) → full. Missing month/day/time written as zeros
 * [unverified: secondary reading of the QĐ 130 rule; the older QĐ 4210 used 0101].
 */
export function birth12(date: string, time?: string): string {
  const y = /^(\d{4})$/.exec(date);
  const full = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!y && !full) throw new RangeError(`birth date must be YYYY or YYYY-MM-DD: ${date}`);
  const ymd = y ? `${y[1]}0000` : `${full![1]}${full![2]}${full![3]}`;
  if (time === undefined) return `${ymd}0000`;
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!t || y) throw new RangeError(`birth time must be HH:mm with a full date: ${time}`);
  return `${ymd}${t[1]}${t[2]}`;
}
