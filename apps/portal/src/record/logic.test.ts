import { describe, expect, it } from 'vitest';
import { auditLine, entityTypeOf } from './audit';
import {
  buildConsent,
  consentState,
  defaultShareEnd,
  grantErrors,
  isSharing,
  revokedConsent,
} from './consent';
import { relativeUrl } from './fhir-util';
import {
  ALLERGY,
  bp,
  CONDITION,
  ENCOUNTER,
  hr,
  IMMUNIZATION,
  MEDICATION,
  NOTE,
  PATIENT,
  temp,
} from './fixtures';
import { RECORD_MESSAGES } from './messages';
import { countByKind, groupByYear, kindOf, toEntries } from './timeline';
import { chartGeometry, extractVitals } from './vitals';

describe('timeline', () => {
  const all = [
    PATIENT,
    ENCOUNTER,
    CONDITION,
    MEDICATION,
    NOTE,
    IMMUNIZATION,
    ALLERGY,
    hr('o1', '2024-12-31T18:30:00Z', 80), // 1 January 2025 in Vietnam
    { resourceType: 'Communication', id: 'x' },
    {
      resourceType: 'Observation',
      id: 'lab',
      code: { text: 'HbA1c' },
      valueQuantity: { value: 6.1, unit: '%' },
    },
  ];

  it('maps resources to plain kinds and skips what is not shown', () => {
    expect(kindOf(ENCOUNTER)).toBe('visit');
    expect(kindOf(hr('h', '2025-01-01', 70))).toBe('vital');
    expect(kindOf({ resourceType: 'Observation', category: [{ coding: [{ code: 'laboratory' }] }] })).toBe(
      'result',
    );
    expect(kindOf({ resourceType: 'MedicationStatement' })).toBe('medication');
    expect(kindOf(PATIENT)).toBeUndefined();
    expect(toEntries(all).map((e) => e.key)).not.toContain('Communication/x');
  });

  it('groups by year in Asia/Ho_Chi_Minh, newest first, undated last', () => {
    const groups = groupByYear(toEntries(all));
    expect(groups.map((g) => g.year)).toEqual(['2025', '2023', '2019', '']);
    expect(groups[0]?.entries.map((e) => e.key)).toEqual([
      'ClinicalImpression/n1',
      'Condition/c1',
      'MedicationRequest/m1',
      'Encounter/e1',
      'vitals/Observation/o1',
    ]);
    expect(groups[3]?.entries.map((e) => e.key)).toEqual(['Observation/lab']);
  });

  it('filters by the chosen kinds and counts each kind', () => {
    const entries = toEntries(all);
    const onlyVaccines = groupByYear(entries, new Set(['vaccination', 'allergy']));
    expect(onlyVaccines.map((g) => [g.year, g.entries.map((e) => e.kind)])).toEqual([
      ['2023', ['vaccination']],
      ['2019', ['allergy']],
    ]);
    expect(countByKind(entries)).toMatchObject({ visit: 1, diagnosis: 1, vital: 1, result: 1, document: 0 });
  });
});

