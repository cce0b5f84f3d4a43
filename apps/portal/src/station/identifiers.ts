/**
 * Vietnamese identifiers in the station screens: the server's own format checks (imported from
 * libs/fhir, which is browser-safe: it has only a type import), what a search box holds, masking.
 */
import {
  BHYT_SYSTEM,
  CCCD_PROVINCE_CODES,
  CCCD_SYSTEM,
  checkBhyt,
  checkCccd,
} from '../../../../libs/fhir/src/validation/vietnam-identifiers';

export { BHYT_SYSTEM, CCCD_SYSTEM };

/** The server's messages are bilingual, "English / Tiếng Việt": the half for the user's language. */
export function inLanguage(message: string, locale: string): string {
  const at = message.indexOf(' / ');
  if (at < 0) return message;
  return locale.startsWith('en') ? message.slice(0, at) : message.slice(at + 3);
}

export interface FieldCheck {
  errors: string[];
  warnings: string[];
}

/**
 * A CCCD being typed: `complete` (left the field or submitting) checks everything the server
 * checks; while typing, only what is already wrong (non-digits, unknown province prefix, too long,
 * and the birth-year digits once all 12 are there) so the user is not told off mid-number.
 */
export function checkCccdInput(
  raw: string,
  opts: { birthDate?: string; gender?: string; complete: boolean },
): FieldCheck {
  const value = raw.trim();
  if (value === '') return { errors: [], warnings: [] };
  if (!opts.complete && /^\d{1,11}$/.test(value)) {
    if (value.length >= 3 && !Object.hasOwn(CCCD_PROVINCE_CODES, value.slice(0, 3))) {
      return { errors: checkCccd(value.slice(0, 3) + '0'.repeat(9)).errors, warnings: [] };
    }
    return { errors: [], warnings: [] };
  }
  return checkCccd(value, opts.birthDate || undefined, opts.gender || undefined);
}

/** The BHYT card number as stored: upper case, no spaces. */
export const normalizeBhyt = (raw: string): string => raw.replace(/[\s.-]/g, '').toUpperCase();

/** A BHYT number being typed (see checkCccdInput for `complete`). */
export function checkBhytInput(raw: string, opts: { complete: boolean }): string[] {
  const value = normalizeBhyt(raw);
  if (value === '') return [];
  if (!opts.complete) {
    // Still typing: a prefix of a card code (2 letters, 1 digit 1–5, 12 digits) or of a number.
    if (/^[A-Z]{1,2}$/.test(value) || /^[A-Z]{2}[1-5]\d{0,11}$/.test(value) || /^\d{1,11}$/.test(value))
      return [];
  }
  return checkBhyt(value);
}

/** Vietnamese phone numbers: +84 / 84 / 0 followed by 9 or 10 digits. Answers 0xxxxxxxxx, or undefined. */
export function normalizePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s.()-]/g, '');
  const m = /^(?:\+84|0084|84|0)(\d{9,10})$/.exec(compact);
  return m ? `0${m[1] as string}` : undefined;
}

export type SearchKind = 'cccd' | 'bhyt' | 'phone' | 'name';

/**
 * What was typed in the one search box: 12 digits a CCCD; a 15-character card code or a 10-digit
 * social-insurance number a BHYT; a Vietnamese phone number (mobile prefixes 03/05/07/08/09,
 * 11-digit landlines 02x, or +84) a phone; anything else a name.
 */
export function classifySearch(raw: string): SearchKind {
  const value = raw.trim();
  const compact = value.replace(/[\s.-]/g, '');
  if (/^\d{12}$/.test(compact)) return 'cccd';
  if (/^[A-Za-z]{2}[1-5]\d{12}$/.test(compact)) return 'bhyt';
  if (/^\+/.test(compact) && normalizePhone(compact)) return 'phone';
  if (/^0[35789]\d{8}$/.test(compact) || /^02\d{9}$/.test(compact) || /^84\d{9}$/.test(compact))
    return 'phone';
  if (/^\d{10}$/.test(compact)) return 'bhyt';
  if (/^\+?[\d\s().-]{6,}$/.test(value) && normalizePhone(value)) return 'phone';
  return 'name';
}

/** The FHIR search parameters for what was typed, classified (or as the user chose). */
export function searchParams(raw: string, kind: SearchKind = classifySearch(raw)): Record<string, string> {
  const value = raw.trim();
  const compact = value.replace(/[\s.-]/g, '');
  switch (kind) {
    case 'cccd':
      return { identifier: `${CCCD_SYSTEM}|${compact}` };
    case 'bhyt':
      return { identifier: `${BHYT_SYSTEM}|${normalizeBhyt(value)}` };
    case 'phone': {
      const local = normalizePhone(value) ?? compact;
      // Phones are stored as typed: ask for the usual spellings (comma = OR).
      const variants = new Set([local, `+84${local.slice(1)}`, value]);
      return { phone: [...variants].map((v) => v.replace(/,/g, '\\,')).join(',') };
    }
    case 'name':
      return { name: value };
  }
}

/** A CCCD shown on screen: only its last 4 digits. */
export function maskCccd(value: string | undefined): string {
  if (!value) return '';
  return '•'.repeat(Math.max(0, value.length - 4)) + value.slice(-4);
}
