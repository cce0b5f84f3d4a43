import { validateStructure } from '@mekong/fhir';
import { forecast, type AntigenForecast, type ForecastResult } from './forecast';
import { forecastFor } from './immunization-record';
import { currentPregnancy, PREGNANCY_MAX_DAYS } from './pregnancy';
import { toImmunizationRecommendation } from './recommendation';
import { CVX_SYSTEM, EPI_ANTIGEN_SYSTEM, VN_EPI_2024 } from './schedule';

/**
 * Issue 17 item 7 (last part): the tetanus row for pregnant women, from the source's table
 * (SECONDARY: Từ Dũ Hospital quoting the Ministry of Health schedule; WHO ANC C.5 agrees):
 *   Mũi 1: tiêm sớm khi có thai lần đầu hoặc phụ nữ tuổi sinh đẻ
 *   Mũi 2: cách mũi 1 ít nhất 1 tháng
 *   Mũi 3: cách mũi 2 ít nhất 6 tháng hoặc trong thời kỳ có thai sau
 *   Mũi 4: cách mũi 3 ít nhất 1 năm hoặc trong thời kỳ có thai lần sau
 *   Mũi 5: cách mũi 4 ít nhất 1 năm hoặc trong thời kỳ có thai lần sau
 * and the LOCAL POLICY around it (which doses count, how pregnancy is read from the record).
 */
const WOMAN_BORN = '1996-03-10';
const SINCE = '2026-01-10';
const PREGNANT = { pregnancy: { since: SINCE, evidence: ['Observation/p1'] } };
const ADULT = { children: false, ...PREGNANT };
const tt = (date: string, code = '35', reference?: string) => ({
  vaccineCode: { system: CVX_SYSTEM, code },
  date,
  ...(reference ? { reference } : {}),
});
const ttPreg = (r: ForecastResult): AntigenForecast => {
  const x = r.forecasts.find((s) => s.antigen === 'TT-PREG');
  if (!x) throw new Error('no TT-PREG');
  return x;
};
const woman = (history: ReturnType<typeof tt>[], asOf: string, context = ADULT): AntigenForecast =>
  ttPreg(forecast(WOMAN_BORN, history, asOf, VN_EPI_2024, context));
const next = (f: AntigenForecast) => [f.doseNumber, f.status, f.earliest, f.due, f.overdue];

describe('the row as data: same versioned schedule, population pregnant women, SECONDARY', () => {
  const row = VN_EPI_2024.antigens.find((a) => a.code === 'TT-PREG')!;

  it('is in vn-epi-2024.4 for pregnant women, 5 doses with the source intervals', () => {
    expect(VN_EPI_2024.version).toBe('vn-epi-2024.4');
    expect(row.population).toBe('pregnant-women');
    expect(row.antigens).toEqual(['Tetanus']);
    expect(row.doses.map((d) => [d.doseNumber, d.minIntervalFromPrevious, d.maxAge])).toEqual([
      [1, undefined, undefined],
      [2, { months: 1 }, undefined],
      [3, { months: 6 }, undefined],
      [4, { years: 1 }, undefined],
      [5, { years: 1 }, undefined],
    ]);
  });

  it('every dose says the Circular row was not read and cites the secondary quote, marked SECONDARY only', () => {
    const quotes = [
      'Mũi 1: Tiêm sớm khi có thai lần đầu hoặc phụ nữ tuổi sinh đẻ',
      'Mũi 2: Cách mũi 1 ít nhất 1 tháng',
      'Mũi 3: Cách mũi 2 ít nhất 6 tháng hoặc trong thời kỳ có thai sau',
      'Mũi 4: Cách mũi 3 ít nhất 1 năm hoặc trong thời kỳ có thai lần sau',
      'Mũi 5: Cách mũi 4 ít nhất 1 năm hoặc trong thời kỳ có thai lần sau',
    ];
    row.doses.forEach((d, i) => {
      expect(d.source).toContain('row NOT READ in a primary text');
      expect(d.source).toContain('SECONDARY only: Từ Dũ Hospital');
      expect(d.source).toContain(`"${quotes[i]}"`);
      expect(d.source).toContain('WHO recommendations on antenatal care');
      expect(d.source).not.toMatch(/PRIMARY,/);
      expect(d.overdueSource).toMatch(/^LOCAL POLICY/);
    });
    for (const d of row.doses.slice(2))
      expect(d.source).toContain('LOCAL POLICY: "hoặc trong thời kỳ có thai lần sau"');
    expect(row.countsFromAge).toEqual({ years: 15 });
    expect(row.countsFromAgeSource).toMatch(/^LOCAL POLICY/);
  });
});

