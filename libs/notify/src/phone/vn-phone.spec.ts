import { convertPre2018Mobile, InvalidPhoneNumberError, normalisePhone } from './vn-phone';
import { VN_2018_PREFIX_CONVERSION } from './vn-prefix-conversion-2018';

describe('Vietnamese phone numbers', () => {
  it('has the 21 rows of the 2018 conversion, each old code once', () => {
    expect(VN_2018_PREFIX_CONVERSION).toHaveLength(21);
    expect(new Set(VN_2018_PREFIX_CONVERSION.map((r) => r.old)).size).toBe(21);
  });

  describe.each(VN_2018_PREFIX_CONVERSION)('$old → $current ($operator)', ({ old, current }) => {
    const last7 = '5678945';
    const e164 = `+84${current.slice(1)}${last7}`;
    it.each([
      `${old}${last7}`,
      `+84${old.slice(1)}${last7}`,
      `84${old.slice(1)}${last7}`,
      `${old}.${last7.slice(0, 3)}.${last7.slice(3)}`,
    ])('converts %s', (input) => {
      expect(convertPre2018Mobile(input.replace(/\./g, ''))).toBe(`${current}${last7}`);
      expect(normalisePhone(input, { mobile: true })).toBe(e164);
    });
    it('leaves the current form unchanged', () => {
      expect(normalisePhone(`${current}${last7}`)).toBe(e164);
    });
  });

  it.each([
    ['0912345678', '+84912345678'],
    ['091 234 5678', '+84912345678'],
    ['(+84) 91-234-5678', '+84912345678'],
    ['84912345678', '+84912345678'],
    ['+84395678945', '+84395678945'],
    ['0283 822 1234', '+842838221234'],
    ['+1 202 555 0100', '+12025550100'],
  ])('normalises %s to %s', (input, e164) => {
    expect(normalisePhone(input)).toBe(e164);
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['abc', /characters other than digits/],
    ['0912 345 67x', /characters other than digits/],
    ['012345', /not a valid number/],
    ['0123456789', /not a valid number/],
    ['01301234567', /11-digit number whose network code was not in the 2018 conversion/],
    ['09123456789', /not a valid number/],
    ['+84', /not a valid number/],
  ])('refuses %j', (input, message) => {
    expect(() => normalisePhone(input)).toThrow(InvalidPhoneNumberError);
    expect(() => normalisePhone(input)).toThrow(message);
  });

  it('refuses a fixed line where a mobile number is needed, without echoing the number', () => {
    expect(() => normalisePhone('0283 822 1234', { mobile: true })).toThrow(/\*+234 is not a mobile number/);
  });
});
