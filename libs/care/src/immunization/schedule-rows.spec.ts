import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VACCINE_ANTIGENS, antigensOf, type Antigen } from './cvx-antigens';
import { forecast, type AntigenForecast, type ForecastResult } from './forecast';
import { toImmunizationRecommendation } from './recommendation';
import { CVX_SYSTEM, HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS, VN_EPI_2024 } from './schedule';
import { epiScheduleMarkdown } from './schedule-doc';

/**
 * Issue 17 items 2, 3 and 6, from the source rows (docs/research/issue-17-sources.md): the HepB
 * birth dose (Circular 10/2024 row 1 + WHO SMART HepBBirthDoseAgeLimitDays), the DTP-containing
 * doses until 7 years (tetanus row), and vaccine codes matched by antigen (CDC CDSi 4.64).
 */
const BIRTH = '2026-01-15';
const f = (r: ForecastResult, code: string): AntigenForecast => {
  const x = r.forecasts.find((s) => s.antigen === code);
  if (!x) throw new Error(`no ${code}`);
  return x;
};
const cvx = (code: string, date: string, reference?: string) => ({
  vaccineCode: { system: CVX_SYSTEM, code },
  date,
  ...(reference ? { reference } : {}),
});

describe('item 2 — HepB birth dose: within 24 h (Circular 10/2024 row 1), not applicable from the age limit', () => {
  it('the age limit is LOCAL POLICY data citing the WHO SMART logic', () => {
    const dose = VN_EPI_2024.antigens.find((a) => a.code === 'HEPB-BIRTH')!.doses[0]!;
    expect(HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS).toBe(7);
    expect(dose.maxAge).toEqual({ days: 7 });
    expect(dose.maxAgeSource).toMatch(/^LOCAL POLICY: HepBBirthDoseAgeLimitDays = 7/);
    expect(dose.maxAgeSource).toContain('IMMZD2DTHepatitisBBirthDose');
    expect(dose.source).toContain('"Birth dose: within 24 hours of birth"');
  });

  // Every band edge: day 0 due (within 24 h), day 1 overdue, day 6 the last day, day 7 = limit.
  it.each([
    ['2026-01-15', 0, 'due'],
    ['2026-01-16', 1, 'overdue'],
    ['2026-01-21', 6, 'overdue'],
    ['2026-01-22', 7, 'not-applicable'],
    ['2026-03-15', 59, 'not-applicable'],
    ['2030-01-15', 1461, 'not-applicable'],
  ])('no birth dose, as of %s (day %i) → %s', (asOf, _day, status) => {
    const hepb = f(forecast(BIRTH, [], asOf), 'HEPB-BIRTH');
    expect(hepb.status).toBe(status);
    // Only from the limit on: the WHO delayed-start wording, "not overdue".
    const last = hepb.reasons.at(-1);
    expect(last?.rule === 'epi.HEPB-BIRTH.dose1.not-applicable').toBe(status === 'not-applicable');
    expect(last?.text.en.includes('not overdue')).toBe(status === 'not-applicable');
  });

  it('not applicable is never overdue: no dates on the recommendation, a local status code', () => {
    const rec = toImmunizationRecommendation('Patient/1', forecast(BIRTH, [], '2026-02-01'));
    const hepb = rec.recommendation.find((r) => r.series === 'HEPB-BIRTH');
    expect(hepb?.forecastStatus.coding?.[0]).toMatchObject({ code: 'not-applicable' });
    expect(hepb?.dateCriterion).toBeUndefined();
  });

  it.each([
    ['08', '2026-01-15', true],
    ['08', '2026-01-21', true],
    ['08', '2026-01-22', false],
    ['45', '2026-01-16', true],
  ])('a monovalent HepB dose (CVX %s) on %s counts as the birth dose: %s', (code, date, counts) => {
    const hepb = f(forecast(BIRTH, [cvx(code, date)], '2026-02-01'), 'HEPB-BIRTH');
    expect(hepb.doses[0]?.valid).toBe(counts);
    expect(hepb.status).toBe(counts ? 'complete' : 'not-applicable');
    expect(hepb.doses[0]?.reason?.rule).toBe(counts ? undefined : 'epi.invalid-dose.max-age');
  });

  it('a combination vaccine is not a birth dose (row 1: monovalent), and the HepB series goes on in the 5-in-1', () => {
    const r = forecast(BIRTH, [cvx('198', '2026-03-15')], '2026-03-20');
    expect(f(r, 'HEPB-BIRTH').doses).toEqual([]);
    expect(f(r, 'HEPB-BIRTH').status).toBe('not-applicable');
    expect(f(r, 'DTP-HEPB-HIB').doses.map((d) => d.doseNumber)).toEqual([1]);
  });
});