describe('vitals', () => {
  it('extracts series, blood pressure from panel components and from separate observations', () => {
    const series = extractVitals([
      bp('b2', '2025-02-01T02:00:00Z', 150, 95),
      bp('b1', '2025-01-01T02:00:00Z', 140, 90),
      hr('h1', '2025-01-01T02:00:00Z', 72),
      temp('t1', '2025-01-01T02:00:00Z', 37.2),
      {
        resourceType: 'Observation',
        code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
        effectiveDateTime: '2025-03-01T02:00:00Z',
        valueQuantity: { value: 130, unit: 'mmHg' },
      },
      {
        resourceType: 'Observation',
        code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
        effectiveDateTime: '2025-03-01T02:00:00Z',
        valueQuantity: { value: 85, unit: 'mmHg' },
      },
      { ...hr('bad', '2025-01-02T02:00:00Z', 300), status: 'entered-in-error' },
    ]);
    expect(series.map((s) => s.key)).toEqual(['bloodPressure', 'heartRate', 'temperature']);
    expect(series[0]?.points).toEqual([
      { date: '2025-01-01T02:00:00Z', values: [140, 90] },
      { date: '2025-02-01T02:00:00Z', values: [150, 95] },
      { date: '2025-03-01T02:00:00Z', values: [130, 85] },
    ]);
    expect(series[2]).toMatchObject({ unit: 'Cel', digits: 1, points: [{ values: [37.2] }] });
  });

  it('places chart points by time, higher values nearer the top', () => {
    const [s] = extractVitals([
      hr('a', '2025-01-01T00:00:00Z', 60),
      hr('b', '2025-01-02T00:00:00Z', 100),
      hr('c', '2025-01-05T00:00:00Z', 80),
    ]);
    const box = { width: 110, height: 60, padLeft: 10, padRight: 0, padTop: 10, padBottom: 0 };
    const g = chartGeometry(s!, box);
    expect(g.min).toBe(60);
    expect(g.max).toBe(100);
    expect(g.lines).toHaveLength(1);
    expect(g.lines[0]!.map((p) => [p.x, p.y])).toEqual([
      [10, 60],
      [35, 10],
      [110, 35],
    ]);
  });

  it('draws two lines for blood pressure and centres a single point', () => {
    const [s] = extractVitals([bp('b', '2025-01-01T02:00:00Z', 120, 80)]);
    const g = chartGeometry(s!, {
      width: 100,
      height: 100,
      padLeft: 0,
      padRight: 0,
      padTop: 0,
      padBottom: 0,
    });
    expect(g.lines).toHaveLength(2);
    expect(g.lines[0]![0]).toMatchObject({ x: 50, value: 120 });
    expect(g.lines[1]![0]!.y).toBeGreaterThan(g.lines[0]![0]!.y);
  });
});

describe('audit', () => {
  const event = (over: Record<string, unknown>) => ({
    resourceType: 'AuditEvent',
    id: 'ev',
    subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: 'read' }],
    action: 'R',
    recorded: '2025-03-10T02:00:00.000Z',
    outcome: '0',
    agent: [
      {
        type: { coding: [{ code: 'humanuser', display: 'practitioner' }] },
        who: { reference: 'Practitioner/d1' },
        requestor: true,
      },
    ],
    entity: [
      { what: { reference: 'Observation/o1/_history/1' } },
      { what: { reference: 'Patient/p1' }, role: { code: '1', display: 'Patient' } },
    ],
    ...over,
  });

  it('says who did what to which kind of data, and how it ended', () => {
    expect(auditLine(event({}), 'p1')).toMatchObject({
      who: 'Practitioner/d1',
      role: 'practitioner',
      action: 'read',
      entityType: 'Observation',
      outcome: 'success',
      emergency: false,
      self: false,
    });
    expect(auditLine(event({ subtype: [{ code: 'search-type' }], action: 'E', outcome: '4' })).outcome).toBe(
      'refused',
    );
    expect(auditLine(event({ subtype: [{ code: 'search-type' }], action: 'E' })).action).toBe('search');
    expect(auditLine(event({ subtype: [{ code: 'create' }], action: 'C' })).action).toBe('create');
    expect(auditLine(event({ subtype: [{ code: 'update' }], action: 'U', outcome: '8' }))).toMatchObject({
      action: 'update',
      outcome: 'failed',
    });
  });

  it('flags emergency access and recognises the patient themselves', () => {
    const bg = auditLine(
      event({
        subtype: [{ code: 'break-glass' }],
        action: 'E',
        purposeOfEvent: [{ coding: [{ code: 'ETREAT' }] }],
        outcomeDesc: 'Bệnh nhân bất tỉnh',
      }),
    );
    expect(bg).toMatchObject({ action: 'breakGlass', emergency: true, detail: 'Bệnh nhân bất tỉnh' });
    const self = auditLine(
      event({ agent: [{ who: { reference: 'Patient/p1' }, type: { coding: [{ display: 'patient' }] } }] }),
      'p1',
    );
    expect(self.self).toBe(true);
    const byAccount = auditLine(event({ agent: [{ who: { identifier: { value: 'svc-1' } } }] }));
    expect(byAccount.who).toBe('svc-1');
    expect(entityTypeOf('Observation?code,date')).toBe('Observation');
    expect(entityTypeOf(undefined)).toBeUndefined();
  });
});

