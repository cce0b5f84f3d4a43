import { validateStructure } from '@mekong/fhir';
import { forecast, type AntigenForecast, type ForecastResult } from './forecast';
import { toImmunizationRecommendation } from './recommendation';
import { antigensOf } from './cvx-antigens';
import { CURRENT_SCHEDULE, CVX_SYSTEM, VN_EPI_2024, type ImmunizationSchedule } from './schedule';

const BIRTH = '2026-01-15';

function byAntigen(result: ForecastResult, code: string): AntigenForecast {
  const f = result.forecasts.find((x) => x.antigen === code);
  if (f === undefined) throw new Error(`no forecast for ${code}`);
  return f;
}

const dates = (f: AntigenForecast) => ({
  status: f.status,
  doseNumber: f.doseNumber,
  earliest: f.earliest,
  due: f.due,
  overdue: f.overdue,
});

describe('Vietnam EPI schedule data (Circular 10/2024/TT-BYT)', () => {
  it('is versioned and in force from 1 Aug 2024', () => {
    expect(CURRENT_SCHEDULE).toBe(VN_EPI_2024);
    expect(VN_EPI_2024.effectiveFrom).toBe('2024-08-01');
    expect(VN_EPI_2024.source).toContain('Circular 10/2024/TT-BYT');
  });

  it('every dose cites a source; every accepted code is in the antigen table and carries the series antigens', () => {
    for (const s of VN_EPI_2024.antigens) {
      for (const d of s.doses) {
        expect(d.source).toMatch(/Circular 10\/2024\/TT-BYT/);
        expect(d.overdueSource.length).toBeGreaterThan(0);
        expect(d.maxAge === undefined || /Circular 10\/2024|LOCAL POLICY/.test(d.maxAgeSource ?? '')).toBe(
          true,
        );
        for (const c of [...(d.acceptedCodes ?? []), ...(s.acceptedCodes ?? [])]) {
          expect([s.code, c, antigensOf(c)?.filter((a) => (d.antigens ?? s.antigens).includes(a))]).toEqual([
            s.code,
            c,
            d.antigens ?? s.antigens,
          ]);
        }
      }
    }
  });

  it('has the series of the reference table with their dose counts', () => {
    expect(VN_EPI_2024.antigens.map((a) => [a.code, a.doses.length])).toEqual([
      ['HEPB-BIRTH', 1],
      ['BCG', 1],
      ['DTP-HEPB-HIB', 4],
      ['OPV', 3],
      ['IPV', 2],
      ['MEASLES', 1],
      ['JE', 3],
      ['MR', 1],
      ['TD', 1],
      ['ROTA', 2],
      ['TT-PREG', 5],
    ]);
  });
});

