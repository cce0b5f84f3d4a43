import { validateResource } from './validate-resource';
import {
  BHYT_SYSTEM,
  CCCD_PROVINCE_CODES,
  CCCD_SYSTEM,
  checkBhyt,
  checkCccd,
  validateVietnameseIdentifiers,
} from './vietnam-identifiers';

const patientWith = (
  system: string,
  value: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  resourceType: 'Patient',
  identifier: [
    { system: 'urn:oid:1.2.3', value: 'MRN-1' },
    { system, value },
  ],
  ...extra,
});

describe('CCCD_PROVINCE_CODES', () => {
  it('holds the 63 historical province codes plus the country code 000', () => {
    expect(Object.keys(CCCD_PROVINCE_CODES)).toHaveLength(64);
    expect(CCCD_PROVINCE_CODES['092']).toBe('Cần Thơ');
    expect(CCCD_PROVINCE_CODES['000']).toContain('Việt Nam');
  });
});

describe('checkCccd', () => {
  it('accepts a CCCD consistent with birth date and gender (male, 1990, Cần Thơ)', () => {
    expect(checkCccd('092090012345', '1990-04-12', 'male')).toEqual({ errors: [], warnings: [] });
    expect(checkCccd('092090012345')).toEqual({ errors: [], warnings: [] });
    expect(checkCccd('079305001234', '2005', 'female')).toEqual({ errors: [], warnings: [] });
  });

  it('rejects a value that is not 12 digits', () => {
    for (const value of ['09209001234', '0920900123456', '09209001234A', ' 092090012345']) {
      expect(checkCccd(value).errors).toEqual(['CCCD must be 12 digits / CCCD phải gồm 12 chữ số']);
    }
  });

  it('rejects an unknown prefix', () => {
    expect(checkCccd('099090012345').errors).toEqual([expect.stringContaining("'099'")]);
    expect(checkCccd('003090012345').errors).toHaveLength(1);
  });

  it('rejects a century digit inconsistent with the birth year', () => {
    const { errors } = checkCccd('001005012345', '2005-01-01', 'male');
    expect(errors).toEqual([expect.stringContaining('1900–1999')]);
  });

  it('rejects birth-year digits that do not match', () => {
    const { errors } = checkCccd('092090012345', '1991-04-12', 'male');
    expect(errors).toEqual([expect.stringContaining("digits 5–6 ('90')")]);
  });

  it('only warns when the sex digit disagrees with the recorded gender', () => {
    const { errors, warnings } = checkCccd('092190012345', '1990-04-12', 'male');
    expect(errors).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('denotes female')]);
    expect(checkCccd('092190012345', '1990-04-12', 'other').warnings).toEqual([]);
  });
});

describe('checkBhyt', () => {
  it('accepts the legacy 15-character code, the 10-digit BHXH number and a 12-digit CCCD', () => {
    expect(checkBhyt('DN4920123456789')).toEqual([]);
    expect(checkBhyt('7920123456')).toEqual([]);
    expect(checkBhyt('092090012345')).toEqual([]);
  });

  it('rejects other shapes', () => {
    for (const value of [
      'XX9920123456789',
      'dn4920123456789',
      'DN492012345678',
      '79201234567',
      '099090012345',
    ]) {
      expect(checkBhyt(value)).toHaveLength(1);
    }
  });
});

describe('validateVietnameseIdentifiers', () => {
  it('reports errors at the identifier value with bilingual diagnostics', () => {
    const issues = validateVietnameseIdentifiers(patientWith(CCCD_SYSTEM, '12345'));
    expect(issues).toEqual([
      {
        severity: 'error',
        code: 'value',
        expression: ['Patient.identifier[1].value'],
        diagnostics: 'Patient.identifier[1].value: CCCD must be 12 digits / CCCD phải gồm 12 chữ số',
      },
    ]);
  });

  it('uses the birth date and gender of the person for CCCD consistency', () => {
    const issues = validateVietnameseIdentifiers(
      patientWith(CCCD_SYSTEM, '092190012345', { birthDate: '2005-04-12', gender: 'male' }),
    );
    expect(issues.map((i) => i.severity).sort()).toEqual(['error', 'error', 'warning']);
  });

  it('checks BHYT numbers, including in Bundle entries', () => {
    expect(validateVietnameseIdentifiers(patientWith(BHYT_SYSTEM, 'DN4920123456789'))).toEqual([]);
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [{ resource: patientWith(BHYT_SYSTEM, 'XX9920123456789') }],
    };
    expect(validateVietnameseIdentifiers(bundle)).toEqual([
      expect.objectContaining({
        code: 'value',
        expression: ['Bundle.entry[0].resource.identifier[1].value'],
      }),
    ]);
  });

  it('is part of validateResource, after the structure checks', () => {
    const resource = patientWith(CCCD_SYSTEM, '092090012345', { gender: 'female', birthDate: '1990-04-12' });
    expect(validateResource(resource)).toEqual([
      expect.objectContaining({ severity: 'warning', code: 'value' }),
    ]);
    expect(
      validateResource({ ...resource, gender: 'x', birthDate: '1991' }).map((i) => i.expression[0]),
    ).toEqual(['Patient.gender', 'Patient.identifier[1].value']);
  });
});