describe('consent', () => {
  it('a new sharing lasts 3 months by default (the last day included)', () => {
    expect(defaultShareEnd('2026-12-06')).toBe('2027-03-05');
    expect(defaultShareEnd('2026-12-01')).toBe('2027-02-28');
    expect(defaultShareEnd('2027-01-31')).toBe('2027-04-29');
    expect(defaultShareEnd('2027-11-30', 3)).toBe('2028-02-28');
  });

  it('builds the Consent the server honours (actor reference, period in Vietnam time)', () => {
    const c = buildConsent({
      patientId: 'p1',
      actorType: 'Practitioner',
      actorId: 'd2',
      actorDisplay: 'BS. Lê Hoa',
      start: '2025-03-01',
      end: '2025-03-31',
      now: new Date('2025-03-01T03:00:00Z'),
    });
    expect(c).toEqual({
      resourceType: 'Consent',
      status: 'active',
      scope: {
        coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }],
      },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: 'Patient/p1' },
      dateTime: '2025-03-01T03:00:00.000Z',
      policyRule: { text: expect.any(String) as string },
      provision: {
        type: 'permit',
        period: { start: '2025-03-01T00:00:00+07:00', end: '2025-03-31T23:59:59+07:00' },
        actor: [
          {
            role: expect.objectContaining({ text: 'xem hồ sơ' }) as object,
            reference: { reference: 'Practitioner/d2', display: 'BS. Lê Hoa' },
          },
        ],
      },
    });
    const open = buildConsent({ patientId: 'p1', actorType: 'Organization', actorId: 'o1' });
    expect(open.provision?.period).toBeUndefined();
    expect(open.provision?.actor?.[0]?.reference).toEqual({ reference: 'Organization/o1' });
    expect(isSharing(open)).toBe(true);
  });

  it('validates, revokes and tells whether a consent is in effect', () => {
    expect(grantErrors({ start: '2025-03-02', end: '2025-03-01' })).toEqual({
      actor: 'sharing.errors.actor',
      end: 'sharing.errors.endBeforeStart',
    });
    expect(grantErrors({ actorId: 'd', start: '2025-03-01', end: '2025-03-01' })).toEqual({});
    const c = buildConsent({
      patientId: 'p1',
      actorType: 'Practitioner',
      actorId: 'd',
      start: '2025-03-01',
      end: '2025-03-31',
    });
    expect(consentState(c, new Date('2025-03-15T00:00:00Z'))).toBe('active');
    expect(consentState(c, new Date('2025-02-28T16:59:00Z'))).toBe('upcoming');
    expect(consentState(c, new Date('2025-03-31T17:00:00Z'))).toBe('expired');
    const revoked = revokedConsent({ ...c, id: 'k1' });
    expect(revoked).toMatchObject({ id: 'k1', status: 'inactive', provision: c.provision });
    expect(consentState(revoked)).toBe('inactive');
    expect(isSharing({ resourceType: 'Consent', provision: { data: [{ meaning: 'related' }] } })).toBe(false);
  });
});

describe('messages and links', () => {
  const keys = (o: object, prefix = ''): string[] =>
    Object.entries(o).flatMap(([k, v]) =>
      typeof v === 'object' && v !== null ? keys(v as object, `${prefix}${k}.`) : [`${prefix}${k}`],
    );
  it('has the same keys in Vietnamese and English', () => {
    expect(keys(RECORD_MESSAGES.en).sort()).toEqual(keys(RECORD_MESSAGES.vi).sort());
  });
  it('turns the server’s absolute next links into paths', () => {
    expect(relativeUrl('http://api.example/fhir/Patient/p1/$everything?_count=200&_cursor=abc')).toBe(
      '/fhir/Patient/p1/$everything?_count=200&_cursor=abc',
    );
  });
});