describe('item 3 — DTP-containing doses from 2 months until 7 years (3 primary + 2 boosters); no "under 5" rule', () => {
  const primaries = [cvx('198', '2026-03-15'), cvx('198', '2026-04-15'), cvx('198', '2026-05-15')];

  // The 18-month booster missed: overdue on every day up to the 7th birthday, never dropped at 5.
  it.each([
    ['2027-08-15', 'overdue'],
    ['2031-01-14', 'overdue'],
    ['2031-01-15', 'overdue'],
    ['2033-01-14', 'overdue'],
    ['2033-01-15', 'too-old'],
  ])('3 primary doses, no booster, as of %s → dose 4 %s', (asOf, status) => {
    const dtp = f(forecast(BIRTH, primaries, asOf), 'DTP-HEPB-HIB');
    expect([dtp.doseNumber, dtp.status]).toEqual([4, status]);
    expect(dtp.agedOutOn).toBe('2033-01-15');
  });

  it('every DTP-containing dose cites the tetanus row for its 7-year limit', () => {
    const dtp = VN_EPI_2024.antigens.find((a) => a.code === 'DTP-HEPB-HIB')!;
    for (const d of dtp.doses) {
      expect(d.maxAge).toEqual({ years: 7 });
      expect(d.maxAgeSource).toContain('cho trẻ từ 02 tháng tuổi đến khi trẻ đủ 07 tuổi');
    }
  });

  it('a late booster at 6 years counts; the 7-year reduced-dose booster is still due at 7', () => {
    const r = forecast(BIRTH, [...primaries, cvx('01', '2032-01-15')], '2033-01-15');
    expect(f(r, 'DTP-HEPB-HIB').status).toBe('complete');
    expect([f(r, 'TD').doseNumber, f(r, 'TD').status]).toEqual([1, 'due']);
  });

  it('a Tdap at 7 years is the 7-year booster, not the missed 18-month one (given past 7 years)', () => {
    const r = forecast(BIRTH, [...primaries, cvx('115', '2033-01-20')], '2033-02-01');
    expect(f(r, 'TD').status).toBe('complete');
    const dtp = f(r, 'DTP-HEPB-HIB');
    expect(dtp.status).toBe('too-old');
    expect(dtp.doses.at(-1)?.reason?.rule).toBe('epi.invalid-dose.max-age');
  });

  it('no series of the schedule is cut at 5 without saying LOCAL POLICY', () => {
    const at5 = VN_EPI_2024.antigens.flatMap((s) =>
      s.doses
        .filter((d) => d.maxAge?.years === 5)
        .map((d) => [s.code, d.doseNumber, d.maxAgeSource?.slice(0, 13)]),
    );
    expect(at5.length).toBeGreaterThan(0);
    for (const [code, dose, src] of at5) expect([code, dose, src]).toEqual([code, dose, 'LOCAL POLICY:']);
    expect(at5.map(([code]) => code)).not.toContain('DTP-HEPB-HIB');
  });
});

