import { CredentialCipher } from './credential-cipher';
import { EprescriptionConfig } from './eprescription-config';
import { errorText, isAlreadyHeld } from './national/national-client';
import { isPrescriptionCode, newPrescriptionCode } from './prescription-code';
import { appendixRowOf, prescribingProblems } from './rules/prescribing-rules';
import { APPENDIX_VII } from './rules/tt26-appendix-vii';

describe('prescription code (Circular 26/2025/TT-BYT, Appendix I, note 1)', () => {
  it('is 14 characters: 5 of the facility, 7 random 0-9a-z, a dash and the type', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const code = newPrescriptionCode('79001', 'c');
      expect(code).toMatch(/^79001[0-9a-z]{7}-C$/);
      expect(code).toHaveLength(14);
      expect(isPrescriptionCode(code)).toBe(true);
      seen.add(code);
    }
    expect(seen.size).toBe(500);
    expect(newPrescriptionCode('01001', 'c', 'lower')).toMatch(/^01001[0-9a-z]{7}-c$/);
  });

  it('refuses a facility code that is not 5 letters or digits; rejects malformed codes', () => {
    expect(() => newPrescriptionCode('7900', 'c')).toThrow();
    expect(() => newPrescriptionCode('79-01', 'c')).toThrow();
    expect(isPrescriptionCode('79001ABCDEFG-C')).toBe(false); // random part is lower case
    expect(isPrescriptionCode('79001abcdefg-X')).toBe(false);
    expect(isPrescriptionCode('79001abcdefgh-C')).toBe(false);
  });
});

describe('duration (art. 6(8) and Appendix VII)', () => {
  const drug = (days: number) => ({ days, medication: 'Amlodipin 5mg' });

  it('allows 30 days for any diagnosis, refuses 31 without an Appendix VII diagnosis, naming rule and field', () => {
    expect(prescribingProblems([drug(30)], [{ code: 'J02.9' }])).toEqual([]);
    const [p] = prescribingProblems([drug(10), drug(31)], [{ code: 'J02.9' }]);
    expect(p).toContain('prescriptions[1].days');
    expect(p).toContain('art. 6(8)(a)');
    expect(p).toContain('Phụ lục VII');
  });

  it('allows up to 90 days with a diagnosis in the loaded rows (a category covers its subcodes, ranges by category)', () => {
    expect(prescribingProblems([drug(90)], [{ code: 'J02.9' }, { code: 'I10' }])).toEqual([]);
    expect(prescribingProblems([drug(60)], [{ code: 'E11.9' }])).toEqual([]);
    expect(prescribingProblems([drug(60)], [{ code: 'B18.1' }])).toEqual([]);
    expect(prescribingProblems([drug(60)], [{ code: 'B18.2' }])).toHaveLength(1); // hepatitis C is not a loaded row
    const [p] = prescribingProblems([drug(91)], [{ code: 'I10' }]);
    expect(p).toContain('art. 6(8)(b)');
  });

  it('matches ranges within one letter only', () => {
    expect(appendixRowOf('I15.0')?.name).toBe('Tăng huyết áp');
    expect(appendixRowOf('I16')).toBeUndefined();
    expect(appendixRowOf('F01.9')?.name).toBe('Sa sút trí tuệ');
    expect(appendixRowOf('E23.1')).toBeUndefined();
  });

  it('every row is marked unverified and cites its source', () => {
    for (const r of APPENDIX_VII) {
      expect(r.verified).toBe(false);
      expect(r.source).toMatch(/ngoisao|nld/);
      for (const c of r.icd10) expect(c).toMatch(/^[A-Z]\d\d(\.\d)?(–[A-Z]\d\d)?$/);
    }
  });
});

describe('credential cipher', () => {
  it('round-trips, and a row moved to another doctor or a wrong key does not decrypt', () => {
    const c = new CredentialCipher('k'.repeat(40));
    const stored = c.encrypt('Mat-khau-BYT', 'Practitioner/a');
    expect(stored).not.toContain('Mat-khau');
    expect(c.decrypt(stored, 'Practitioner/a')).toBe('Mat-khau-BYT');
    expect(() => c.decrypt(stored, 'Practitioner/b')).toThrow();
    expect(() => new CredentialCipher('x'.repeat(40)).decrypt(stored, 'Practitioner/a')).toThrow();
  });
});

describe('configuration', () => {
  it('is off without a URL; refuses plain http to another machine and a short key', () => {
    expect(EprescriptionConfig.parse({})).toBeUndefined();
    expect(() =>
      EprescriptionConfig.parse({
        EPRESCRIPTION_URL: 'http://api.example.vn',
        EPRESCRIPTION_SECRET_KEY: 'k'.repeat(40),
      }),
    ).toThrow(/https/);
    expect(() =>
      EprescriptionConfig.parse({
        EPRESCRIPTION_URL: 'https://api.example.vn',
        EPRESCRIPTION_SECRET_KEY: 'short',
      }),
    ).toThrow(/SECRET_KEY/);
    expect(
      EprescriptionConfig.parse({
        EPRESCRIPTION_URL: 'http://127.0.0.1:9/',
        EPRESCRIPTION_SECRET_KEY: 'k'.repeat(40),
      })?.url,
    ).toBe('http://127.0.0.1:9');
  });
});

describe('the error list', () => {
  it('reads strings and objects, and knows the answer to a code already held', () => {
    expect(errorText('ma_thuoc: không hợp lệ')).toBe('ma_thuoc: không hợp lệ');
    expect(errorText({ truong: 'so_luong', thong_bao: 'phải lớn hơn 0' })).toBe('so_luong: phải lớn hơn 0');
    expect(isAlreadyHeld(['ma_don_thuoc: Mã đơn thuốc đã tồn tại'])).toBe(true);
    expect(isAlreadyHeld(['Đơn thuốc đã được sử dụng trước đó'])).toBe(true);
    expect(isAlreadyHeld(['ma_thuoc: không có trong danh mục'])).toBe(false);
  });
});