describe('forecast(): the source table, dose by dose (pregnant since 2026-01-10)', () => {
  it.each([
    // dose 1: early in the pregnancy — due from its first record
    ['no dose', SINCE, [1, 'due', '2011-03-10', SINCE, '2026-02-10'], []],
    ['no dose', '2026-02-09', [1, 'due', '2011-03-10', SINCE, '2026-02-10'], []],
    ['no dose', '2026-02-10', [1, 'overdue', '2011-03-10', SINCE, '2026-02-10'], []],
    // dose 2: at least 1 month after dose 1 — one day before is not yet, exactly 1 month is due
    ['dose 1', '2026-02-11', [2, 'upcoming', '2026-02-12', '2026-02-12', '2026-03-12'], [tt('2026-01-12')]],
    ['dose 1', '2026-02-12', [2, 'due', '2026-02-12', '2026-02-12', '2026-03-12'], [tt('2026-01-12')]],
    // dose 3: at least 6 months after dose 2
    [
      'doses 1–2',
      '2026-08-11',
      [3, 'upcoming', '2026-08-12', '2026-08-12', '2026-09-12'],
      [tt('2026-01-12'), tt('2026-02-12')],
    ],
    [
      'doses 1–2',
      '2026-08-12',
      [3, 'due', '2026-08-12', '2026-08-12', '2026-09-12'],
      [tt('2026-01-12'), tt('2026-02-12')],
    ],
    // dose 4: at least 1 year after dose 3
    [
      'doses 1–3',
      '2026-05-31',
      [4, 'upcoming', '2026-06-01', '2026-06-01', '2026-07-01'],
      [tt('2024-01-05'), tt('2024-02-05'), tt('2025-06-01')],
    ],
    [
      'doses 1–3',
      '2026-06-01',
      [4, 'due', '2026-06-01', '2026-06-01', '2026-07-01'],
      [tt('2024-01-05'), tt('2024-02-05'), tt('2025-06-01')],
    ],
    // dose 5: at least 1 year after dose 4
    [
      'doses 1–4',
      '2026-02-28',
      [5, 'upcoming', '2026-03-01', '2026-03-01', '2026-04-01'],
      [tt('2022-01-05'), tt('2022-02-05'), tt('2022-08-05'), tt('2025-03-01')],
    ],
    [
      'doses 1–4',
      '2026-03-01',
      [5, 'due', '2026-03-01', '2026-03-01', '2026-04-01'],
      [tt('2022-01-05'), tt('2022-02-05'), tt('2022-08-05'), tt('2025-03-01')],
    ],
  ])('%s, as of %s → [dose, status, earliest, due, overdue] %j', (_what, asOf, expected, history) => {
    expect(next(woman(history, asOf))).toEqual(expected);
  });

  it('"or in a later pregnancy": the interval passed before this pregnancy → due from its first record', () => {
    // Doses 1–2 in a pregnancy of 2023; this pregnancy recorded 2026-01-10.
    const f = woman([tt('2023-03-01'), tt('2023-04-01')], '2026-01-15');
    expect(next(f)).toEqual([3, 'due', '2023-10-01', SINCE, '2026-02-10']);
    expect(f.reasons.map((r) => r.rule)).toContain('epi.TT-PREG.dose3.pregnancy');
  });

  it.each([
    ['one day before the minimum interval', '2026-02-11', false],
    ['exactly the minimum interval', '2026-02-12', true],
  ])('dose 2 given %s (%s) counts: %s', (_what, given, counts) => {
    const f = woman([tt('2026-01-12'), tt(given)], '2026-03-01');
    expect(f.doses[1]?.valid).toBe(counts);
    expect(f.doses[1]?.reason?.rule).toBe(counts ? undefined : 'epi.invalid-dose.min-interval');
    expect(f.doseNumber).toBe(counts ? 3 : 2);
  });

  it('5 valid doses: complete (five doses protect through the child-bearing years)', () => {
    const f = woman(
      [tt('2020-01-05'), tt('2020-02-05'), tt('2020-08-05'), tt('2021-08-05'), tt('2022-08-05')],
      '2026-01-15',
    );
    expect(f.status).toBe('complete');
    expect(f.doses.map((d) => d.doseNumber)).toEqual([1, 2, 3, 4, 5]);
  });

  it.each([
    ['35', 'TT'],
    ['09', 'Td'],
    ['115', 'Tdap'],
    ['TT', 'local TT'],
  ])('CVX/local %s (%s) given in pregnancy counts as a dose', (code) => {
    const history = [
      code === 'TT'
        ? { vaccineCode: { system: EPI_ANTIGEN_SYSTEM, code }, date: '2026-01-12' }
        : tt('2026-01-12', code),
    ];
    const f = ttPreg(forecast(WOMAN_BORN, history, '2026-01-20', VN_EPI_2024, ADULT));
    expect(f.doses[0]?.valid).toBe(true);
  });
});