describe('item 6 — doses matched by antigen across every code that carries it (CDC CDSi 4.64)', () => {
  // The CVX rows of docs/research/issue-17-sources.md § 5 (source A), as read.
  const D: Antigen = 'Diphtheria';
  const T: Antigen = 'Tetanus';
  const P: Antigen = 'Pertussis';
  it.each<[string, Antigen[]]>([
    ['198', [D, T, P, 'HepB', 'Hib']],
    ['102', [D, T, P, 'Hib', 'HepB']],
    ['110', [D, T, P, 'HepB', 'Polio']],
    ['120', [D, T, P, 'Hib', 'Polio']],
    ['146', [D, T, P, 'Polio', 'Hib', 'HepB']],
    ['08', ['HepB']],
    ['45', ['HepB']],
    ['10', ['Polio']],
    ['89', ['Polio']],
    ['119', ['Rotavirus']],
    ['116', ['Rotavirus']],
    ['122', ['Rotavirus']],
    ['03', ['Measles', 'Mumps', 'Rubella']],
    ['94', ['Measles', 'Mumps', 'Rubella', 'Varicella']],
    ['05', ['Measles']],
    ['39', ['Japanese Encephalitis']],
    ['09', [T, D]],
    ['113', [T, D]],
    ['115', [T, D, P]],
    ['138', [T, D]],
    ['139', [T, D]],
    ['133', ['Pneumococcal']],
    ['152', ['Pneumococcal']],
    ['215', ['Pneumococcal']],
    ['02', ['Polio']],
    ['178', ['Polio']],
    ['182', ['Polio']],
    ['04', ['Measles', 'Rubella']],
    ['129', ['Japanese Encephalitis']],
    ['134', ['Japanese Encephalitis']],
    ['01', [D, T, P]],
    ['20', [D, T, P]],
    ['107', [D, T, P]],
    ['28', [D, T]],
    ['35', [T]],
    ['112', [T]],
    ['142', [T]],
    ['196', [T, D]],
    ['100', ['Pneumococcal']],
    ['109', ['Pneumococcal']],
    ['216', ['Pneumococcal']],
  ])('CVX %s carries %j', (code, antigens) => {
    expect([...(antigensOf(code) ?? [])].sort()).toEqual([...antigens].sort());
    expect(VACCINE_ANTIGENS.find((r) => r.code === code)?.source).toContain('CDSi Supporting Data 4.64');
  });

  it('two CVX 198 doses → diphtheria, tetanus, pertussis, HepB and Hib doses 1 and 2 counted; dose 3 next', () => {
    const r = forecast(
      BIRTH,
      [cvx('198', '2026-03-15', 'Immunization/a'), cvx('198', '2026-04-15', 'Immunization/b')],
      '2026-04-20',
    );
    const five = f(r, 'DTP-HEPB-HIB');
    expect(VN_EPI_2024.antigens.find((a) => a.code === 'DTP-HEPB-HIB')?.antigens).toEqual([
      'Diphtheria',
      'Tetanus',
      'Pertussis',
      'HepB',
      'Hib',
    ]);
    expect(five.doses.map((d) => [d.reference, d.valid, d.doseNumber])).toEqual([
      ['Immunization/a', true, 1],
      ['Immunization/b', true, 2],
    ]);
    expect([five.doseNumber, five.status, five.due]).toEqual([3, 'upcoming', '2026-05-15']);
    expect(r.unmatched).toEqual([]);
  });

  it.each([
    ['198', 'DTP-HEPB-HIB'],
    ['102', 'DTP-HEPB-HIB'],
    ['146', 'DTP-HEPB-HIB'],
  ])('CVX %s at 2 months counts as %s dose 1', (code, series) => {
    expect(f(forecast(BIRTH, [cvx(code, '2026-03-15')], '2026-03-20'), series).doses[0]?.doseNumber).toBe(1);
  });

  it.each([
    ['10', 'IPV', true],
    ['110', 'IPV', true],
    ['120', 'IPV', true],
    ['146', 'IPV', true],
    ['02', 'IPV', false],
    ['89', 'IPV', false],
    ['02', 'OPV', true],
    ['178', 'OPV', true],
    ['10', 'OPV', false],
    ['05', 'MEASLES', true],
    ['03', 'MEASLES', true],
    ['94', 'MEASLES', true],
    ['04', 'MEASLES', true],
    ['39', 'JE', true],
    ['134', 'JE', true],
  ])('CVX %s given at the age of the row counts for %s: %s', (code, series, counts) => {
    const at: Record<string, string> = {
      IPV: '2026-06-15',
      OPV: '2026-03-15',
      MEASLES: '2026-10-15',
      JE: '2027-01-15',
    };
    const r = forecast(BIRTH, [cvx(code, at[series]!)], '2027-01-20');
    const dose = f(r, series).doses[0];
    expect(dose?.valid ?? false).toBe(counts);
  });

  it('one injection counts once per antigen: MR at 18 months with no measles dose is measles dose 1, not also MR', () => {
    const r = forecast(BIRTH, [cvx('04', '2027-07-15')], '2027-07-20');
    expect(f(r, 'MEASLES').status).toBe('complete');
    const mr = f(r, 'MR');
    expect(mr.status).toBe('due');
    expect(mr.doses[0]?.reason?.rule).toBe('epi.MR.dose1.counted-elsewhere');
  });

  it('an unknown code is kept as unmatched; a known code no series takes is unmatched too; another system’s "198" is not CVX', () => {
    const r = forecast(
      BIRTH,
      [
        cvx('999', '2026-03-15', 'Immunization/x'),
        cvx('133', '2026-03-15', 'Immunization/pcv'),
        {
          vaccineCode: { system: 'urn:x-vn-product', code: '198' },
          date: '2026-03-15',
          reference: 'Immunization/y',
        },
      ],
      '2026-03-20',
    );
    expect(r.unmatched.map((u) => [u.entry.reference, u.code, u.why])).toEqual([
      ['Immunization/x', '999', 'unknown-code'],
      ['Immunization/pcv', '133', 'no-series'],
      ['Immunization/y', 'urn:x-vn-product|198', 'unknown-code'],
    ]);
    expect(f(r, 'DTP-HEPB-HIB').doses).toEqual([]);
  });
});

