import { randomInt } from 'node:crypto';
import type { PrescriptionType } from './eprescription.constants';

/**
 * The national prescription code (Circular 26/2025/TT-BYT, Appendix I, note 1, also for Appendices
 * II and III): 14 characters `xxxxxyyyyyyy-z` — x: the facility's 5-character code; y: 7 random
 * characters 0-9 or a-z, unique at the facility; `-`; z: the type (N, H, C). The connection
 * standard's examples end in a lower-case letter (`…-c`) [unverified: read only in third-party
 * code]; `suffix: 'lower'` writes that form. The facility code's own alphabet (QĐ 384/QĐ-BYT) was
 * not read: letters and digits are accepted.
 */
export type SuffixCase = 'upper' | 'lower';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
export const FACILITY_CODE = /^[0-9A-Za-z]{5}$/;
export const PRESCRIPTION_CODE = /^[0-9A-Za-z]{5}[0-9a-z]{7}-[NHCnhc]$/;

export function newPrescriptionCode(
  facilityCode: string,
  type: PrescriptionType,
  suffix: SuffixCase = 'upper',
): string {
  if (!FACILITY_CODE.test(facilityCode)) throw new Error('the facility code must be 5 letters or digits');
  let random = '';
  for (let i = 0; i < 7; i++) random += ALPHABET[randomInt(ALPHABET.length)];
  return `${facilityCode}${random}-${suffix === 'upper' ? type.toUpperCase() : type}`;
}

export function isPrescriptionCode(code: string): boolean {
  return code.length === 14 && PRESCRIPTION_CODE.test(code);
}