describe('LOCAL POLICY: which doses count — from 15 years, or in the current pregnancy', () => {
  // Her childhood: 3 × 5-in-1, the DPT booster at 18 months, the Td booster at 7 years.
  const childhood = [
    tt('1996-05-10', '198'),
    tt('1996-06-10', '198'),
    tt('1996-07-10', '198'),
    tt('1997-09-10', '01'),
    tt('2003-03-10', '09'),
  ];

  it('the children’s tetanus doses do not count: dose 1 is due in pregnancy, each childhood dose says why', () => {
    const f = woman(childhood, '2026-01-15');
    expect(next(f)).toEqual([1, 'due', '2011-03-10', SINCE, '2026-02-10']);
    expect(f.doses.map((d) => [d.date, d.valid, d.reason?.rule])).toEqual(
      childhood.map((c) => [c.date, false, 'epi.TT-PREG.counts-from']),
    );
  });

  it('a Td on the 15th birthday counts (dose 1); one the day before does not', () => {
    expect(woman([tt('2011-03-10', '09')], '2026-01-15').doses[0]?.valid).toBe(true);
    expect(woman([tt('2011-03-09', '09')], '2026-01-15').doses[0]?.valid).toBe(false);
  });

  it('a pregnant girl of 14: a dose of this pregnancy counts, one given before it does not', () => {
    const girl = '2011-06-01'; // 14 years old on 2026-01-10
    const r = forecast(girl, [tt('2025-06-01'), tt('2026-01-12')], '2026-01-20', VN_EPI_2024, PREGNANT);
    const f = ttPreg(r);
    expect(f.doses.map((d) => [d.date, d.valid])).toEqual([
      ['2025-06-01', false],
      ['2026-01-12', true],
    ]);
    expect([f.doseNumber, f.due]).toEqual([2, '2026-02-12']);
    // Still a child: the children's series are evaluated too, with their own counting.
    expect(r.forecasts.some((x) => x.antigen === 'TD')).toBe(true);
  });
});

describe('forecast(): no pregnancy, no row', () => {
  it('a child (no pregnancy): the children’s series only', () => {
    const r = forecast('2026-01-15', [], '2026-03-01');
    expect(r.forecasts.map((f) => f.antigen)).not.toContain('TT-PREG');
    expect(r.forecasts.every((f) => f.population === 'children')).toBe(true);
  });

  it('a TT dose recorded for a child is not silently dropped (no children’s series takes it)', () => {
    const r = forecast('2020-01-15', [tt('2026-02-01', '35', 'Immunization/tt')], '2026-03-01');
    expect(r.unmatched.map((u) => [u.entry.reference, u.why])).toEqual([['Immunization/tt', 'no-series']]);
  });
});

// FHIR resources as the record holds them.
const patient = (extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  id: 'w1',
  gender: 'female',
  birthDate: WOMAN_BORN,
  name: [{ family: 'Lê', given: ['Thị', 'Hoa'] }],
  ...extra,
});
const status = (id: string, day: string, snomed: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  subject: { reference: 'Patient/w1' },
  code: { coding: [{ system: 'http://loinc.org', code: '82810-3' }] },
  effectiveDateTime: day,
  valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: snomed }] },
  ...extra,
});
const condition = (id: string, extra: Record<string, unknown>) => ({
  resourceType: 'Condition',
  id,
  subject: { reference: 'Patient/w1' },
  code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10', code: 'Z33' }] },
  clinicalStatus: {
    coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
  },
  ...extra,
});
const immunization = (id: string, day: string, code: string) => ({
  resourceType: 'Immunization',
  id,
  status: 'completed',
  patient: { reference: 'Patient/w1' },
  occurrenceDateTime: day,
  vaccineCode: { coding: [{ system: CVX_SYSTEM, code }] },
});
const PREG = '77386006';
const NOT_PREG = '60001007';