describe('forecast(): first recommendations for a child born 2026-01-15', () => {
  const atBirth = forecast(BIRTH, [], BIRTH);

  it.each([
    ['HEPB-BIRTH', 'due', 1, '2026-01-15', '2026-01-15', '2026-01-16'],
    ['BCG', 'due', 1, '2026-01-15', '2026-01-15', '2026-02-15'],
    ['DTP-HEPB-HIB', 'upcoming', 1, '2026-03-15', '2026-03-15', '2026-04-15'],
    ['OPV', 'upcoming', 1, '2026-03-15', '2026-03-15', '2026-04-15'],
    ['IPV', 'upcoming', 1, '2026-06-15', '2026-06-15', '2026-07-15'],
    ['MEASLES', 'upcoming', 1, '2026-10-15', '2026-10-15', '2026-11-15'],
    ['JE', 'upcoming', 1, '2027-01-15', '2027-01-15', '2027-02-15'],
    ['MR', 'upcoming', 1, '2027-07-15', '2027-07-15', '2027-08-15'],
    ['TD', 'upcoming', 1, '2033-01-15', '2033-01-15', '2033-02-15'],
    ['ROTA', 'upcoming', 1, '2026-03-15', '2026-03-15', '2026-04-15'],
  ])('%s → %s dose %i: earliest %s, due %s, overdue %s', (code, status, dose, earliest, due, overdue) => {
    expect(dates(byAntigen(atBirth, code))).toEqual({ status, doseNumber: dose, earliest, due, overdue });
  });

  it('cites the rule and the source row for each forecast', () => {
    const dtp = byAntigen(atBirth, 'DTP-HEPB-HIB');
    expect(dtp.rule).toBe('epi.DTP-HEPB-HIB.dose1');
    expect(dtp.source).toContain(
      'Circular 10/2024/TT-BYT Art. 1(1), row 3 (Diphtheria): "Dose 1: at 02 months of age" (PRIMARY',
    );
    const hepb = byAntigen(atBirth, 'HEPB-BIRTH');
    expect(hepb.reasons.find((r) => r.rule === 'epi.HEPB-BIRTH.dose1.overdue')?.source).toContain(
      'within 24 hours of birth',
    );
  });

  it('the birth dose of HepB is overdue from the day after birth (within 24 h)', () => {
    expect(byAntigen(forecast(BIRTH, [], '2026-01-16'), 'HEPB-BIRTH').status).toBe('overdue');
  });

  it('BCG is due within the first month and overdue from 2026-02-15', () => {
    expect(byAntigen(forecast(BIRTH, [], '2026-02-14'), 'BCG').status).toBe('due');
    expect(byAntigen(forecast(BIRTH, [], '2026-02-15'), 'BCG').status).toBe('overdue');
  });

  it('5-in-1 dose 1: upcoming the day before 2 months, due at 2 months, overdue one month later', () => {
    expect(byAntigen(forecast(BIRTH, [], '2026-03-14'), 'DTP-HEPB-HIB').status).toBe('upcoming');
    expect(byAntigen(forecast(BIRTH, [], '2026-03-15'), 'DTP-HEPB-HIB').status).toBe('due');
    expect(byAntigen(forecast(BIRTH, [], '2026-04-14'), 'DTP-HEPB-HIB').status).toBe('due');
    expect(byAntigen(forecast(BIRTH, [], '2026-04-15'), 'DTP-HEPB-HIB').status).toBe('overdue');
  });
});

describe('forecast(): on-time series', () => {
  const onTime = [
    { antigen: 'HEPB-BIRTH', date: '2026-01-15', reference: 'Immunization/hepb' },
    { antigen: 'BCG', date: '2026-01-20' },
    { antigen: 'DTP-HEPB-HIB', date: '2026-03-15', reference: 'Immunization/dtp1' },
    { antigen: 'OPV', date: '2026-03-15' },
  ];

  it('dose 2 of the 5-in-1 is due at 3 months, ≥ 1 month after dose 1', () => {
    const r = forecast(BIRTH, onTime, '2026-03-20');
    expect(dates(byAntigen(r, 'DTP-HEPB-HIB'))).toEqual({
      status: 'upcoming',
      doseNumber: 2,
      earliest: '2026-04-15',
      due: '2026-04-15',
      overdue: '2026-05-15',
    });
    expect(byAntigen(r, 'HEPB-BIRTH').status).toBe('complete');
    expect(byAntigen(r, 'BCG').status).toBe('complete');
    expect(byAntigen(r, 'OPV').due).toBe('2026-04-15');
  });

  it('accepts CVX codings (102 = DTP-Hib-Hep B) as well as local codes', () => {
    const r = forecast(
      BIRTH,
      [{ vaccineCode: { system: CVX_SYSTEM, code: '102' }, date: '2026-03-15' }],
      '2026-03-20',
    );
    expect(byAntigen(r, 'DTP-HEPB-HIB').doseNumber).toBe(2);
    expect(byAntigen(r, 'DTP-HEPB-HIB').doses).toEqual([
      { date: '2026-03-15', code: '102', reference: undefined, valid: true, doseNumber: 1 },
    ]);
  });

  it('JE dose 2 is 1–2 weeks after dose 1, dose 3 one year after dose 2', () => {
    const je1 = forecast(BIRTH, [{ antigen: 'JE', date: '2027-01-15' }], '2027-01-16');
    expect(dates(byAntigen(je1, 'JE'))).toEqual({
      status: 'upcoming',
      doseNumber: 2,
      earliest: '2027-01-22',
      due: '2027-01-22',
      overdue: '2027-01-29',
    });
    const je2 = forecast(
      BIRTH,
      [
        { antigen: 'JE', date: '2027-01-15' },
        { antigen: 'JE', date: '2027-01-22' },
      ],
      '2027-02-01',
    );
    expect(dates(byAntigen(je2, 'JE'))).toEqual({
      status: 'upcoming',
      doseNumber: 3,
      earliest: '2028-01-22',
      due: '2028-01-22',
      overdue: '2028-02-22',
    });
  });

  it('a complete DTP-containing series (3 × 5-in-1 + DPT booster at 18 months) is complete', () => {
    const r = forecast(
      BIRTH,
      [
        { antigen: 'DTP-HEPB-HIB', date: '2026-03-15' },
        { antigen: 'DTP-HEPB-HIB', date: '2026-04-15' },
        { antigen: 'DTP-HEPB-HIB', date: '2026-05-15' },
        { vaccineCode: '01', date: '2027-07-15' },
      ],
      '2027-08-01',
    );
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dtp.status).toBe('complete');
    expect(dtp.rule).toBe('epi.DTP-HEPB-HIB.complete');
    expect(dtp.doseNumber).toBeUndefined();
    expect(dtp.due).toBeUndefined();
    expect(dtp.doses.map((d) => d.doseNumber)).toEqual([1, 2, 3, 4]);
  });

  it('after 3 doses the DPT booster (dose 4) is due at 18 months and recommends DTP, not the 5-in-1', () => {
    const r = forecast(
      BIRTH,
      [
        { antigen: 'DTP-HEPB-HIB', date: '2026-03-15' },
        { antigen: 'DTP-HEPB-HIB', date: '2026-04-15' },
        { antigen: 'DTP-HEPB-HIB', date: '2026-05-15' },
      ],
      '2026-06-01',
    );
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dates(dtp)).toEqual({
      status: 'upcoming',
      doseNumber: 4,
      earliest: '2027-07-15',
      due: '2027-07-15',
      overdue: '2027-08-15',
    });
    expect(dtp.vaccineCode.map((c) => c.code)).toEqual(['DTP', '01']);
  });
});

