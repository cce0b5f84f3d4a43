import { describe, expect, it } from 'vitest';
import {
  BHYT_SYSTEM,
  CCCD_SYSTEM,
  checkBhytInput,
  checkCccdInput,
  classifySearch,
  inLanguage,
  maskCccd,
  normalizePhone,
  searchParams,
} from './identifiers';

describe('the one search box classifies what was typed', () => {
  it.each([
    ['079090012345', 'cccd'],
    [' 079 090 012 345 ', 'cccd'],
    ['DN4920123456789', 'bhyt'],
    ['dn4920123456789', 'bhyt'],
    ['7912345678', 'bhyt'], // 10-digit social-insurance number
    ['0912345678', 'phone'],
    ['0912 345 678', 'phone'],
    ['091.234.5678', 'phone'],
    ['+84 912 345 678', 'phone'],
    ['84912345678', 'phone'],
    ['02923812345', 'phone'], // landline, 11 digits
    ['nguyen van an', 'name'],
    ['Nguyễn Văn An', 'name'],
    ['An', 'name'],
    ['12345', 'name'],
  ])('%s → %s', (input, kind) => {
    expect(classifySearch(input)).toBe(kind);
  });

  it('builds the FHIR search parameters', () => {
    expect(searchParams('079090012345')).toEqual({ identifier: `${CCCD_SYSTEM}|079090012345` });
    expect(searchParams('dn4920123456789')).toEqual({ identifier: `${BHYT_SYSTEM}|DN4920123456789` });
    expect(searchParams('nguyen van an')).toEqual({ name: 'nguyen van an' });
    const phone = searchParams('0912 345 678').phone?.split(',');
    expect(phone).toEqual(expect.arrayContaining(['0912345678', '+84912345678', '0912 345 678']));
    // the user may override the detection
    expect(searchParams('0912345678', 'bhyt')).toEqual({ identifier: `${BHYT_SYSTEM}|0912345678` });
  });

  it('normalizes phones and masks CCCD except the last 4 digits', () => {
    expect(normalizePhone('+84 912-345-678')).toBe('0912345678');
    expect(normalizePhone('12')).toBeUndefined();
    expect(maskCccd('079090012345')).toBe('••••••••2345');
    expect(maskCccd(undefined)).toBe('');
  });
});

describe('identifier checks as typed, with the server rules', () => {
  it('does not complain about a CCCD still being typed, unless its prefix is already wrong', () => {
    expect(checkCccdInput('0790', { complete: false }).errors).toEqual([]);
    expect(checkCccdInput('999', { complete: false }).errors[0]).toMatch(/999/);
    expect(checkCccdInput('0790', { complete: true }).errors[0]).toMatch(/12/);
    expect(checkCccdInput('07909001234a', { complete: false }).errors[0]).toMatch(/12/);
  });
  it('checks the century/year digits against the birth date, and warns on the sex digit', () => {
    expect(
      checkCccdInput('079090012345', { birthDate: '1990-05-01', gender: 'male', complete: true }),
    ).toEqual({
      errors: [],
      warnings: [],
    });
    expect(checkCccdInput('079090012345', { birthDate: '1991-05-01', complete: true }).errors).toHaveLength(
      1,
    );
    expect(
      checkCccdInput('079090012345', { birthDate: '1990-05-01', gender: 'female', complete: true }).warnings,
    ).toHaveLength(1);
  });
  it('BHYT: card code, 10-digit number or CCCD; partial codes wait', () => {
    expect(checkBhytInput('DN49', { complete: false })).toEqual([]);
    expect(checkBhytInput('DN4920123456789', { complete: true })).toEqual([]);
    expect(checkBhytInput('dn4920123456789', { complete: true })).toEqual([]);
    expect(checkBhytInput('DN49', { complete: true })).toHaveLength(1);
    expect(checkBhytInput('DN9', { complete: false })).toHaveLength(1);
  });
  it('picks the user language half of the server bilingual message', () => {
    expect(inLanguage('CCCD must be 12 digits / CCCD phải gồm 12 chữ số', 'vi')).toBe(
      'CCCD phải gồm 12 chữ số',
    );
    expect(inLanguage('CCCD must be 12 digits / CCCD phải gồm 12 chữ số', 'en')).toBe(
      'CCCD must be 12 digits',
    );
  });
});