describe('pregnancy from the record (pregnancy.ts, LOCAL POLICY)', () => {
  it.each([
    ['a Pregnancy status "Pregnant"', [status('p1', SINCE, PREG)], '2026-01-20', SINCE],
    [
      'a later "Not pregnant" ends it',
      [status('p1', SINCE, PREG), status('p2', '2026-01-15', NOT_PREG)],
      '2026-01-20',
      undefined,
    ],
    [
      '"Pregnant" after an earlier "Not pregnant"',
      [status('p0', '2025-01-01', NOT_PREG), status('p1', SINCE, PREG)],
      '2026-01-20',
      SINCE,
    ],
    [
      'the first record of the current pregnancy is "since"',
      [status('p1', SINCE, PREG), status('p2', '2026-03-01', PREG)],
      '2026-03-02',
      SINCE,
    ],
    ['an "Unknown" value says nothing', [status('p1', SINCE, '261665006')], '2026-01-20', undefined],
    [
      'an entered-in-error status says nothing',
      [status('p1', SINCE, PREG, { status: 'entered-in-error' })],
      '2026-01-20',
      undefined,
    ],
    ['"Pregnant" on its last day of the 42 weeks', [status('p1', SINCE, PREG)], '2026-10-30', SINCE],
    ['"Pregnant" 42 weeks old: no longer current', [status('p1', SINCE, PREG)], '2026-10-31', undefined],
    [
      'an active Condition ICD-10 Z33 (onset)',
      [condition('c1', { onsetDateTime: '2026-01-05' })],
      '2026-01-20',
      '2026-01-05',
    ],
    [
      'an active Condition SNOMED 77386006 (recorded)',
      [
        condition('c1', {
          code: { coding: [{ system: 'http://snomed.info/sct', code: PREG }] },
          recordedDate: '2026-01-06',
        }),
      ],
      '2026-01-20',
      '2026-01-06',
    ],
    [
      'a refuted Condition says nothing',
      [
        condition('c1', {
          onsetDateTime: '2026-01-05',
          verificationStatus: { coding: [{ code: 'refuted' }] },
        }),
      ],
      '2026-01-20',
      undefined,
    ],
    ['an undated Condition says nothing', [condition('c1', {})], '2026-01-20', undefined],
    [
      'a resolved Condition says nothing',
      [condition('c1', { onsetDateTime: '2026-01-05', clinicalStatus: { coding: [{ code: 'resolved' }] } })],
      '2026-01-20',
      undefined,
    ],
  ])('%s', (_what, records, today, since) => {
    expect(currentPregnancy(records, today)?.since).toBe(since);
  });

  it('the window is 42 weeks', () => expect(PREGNANCY_MAX_DAYS).toBe(294));
});

describe('forecastFor(): who gets the row', () => {
  const asOf = '2026-01-20';

  it('a pregnant woman: the tetanus row only, due, naming the schedule version and the pregnancy record', () => {
    const pf = forecastFor('w1', patient(), [], asOf, [status('p1', SINCE, PREG)]);
    expect(pf?.result.forecasts.map((f) => [f.antigen, f.doseNumber, f.status, f.due])).toEqual([
      ['TT-PREG', 1, 'due', SINCE],
    ]);
    const rec = toImmunizationRecommendation('Patient/w1', pf!.result);
    expect(validateStructure(rec)).toEqual([]);
    expect(rec.extension).toContainEqual({
      url: 'https://fhir.mekong.health/StructureDefinition/care-rule',
      valueString: 'epi.schedule.vn-epi-2024.4',
    });
    const tt = rec.recommendation[0]!;
    expect(tt).toMatchObject({
      series: 'TT-PREG',
      doseNumberPositiveInt: 1,
      seriesDosesPositiveInt: 5,
      forecastStatus: { text: 'due' },
      supportingPatientInformation: [{ reference: 'Observation/p1' }],
    });
    expect(tt.extension[1]?.valueString).toContain('SECONDARY only');
  });

  it('her childhood doses belong to the children’s series: not listed as not counted; an unknown code is', () => {
    const pf = forecastFor(
      'w1',
      patient(),
      [immunization('bcg', '1996-03-11', '19'), immunization('x', '2025-05-01', '999')],
      asOf,
      [status('p1', SINCE, PREG)],
    );
    expect(pf?.notCounted.map((n) => n.reference)).toEqual(['Immunization/x']);
  });

  it('a woman who is not pregnant: nothing (no recommendation at all)', () => {
    expect(forecastFor('w1', patient(), [], asOf, [])).toBeUndefined();
    expect(
      forecastFor('w1', patient(), [], asOf, [
        status('p1', SINCE, PREG),
        status('p2', '2026-01-18', NOT_PREG),
      ]),
    ).toBeUndefined();
  });

  it('a man (no pregnancy on his record): nothing', () => {
    expect(forecastFor('m1', patient({ id: 'm1', gender: 'male' }), [], asOf, [])).toBeUndefined();
  });

  it('a child: the children’s series, no tetanus row for pregnant women', () => {
    const pf = forecastFor('c1', patient({ id: 'c1', birthDate: '2025-06-01' }), [], asOf, []);
    expect(pf?.result.forecasts.map((f) => f.antigen)).not.toContain('TT-PREG');
    expect(pf?.result.forecasts.length).toBeGreaterThan(0);
  });

  it('all 5 doses given: the row is complete, so nothing is kept for her', () => {
    const doses = ['2020-01-05', '2020-02-05', '2020-08-05', '2021-08-05', '2022-08-05'].map((d, i) =>
      immunization(`t${i}`, d, '35'),
    );
    expect(forecastFor('w1', patient(), doses, asOf, [status('p1', SINCE, PREG)])).toBeUndefined();
  });
});
