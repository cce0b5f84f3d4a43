import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { VN_2018_PREFIX_CONVERSION } from './vn-prefix-conversion-2018';

/** A phone number that cannot be used: the message says why, in words an operator can act on. */
export class InvalidPhoneNumberError extends Error {
  readonly code = 'NOTIFY.INVALID_PHONE';
  constructor(reason: string) {
    super(reason);
    this.name = 'InvalidPhoneNumberError';
  }
}

const OLD_PREFIX = new Map(VN_2018_PREFIX_CONVERSION.map((r) => [r.old, r.current]));

/**
 * A pre-2018 11-digit Vietnamese mobile number in its current 10-digit national form (the 2018
 * conversion table); anything else unchanged. Accepts 0…, 84… and +84… forms of the digits.
 */
export function convertPre2018Mobile(digits: string): string {
  const national = digits.startsWith('+84')
    ? `0${digits.slice(3)}`
    : digits.startsWith('84')
      ? `0${digits.slice(2)}`
      : digits;
  if (!/^01\d{9}$/.test(national)) return digits;
  const current = OLD_PREFIX.get(national.slice(0, 4));
  return current ? `${current}${national.slice(4)}` : digits;
}

/**
 * E.164 (`+84…`) for a phone number written as people write them in Viet Nam (0…, 84…, +84…,
 * with spaces, dots, dashes or parentheses; a number of another country needs its `+`). Old
 * 11-digit mobile numbers become their current 10-digit form. `mobile` also requires a number
 * that can receive SMS. Throws InvalidPhoneNumberError otherwise.
 */
export function normalisePhone(input: string, opts: { mobile?: boolean } = {}): string {
  const raw = input.trim();
  if (raw === '') throw new InvalidPhoneNumberError('phone number is empty');
  if (!/^[\d\s().+-]+$/.test(raw) || raw.indexOf('+', raw.indexOf('+') + 1) !== -1)
    throw new InvalidPhoneNumberError(
      `phone number has characters other than digits, spaces, . - ( ) and a leading +`,
    );
  const digits = raw.replace(/[\s().-]/g, '');
  const converted = convertPre2018Mobile(digits);
  const parsed = parsePhoneNumberFromString(converted, 'VN');
  if (!parsed || !parsed.isValid()) {
    const why = /^(\+84|84|0)1\d{9}$/.test(digits)
      ? 'an 11-digit number whose network code was not in the 2018 conversion'
      : 'not a valid number in the Vietnamese (or, with +, its country’s) numbering plan';
    throw new InvalidPhoneNumberError(`phone number ${maskPhone(digits)} is ${why}`);
  }
  if (opts.mobile) {
    const type = parsed.getType();
    if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE')
      throw new InvalidPhoneNumberError(
        `phone number ${maskPhone(parsed.number)} is not a mobile number (cannot receive SMS)`,
      );
  }
  return parsed.number;
}

/** A number for logs and errors: its last 3 digits only (phone numbers identify people). */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.length <= 3 ? '***' : `${'*'.repeat(Math.min(digits.length - 3, 8))}${digits.slice(-3)}`;
}