describe('forecast(): catch-up and invalid doses', () => {
  it('a first 5-in-1 at 4 months pushes dose 2 to ≥ 1 month later (catch-up)', () => {
    const history = [{ antigen: 'DTP-HEPB-HIB', date: '2026-05-15' }];
    const r = forecast(BIRTH, history, '2026-05-15');
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dates(dtp)).toEqual({
      status: 'upcoming',
      doseNumber: 2,
      earliest: '2026-06-15',
      due: '2026-06-15',
      overdue: '2026-07-15',
    });
    expect(dtp.reasons.map((x) => x.rule)).toContain('epi.catch-up.min-interval');
    expect(byAntigen(forecast(BIRTH, history, '2026-06-20'), 'DTP-HEPB-HIB').status).toBe('due');
    expect(byAntigen(forecast(BIRTH, history, '2026-07-15'), 'DTP-HEPB-HIB').status).toBe('overdue');
  });

  it('dose 3 after a late dose 2 is again pushed by the minimum interval', () => {
    const r = forecast(
      BIRTH,
      [
        { antigen: 'DTP-HEPB-HIB', date: '2026-05-15' },
        { antigen: 'DTP-HEPB-HIB', date: '2026-06-15' },
      ],
      '2026-06-15',
    );
    expect(dates(byAntigen(r, 'DTP-HEPB-HIB'))).toEqual({
      status: 'upcoming',
      doseNumber: 3,
      earliest: '2026-07-15',
      due: '2026-07-15',
      overdue: '2026-08-15',
    });
  });

  it('a missed dose is overdue with the original dates (give as soon as possible)', () => {
    const r = forecast(BIRTH, [], '2026-09-01');
    expect(dates(byAntigen(r, 'DTP-HEPB-HIB'))).toEqual({
      status: 'overdue',
      doseNumber: 1,
      earliest: '2026-03-15',
      due: '2026-03-15',
      overdue: '2026-04-15',
    });
    expect(byAntigen(r, 'IPV').status).toBe('overdue');
  });

  it('a dose given before the minimum age does not count', () => {
    const r = forecast(BIRTH, [{ antigen: 'DTP-HEPB-HIB', date: '2026-03-01' }], '2026-03-10');
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dtp.doseNumber).toBe(1);
    expect(dtp.due).toBe('2026-03-15');
    expect(dtp.doses[0]?.valid).toBe(false);
    expect(dtp.doses[0]?.reason?.rule).toBe('epi.invalid-dose.min-age');
  });

  it('a dose given before the minimum interval does not count; the next is timed from it', () => {
    const r = forecast(
      BIRTH,
      [
        { antigen: 'DTP-HEPB-HIB', date: '2026-04-01' },
        { antigen: 'DTP-HEPB-HIB', date: '2026-04-20' },
      ],
      '2026-04-21',
    );
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dtp.doses.map((d) => [d.valid, d.reason?.rule])).toEqual([
      [true, undefined],
      [false, 'epi.invalid-dose.min-interval'],
    ]);
    expect(dates(dtp)).toEqual({
      status: 'upcoming',
      doseNumber: 2,
      earliest: '2026-05-20',
      due: '2026-05-20',
      overdue: '2026-06-20',
    });
  });

  it('a DPT-only dose does not count as a 5-in-1 primary dose', () => {
    const r = forecast(BIRTH, [{ vaccineCode: '01', date: '2026-03-15' }], '2026-03-20');
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dtp.doseNumber).toBe(1);
    expect(dtp.doses[0]?.reason?.rule).toBe('epi.DTP-HEPB-HIB.dose1.product');
  });

  it('a never-vaccinated child: DTP-containing doses are not dropped at 5, only at the 7th birthday (tetanus row)', () => {
    const born = '2020-01-15';
    expect(byAntigen(forecast(born, [], '2025-01-15'), 'DTP-HEPB-HIB').status).toBe('overdue');
    expect(byAntigen(forecast(born, [], '2027-01-14'), 'DTP-HEPB-HIB').status).toBe('overdue');
    const r = forecast(born, [], '2027-01-15');
    const dtp = byAntigen(r, 'DTP-HEPB-HIB');
    expect(dtp.status).toBe('too-old');
    expect(dtp.agedOutOn).toBe('2027-01-15');
    expect(dtp.reasons.find((x) => x.rule === 'epi.DTP-HEPB-HIB.dose1.max-age')?.source).toContain(
      'đến khi trẻ đủ 07 tuổi',
    );
    // Rows that give no upper age keep a LOCAL POLICY limit at 5, labelled so.
    const at5 = forecast(born, [], '2025-01-15');
    expect(byAntigen(at5, 'JE').status).toBe('too-old');
    expect(byAntigen(at5, 'JE').reasons.find((x) => x.rule === 'epi.JE.dose1.max-age')?.source).toMatch(
      /^LOCAL POLICY/,
    );
    expect(dates(byAntigen(r, 'TD'))).toEqual({
      status: 'due',
      doseNumber: 1,
      earliest: '2027-01-15',
      due: '2027-01-15',
      overdue: '2027-02-15',
    });
  });

  it('JE dose 3 that cannot be given before the 5th birthday is too-old', () => {
    const r = forecast(
      '2022-01-15',
      [
        { antigen: 'JE', date: '2026-02-01' },
        { antigen: 'JE', date: '2026-02-08' },
      ],
      '2026-03-01',
    );
    const je = byAntigen(r, 'JE');
    expect(je.doseNumber).toBe(3);
    expect(je.earliest).toBe('2027-02-08');
    expect(je.status).toBe('too-old');
  });
});