describe('item 4 — rotavirus (oral): dose 1 at 2 months, dose 2 ≥ 1 month later, both before 6 months (reference row; Circular row not read)', () => {
  it('the upper age is labelled: the reference row, not WHO (DAK: to 24 months)', () => {
    const rota = VN_EPI_2024.antigens.find((a) => a.code === 'ROTA')!;
    expect(rota.doses.map((d) => [d.doseNumber, d.maxAge])).toEqual([
      [1, { months: 6 }],
      [2, { months: 6 }],
    ]);
    for (const d of rota.doses) {
      expect(d.source).toContain('row NOT READ');
      expect(d.maxAgeSource).toContain('not WHO');
    }
  });

  // Band edges: the day before 2 months, 2 months (due), 3 months (overdue), the day before 6 months, 6 months.
  it.each([
    ['2026-03-14', 'upcoming', 1],
    ['2026-03-15', 'due', 1],
    ['2026-04-15', 'overdue', 1],
    ['2026-07-14', 'overdue', 1],
    ['2026-07-15', 'too-old', 1],
  ])('no dose, as of %s → %s (dose %i)', (asOf, status, dose) => {
    const rota = f(forecast(BIRTH, [], asOf), 'ROTA');
    expect([rota.status, rota.doseNumber]).toEqual([status, dose]);
  });

  it.each([
    // dose 1 on time: dose 2 one month later
    ['2026-03-15', '2026-04-01', 'upcoming', '2026-04-15'],
    // dose 1 late (5 months): dose 2 still fits before 6 months
    ['2026-06-10', '2026-06-20', 'upcoming', '2026-07-10'],
    // dose 1 at 5 months 15 days: dose 2 cannot be before 6 months → no catch-up
    ['2026-07-01', '2026-07-02', 'too-old', '2026-08-01'],
  ])('dose 1 on %s, as of %s → dose 2 %s (earliest %s)', (given, asOf, status, earliest) => {
    const rota = f(forecast(BIRTH, [cvx('119', given)], asOf), 'ROTA');
    expect([rota.doseNumber, rota.status, rota.earliest]).toEqual([2, status, earliest]);
  });

  it.each([
    ['119', true],
    ['116', true],
    ['122', true],
  ])('CVX %s counts as a rotavirus dose', (code, counts) => {
    expect(f(forecast(BIRTH, [cvx(code, '2026-03-15')], '2026-03-20'), 'ROTA').doses[0]?.valid).toBe(counts);
  });

  it('a dose given at 6 months or later does not count (no catch-up)', () => {
    const rota = f(forecast(BIRTH, [cvx('119', '2026-07-15')], '2026-07-20'), 'ROTA');
    expect(rota.doses[0]?.reason?.rule).toBe('epi.invalid-dose.max-age');
    expect(rota.status).toBe('too-old');
  });
});

describe('item 5 — IPV dose 2 at 9 months (SECONDARY, marked so)', () => {
  it('the row says SECONDARY and its interval LOCAL POLICY', () => {
    const d = VN_EPI_2024.antigens.find((a) => a.code === 'IPV')!.doses[1]!;
    expect([d.doseNumber, d.minAge, d.recommendedAge]).toEqual([2, { months: 9 }, { months: 9 }]);
    expect(d.source).toMatch(/SECONDARY only/);
    expect(d.source).toMatch(/minimum interval 1 month after dose 1: LOCAL POLICY/);
  });

  it.each([
    ['2026-06-15', '2026-10-14', 'upcoming', '2026-10-15'],
    ['2026-06-15', '2026-10-15', 'due', '2026-10-15'],
    ['2026-06-15', '2026-11-15', 'overdue', '2026-10-15'],
    // dose 1 late, at 8 months 25 days: dose 2 waits a month after it
    ['2026-10-10', '2026-10-20', 'upcoming', '2026-11-10'],
  ])('IPV dose 1 on %s, as of %s → dose 2 %s, due %s', (given, asOf, status, due) => {
    const ipv = f(forecast(BIRTH, [cvx('10', given)], asOf), 'IPV');
    expect([ipv.doseNumber, ipv.status, ipv.due]).toEqual([2, status, due]);
  });

  it('two IPV-containing doses (10 at 5 months, 146 at 9 months) complete the series', () => {
    const r = forecast(BIRTH, [cvx('10', '2026-06-15'), cvx('146', '2026-10-15')], '2026-11-01');
    expect(f(r, 'IPV').status).toBe('complete');
  });
});

describe('docs/care.md renders the EPI rows from the data', () => {
  it('the table between the epi-schedule markers is the generator output (whitespace of cells aside)', () => {
    const doc = readFileSync(join(__dirname, '../../../../docs/care.md'), 'utf8');
    const m = /<!-- epi-schedule:start -->\n([\s\S]*?)\n<!-- epi-schedule:end -->/.exec(doc);
    expect(m).not.toBeNull();
    const norm = (md: string): string[] =>
      md
        .trim()
        .split('\n')
        .map((l) =>
          l.startsWith('|')
            ? l
                .split(/(?<!\\)\|/)
                .map((c) => c.trim().replace(/^-+$/, '---'))
                .join('|')
            : l,
        );
    expect(norm(m![1]!)).toEqual(norm(epiScheduleMarkdown()));
  });
});
