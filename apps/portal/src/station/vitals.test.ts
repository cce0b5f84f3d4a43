import { describe, expect, it } from 'vitest';
import { AVPU, checkVitals, EMPTY_VITALS, parseNumber, vitalsBundle, type VitalsForm } from './vitals';

const full: VitalsForm = {
  heartRate: '72',
  systolic: '120',
  diastolic: '80',
  spo2: '98',
  temperature: '36,8',
  respiratoryRate: '16',
  oxygenFlow: '2',
  weight: '55.5',
  height: '160',
  avpu: 'A',
};

type Obs = {
  resourceType: string;
  status: string;
  category: { coding: { code: string }[] }[];
  code: { coding: { system: string; code: string }[] };
  subject: { reference: string };
  performer: { reference: string }[];
  effectiveDateTime: string;
  valueQuantity?: { value: number; unit: string; system: string; code: string };
  valueCodeableConcept?: { coding: { system: string; code: string }[] };
  component?: { code: { coding: { code: string }[] }; valueQuantity: { value: number; code: string } }[];
};

describe('the vitals transaction Bundle', () => {
  const now = new Date('2026-03-01T02:00:00Z');
  const bundle = vitalsBundle(full, 'p1', 'Practitioner/n1', now);
  const obs = bundle.entry.map((e) => e.resource as unknown as Obs);
  const byCode = (code: string) => obs.find((o) => o.code.coding[0]?.code === code);

  it('is one transaction of POSTed vital-signs Observations', () => {
    expect(bundle.resourceType).toBe('Bundle');
    expect(bundle.type).toBe('transaction');
    expect(bundle.entry).toHaveLength(9);
    for (const e of bundle.entry) {
      expect(e.request).toEqual({ method: 'POST', url: 'Observation' });
      expect(e.fullUrl).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    }
    for (const o of obs) {
      expect(o.resourceType).toBe('Observation');
      expect(o.status).toBe('final');
      expect(o.category[0]?.coding[0]?.code).toBe('vital-signs');
      expect(o.subject).toEqual({ reference: 'Patient/p1' });
      expect(o.performer).toEqual([{ reference: 'Practitioner/n1' }]);
      expect(o.effectiveDateTime).toBe(now.toISOString());
    }
  });

  it.each([
    ['8867-4', 72, '/min'],
    ['59408-5', 98, '%'],
    ['8310-5', 36.8, 'Cel'],
    ['9279-1', 16, '/min'],
    ['3151-8', 2, 'L/min'],
    ['29463-7', 55.5, 'kg'],
    ['8302-2', 160, 'cm'],
  ])('LOINC %s = %s %s (UCUM)', (code, value, unit) => {
    const o = byCode(code);
    expect(o?.code.coding[0]?.system).toBe('http://loinc.org');
    expect(o?.valueQuantity).toEqual({ value, unit, system: 'http://unitsofmeasure.org', code: unit });
  });

  it('blood pressure is one 85354-9 panel with systolic and diastolic components in mm[Hg]', () => {
    const bp = byCode('85354-9');
    expect(bp?.valueQuantity).toBeUndefined();
    expect(
      bp?.component?.map((c) => [c.code.coding[0]?.code, c.valueQuantity.value, c.valueQuantity.code]),
    ).toEqual([
      ['8480-6', 120, 'mm[Hg]'],
      ['8462-4', 80, 'mm[Hg]'],
    ]);
  });

  it('AVPU is coded in SNOMED CT', () => {
    expect(byCode('67775-7')?.valueCodeableConcept?.coding[0]).toMatchObject({
      system: 'http://snomed.info/sct',
      code: '248234008',
    });
  });

  it('ACVPU: new confusion (C) is offered and coded SNOMED CT 130987000, the code the server scores 3', () => {
    expect(Object.keys(AVPU)).toEqual(['A', 'C', 'V', 'P', 'U']);
    const b = vitalsBundle({ ...EMPTY_VITALS, avpu: 'C' }, 'p1', undefined, now);
    expect(b.entry).toHaveLength(1);
    expect(b.entry[0]?.resource).toMatchObject({
      code: { coding: [{ system: 'http://loinc.org', code: '67775-7' }] },
      valueCodeableConcept: {
        coding: [{ system: 'http://snomed.info/sct', code: '130987000', display: 'Acute confusion' }],
        text: 'C',
      },
    });
    expect(checkVitals({ ...EMPTY_VITALS, avpu: 'C' })).toEqual({});
  });

  it('only what was entered is recorded', () => {
    const b = vitalsBundle({ ...EMPTY_VITALS, temperature: '38.5' }, 'p1', undefined, now);
    expect(b.entry).toHaveLength(1);
    expect(b.entry[0]?.resource.performer).toBeUndefined();
  });

  it('refuses to build from a form with errors', () => {
    expect(() => vitalsBundle({ ...full, spo2: '150' }, 'p1', undefined)).toThrow();
  });
});

describe('plausible ranges', () => {
  it('parses a decimal comma', () => {
    expect(parseNumber('36,5')).toBe(36.5);
    expect(parseNumber('')).toBeUndefined();
    expect(parseNumber('abc')).toBeNaN();
  });
  it('accepts a normal set', () => {
    expect(checkVitals(full)).toEqual({});
    expect(checkVitals(EMPTY_VITALS)).toEqual({});
  });
  it.each([
    ['heartRate', '300'],
    ['heartRate', '5'],
    ['spo2', '101'],
    ['temperature', '365'], // the decimal separator was forgotten
    ['temperature', '25'],
    ['respiratoryRate', '100'],
    ['weight', '0.1'],
    ['height', '1.6'], // metres, not centimetres
  ] as const)('%s = %s is out of range', (field, value) => {
    expect(checkVitals({ ...EMPTY_VITALS, [field]: value })[field]?.key).toBe('vitals.outOfRange');
  });
  it('a non-number is refused', () => {
    expect(checkVitals({ ...EMPTY_VITALS, heartRate: '7a' }).heartRate?.key).toBe('vitals.notNumber');
  });
  it('blood pressure needs both values, diastolic below systolic', () => {
    expect(checkVitals({ ...EMPTY_VITALS, systolic: '120' }).diastolic?.key).toBe('vitals.bpBoth');
    expect(checkVitals({ ...EMPTY_VITALS, diastolic: '80' }).systolic?.key).toBe('vitals.bpBoth');
    expect(checkVitals({ ...EMPTY_VITALS, systolic: '80', diastolic: '90' }).diastolic?.key).toBe(
      'vitals.bpOrder',
    );
  });
});