describe('forecast(): calendar days in Asia/Ho_Chi_Minh', () => {
  it('reads date-times as Vietnam calendar days (UTC+7)', () => {
    // 2026-01-14T20:00Z is 15 Jan 03:00 in Vietnam; 2026-03-14T18:00Z is 15 Mar 01:00 (exactly 2 months).
    const r = forecast(
      '2026-01-14T20:00:00Z',
      [{ antigen: 'DTP-HEPB-HIB', date: '2026-03-14T18:00:00Z' }],
      '2026-03-20T00:00:00+07:00',
    );
    expect(r.birthDate).toBe('2026-01-15');
    expect(r.asOf).toBe('2026-03-20');
    expect(byAntigen(r, 'DTP-HEPB-HIB').doseNumber).toBe(2);
  });

  it('month ends clamp: born 31 Dec → 2 months is 28 Feb', () => {
    expect(byAntigen(forecast('2025-12-31', [], '2026-01-01'), 'OPV').due).toBe('2026-02-28');
  });

  it('rejects impossible input', () => {
    expect(() => forecast(BIRTH, [], '2026-01-14')).toThrow(RangeError);
    expect(() => forecast('not-a-date', [], BIRTH)).toThrow(RangeError);
    expect(() => forecast(BIRTH, [{ antigen: 'BCG', date: '2026-02-01' }], '2026-01-20')).toThrow(RangeError);
    expect(() => forecast(BIRTH, [{ date: '2026-01-20' }], '2026-02-01')).toThrow(RangeError);
  });

  it('reports history entries that match no series instead of dropping them', () => {
    const r = forecast(BIRTH, [{ vaccineCode: '999', date: '2026-01-20' }], '2026-02-01');
    expect(r.unmatched).toEqual([
      { entry: { vaccineCode: '999', date: '2026-01-20' }, code: '999', why: 'unknown-code', antigens: [] },
    ]);
  });
});

describe('forecast(): schedule is data', () => {
  it('a changed table changes the forecast without code changes', () => {
    const changed: ImmunizationSchedule = {
      ...VN_EPI_2024,
      version: 'test-only',
      antigens: [
        {
          ...VN_EPI_2024.antigens[4]!,
          doses: [
            { ...VN_EPI_2024.antigens[4]!.doses[0]!, minAge: { months: 6 }, recommendedAge: { months: 6 } },
          ],
        },
      ],
    };
    const r = forecast(BIRTH, [], BIRTH, changed);
    expect(r.scheduleVersion).toBe('test-only');
    expect(r.forecasts.map((f) => [f.antigen, f.due])).toEqual([['IPV', '2026-07-15']]);
  });
});

describe('toImmunizationRecommendation()', () => {
  const result = forecast(
    BIRTH,
    [
      { antigen: 'HEPB-BIRTH', date: '2026-01-15', reference: 'Immunization/hepb' },
      { antigen: 'DTP-HEPB-HIB', date: '2026-05-15', reference: 'Immunization/dtp1' },
    ],
    '2026-07-20',
  );
  const resource = toImmunizationRecommendation('Patient/123', result);

  it('is a structurally valid FHIR R4 ImmunizationRecommendation', () => {
    expect(validateStructure(resource)).toEqual([]);
    expect(resource.patient).toEqual({ reference: 'Patient/123' });
    expect(resource.date).toBe('2026-07-20');
  });

  it('carries dose number, status, LOINC date criteria, supporting immunizations and the rule', () => {
    const dtp = resource.recommendation.find((r) => r.series === 'DTP-HEPB-HIB');
    expect(dtp?.doseNumberPositiveInt).toBe(2);
    expect(dtp?.forecastStatus.coding).toEqual([
      { system: 'http://terminology.hl7.org/CodeSystem/immunization-recommendation-status', code: 'overdue' },
    ]);
    expect(dtp?.dateCriterion).toEqual([
      {
        code: { coding: [{ system: 'http://loinc.org', code: '30981-5', display: 'Earliest date to give' }] },
        value: '2026-06-15',
      },
      {
        code: { coding: [{ system: 'http://loinc.org', code: '30980-7', display: 'Date vaccine due' }] },
        value: '2026-06-15',
      },
      {
        code: {
          coding: [
            { system: 'http://loinc.org', code: '59778-1', display: 'Date when overdue for immunization' },
          ],
        },
        value: '2026-07-15',
      },
    ]);
    expect(dtp?.supportingImmunization).toEqual([{ reference: 'Immunization/dtp1' }]);
    expect(dtp?.extension).toEqual([
      {
        url: 'https://fhir.mekong.health/StructureDefinition/care-rule',
        valueString: 'epi.DTP-HEPB-HIB.dose2',
      },
      {
        url: 'https://fhir.mekong.health/StructureDefinition/care-rule-source',
        valueString: VN_EPI_2024.antigens[2]!.doses[1]!.source,
      },
    ]);
    expect(dtp?.description).toContain('epi.catch-up.min-interval');
  });

  it('complete series: status complete, no dates; upcoming: a local status code', () => {
    const hepb = resource.recommendation.find((r) => r.series === 'HEPB-BIRTH');
    expect(hepb?.forecastStatus.coding?.[0]?.code).toBe('complete');
    expect(hepb?.dateCriterion).toBeUndefined();
    expect(hepb?.doseNumberPositiveInt).toBeUndefined();
    const td = resource.recommendation.find((r) => r.series === 'TD');
    expect(td?.forecastStatus.coding).toEqual([
      {
        system: 'https://fhir.mekong.health/CodeSystem/immunization-forecast-status',
        code: 'upcoming',
        display: 'Not yet due',
      },
    ]);
  });
});
