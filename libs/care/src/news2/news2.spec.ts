import { validateStructure } from '@mekong/fhir';
import { news2, news2Response, toObservation, type News2Input, type News2Parameter } from './news2';

/** Every parameter in its 0 band (RCP NEWS2 Chart 1): RR 16, SpO2 98 %, air, SBP 120, pulse 70, Alert, 37.0 °C. */
const NORMAL: News2Input = {
  respirationRate: 16,
  spo2: 98,
  spo2Scale: 1,
  onOxygen: false,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
  ageYears: 40,
  pregnant: false,
};

const scoreOf = (input: News2Input, parameter: News2Parameter): number | undefined =>
  news2(input).components.find((c) => c.parameter === parameter)?.score;

describe('NEWS2 Chart 1 band edges (RCP 2017), both sides of every boundary', () => {
  it.each([
    [8, 3],
    [9, 1],
    [11, 1],
    [12, 0],
    [20, 0],
    [21, 2],
    [24, 2],
    [25, 3],
  ])('respiration rate %i/min scores %i', (rr, score) => {
    expect(scoreOf({ ...NORMAL, respirationRate: rr }, 'respirationRate')).toBe(score);
    expect(news2({ ...NORMAL, respirationRate: rr }).total).toBe(score);
  });

  it.each([
    [91, 3],
    [92, 2],
    [93, 2],
    [94, 1],
    [95, 1],
    [96, 0],
    [100, 0],
  ])('SpO2 Scale 1 %i %% scores %i', (spo2, score) => {
    expect(scoreOf({ ...NORMAL, spo2 }, 'spo2')).toBe(score);
  });

  it('SpO2 Scale 1 does not depend on air or oxygen', () => {
    expect(scoreOf({ ...NORMAL, spo2: 97, onOxygen: true }, 'spo2')).toBe(0);
    expect(news2({ ...NORMAL, spo2: 97, onOxygen: true }).total).toBe(2);
  });

  it.each([
    [83, 3],
    [84, 2],
    [85, 2],
    [86, 1],
    [87, 1],
    [88, 0],
    [92, 0],
  ])('SpO2 Scale 2 %i %% scores %i (on air and on oxygen alike)', (spo2, score) => {
    expect(scoreOf({ ...NORMAL, spo2Scale: 2, spo2, onOxygen: false }, 'spo2')).toBe(score);
    expect(scoreOf({ ...NORMAL, spo2Scale: 2, spo2, onOxygen: true }, 'spo2')).toBe(score);
  });

  it.each([93, 94, 95, 96, 97, 100])('SpO2 Scale 2 %i %% on AIR scores 0', (spo2) => {
    const r = news2({ ...NORMAL, spo2Scale: 2, spo2, onOxygen: false });
    expect(r.components.find((c) => c.parameter === 'spo2')).toMatchObject({
      score: 0,
      rule: 'news2.spo2.scale2.ge93-on-air',
    });
    expect(r.total).toBe(0);
  });

  it.each([
    [93, 1, 3],
    [94, 1, 3],
    [95, 2, 4],
    [96, 2, 4],
    [97, 3, 5],
    [100, 3, 5],
  ])('SpO2 Scale 2 %i %% on OXYGEN scores %i (total with oxygen 2: %i)', (spo2, score, total) => {
    const r = news2({ ...NORMAL, spo2Scale: 2, spo2, onOxygen: true });
    expect(r.components.find((c) => c.parameter === 'spo2')?.score).toBe(score);
    expect(r.total).toBe(total);
  });

  it('air scores 0, oxygen scores 2', () => {
    expect(scoreOf({ ...NORMAL, onOxygen: false }, 'airOrOxygen')).toBe(0);
    expect(scoreOf({ ...NORMAL, onOxygen: true }, 'airOrOxygen')).toBe(2);
  });

  it.each([
    [90, 3],
    [91, 2],
    [100, 2],
    [101, 1],
    [110, 1],
    [111, 0],
    [219, 0],
    [220, 3],
  ])('systolic BP %i mmHg scores %i', (sbp, score) => {
    expect(scoreOf({ ...NORMAL, systolicBp: sbp }, 'systolicBp')).toBe(score);
  });

  it.each([
    [40, 3],
    [41, 1],
    [50, 1],
    [51, 0],
    [90, 0],
    [91, 1],
    [110, 1],
    [111, 2],
    [130, 2],
    [131, 3],
  ])('pulse %i/min scores %i', (pulse, score) => {
    expect(scoreOf({ ...NORMAL, pulse }, 'pulse')).toBe(score);
  });

  it.each([
    ['A', 0],
    ['C', 3],
    ['V', 3],
    ['P', 3],
    ['U', 3],
  ] as const)('consciousness %s scores %i', (c, score) => {
    expect(scoreOf({ ...NORMAL, consciousness: c }, 'consciousness')).toBe(score);
  });

  it.each([
    [35.0, 3],
    [35.1, 1],
    [36.0, 1],
    [36.1, 0],
    [38.0, 0],
    [38.1, 1],
    [39.0, 1],
    [39.1, 2],
  ])('temperature %d °C scores %i', (t, score) => {
    expect(scoreOf({ ...NORMAL, temperature: t }, 'temperature')).toBe(score);
  });

  it('rounds to the chart resolution before banding (integers; temperature 0.1 °C)', () => {
    expect(scoreOf({ ...NORMAL, temperature: 36.04 }, 'temperature')).toBe(1);
    expect(scoreOf({ ...NORMAL, temperature: 36.06 }, 'temperature')).toBe(0);
    expect(scoreOf({ ...NORMAL, respirationRate: 20.4 }, 'respirationRate')).toBe(0);
    expect(scoreOf({ ...NORMAL, respirationRate: 20.6 }, 'respirationRate')).toBe(2);
  });

  it('every component names its rule and cites Chart 1', () => {
    const r = news2({ ...NORMAL, spo2: 93 });
    expect(r.components.find((c) => c.parameter === 'spo2')).toEqual({
      parameter: 'spo2',
      value: 93,
      score: 2,
      rule: 'news2.spo2.scale1.92-93',
      source: expect.stringMatching(
        /^SECONDARY: RCP NEWS2 2017 Chart 1 via openEHR-EHR-OBSERVATION\.news2\.v1 rev 1\.0\.5 at0032 "92-93"/,
      ),
    });
  });
});

describe('NEWS2 Chart 4 risk and trigger', () => {
  it('total 0 → low, no alert', () => {
    expect(news2(NORMAL)).toMatchObject({ status: 'complete', total: 0, clinicalRisk: 'low', alert: false });
  });

  it('total 4 without a single 3 → low, no alert', () => {
    // RR 21 (2) + pulse 111 (2)
    expect(news2({ ...NORMAL, respirationRate: 21, pulse: 111 })).toMatchObject({
      total: 4,
      clinicalRisk: 'low',
      alert: false,
    });
  });

  it('a single parameter scoring 3 → low-medium and alert, even with total 3', () => {
    const r = news2({ ...NORMAL, consciousness: 'C' });
    expect(r).toMatchObject({ total: 3, clinicalRisk: 'low-medium', alert: true });
    expect(r.reasons.map((x) => x.rule)).toContain('news2.risk.single-parameter-3');
  });

  it('total 5 → medium and alert', () => {
    // RR 21 (2) + pulse 111 (2) + temperature 38.5 (1)
    expect(news2({ ...NORMAL, respirationRate: 21, pulse: 111, temperature: 38.5 })).toMatchObject({
      total: 5,
      clinicalRisk: 'medium',
      alert: true,
    });
  });

  it('total 6 → medium; total 7 → high', () => {
    // oxygen (2) + RR 21 (2) + pulse 111 (2)
    expect(news2({ ...NORMAL, onOxygen: true, respirationRate: 21, pulse: 111 })).toMatchObject({
      total: 6,
      clinicalRisk: 'medium',
    });
    // + temperature 38.5 (1)
    const high = news2({ ...NORMAL, onOxygen: true, respirationRate: 21, pulse: 111, temperature: 38.5 });
    expect(high).toMatchObject({ total: 7, clinicalRisk: 'high', alert: true });
    expect(high.reasons).toContainEqual({
      rule: 'news2.risk.high',
      source: 'RCP NEWS2 2017, Chart 4 (reference: /work/shared/reference/vietnam-health.md § NEWS2)',
    });
  });

  it('the worst value of every parameter totals the maximum of 20', () => {
    expect(
      news2({
        ...NORMAL,
        respirationRate: 6,
        spo2: 85,
        onOxygen: true,
        systolicBp: 80,
        pulse: 35,
        consciousness: 'U',
        temperature: 34.0,
      }).total,
    ).toBe(20);
  });
});

describe('NEWS2 Chart 4 clinical response', () => {
  it('one response per band: 0 routine, 1–4 assess, a single 3 urgent review, 5–6 urgent, ≥ 7 emergency', () => {
    const cases: [Partial<News2Input>, string][] = [
      [{}, 'routine'],
      [{ respirationRate: 21, pulse: 111 }, 'assess'], // 4
      [{ consciousness: 'C' }, 'urgent-review'], // 3, from a single parameter
      [{ respirationRate: 21, pulse: 111, temperature: 38.5 }, 'urgent'], // 5
      [{ onOxygen: true, respirationRate: 21, pulse: 111 }, 'urgent'], // 6
      [{ onOxygen: true, respirationRate: 21, pulse: 111, temperature: 38.5 }, 'emergency'], // 7
      [{ consciousness: 'V', respirationRate: 25, pulse: 111 }, 'emergency'], // 8 with single 3s
    ];
    for (const [change, response] of cases)
      expect([change, news2Response(news2({ ...NORMAL, ...change }))]).toEqual([change, response]);
  });

  it('an incomplete set answers only what its parameters already establish', () => {
    expect(news2Response(news2({ ...NORMAL, temperature: undefined }))).toBeUndefined();
    expect(news2Response(news2({ ...NORMAL, pulse: undefined, respirationRate: 25 }))).toBe('urgent-review');
    expect(
      news2Response(
        news2({ ...NORMAL, temperature: undefined, onOxygen: true, respirationRate: 25, pulse: 131 }),
      ),
    ).toBe('emergency'); // 2 + 3 + 3 = 8 without the temperature
    expect(news2Response(news2({ ...NORMAL, ageYears: 12 }))).toBeUndefined();
  });

  it('the NEWS2 Observation carries the response as a coded interpretation', () => {
    const obs = toObservation(
      news2({ ...NORMAL, onOxygen: true, respirationRate: 21, pulse: 111, temperature: 38.5 }),
      {
        subject: 'Patient/1',
        effectiveDateTime: '2026-03-01T08:00:00+07:00',
        spo2Scale: 1,
      },
    );
    expect(validateStructure(obs)).toEqual([]);
    expect(obs.interpretation).toEqual([
      {
        coding: [
          {
            system: 'https://fhir.mekong.health/CodeSystem/news2-response',
            code: 'emergency',
            display: expect.stringContaining('emergency response'),
          },
        ],
        text: 'High clinical risk: emergency response (RCP NEWS2 Chart 4)',
      },
    ]);
  });
});

describe('NEWS2: missing data and applicability', () => {
  it('a missing parameter is never scored 0: incomplete, no total, no reassuring risk', () => {
    const r = news2({ ...NORMAL, temperature: undefined });
    expect(r.status).toBe('incomplete');
    expect(r.total).toBeUndefined();
    expect(r.missing).toEqual(['temperature']);
    expect(r.clinicalRisk).toBeUndefined();
    expect(r.alert).toBe(false);
    expect(r.components).toHaveLength(6);
  });

  it('incomplete data still raises the single-3 alert', () => {
    const r = news2({ ...NORMAL, pulse: undefined, respirationRate: 25 });
    expect(r).toMatchObject({
      status: 'incomplete',
      clinicalRisk: 'low-medium',
      alert: true,
      missing: ['pulse'],
    });
    expect(r.total).toBeUndefined();
  });

  it('air/oxygen not reported → missing; Scale 2 at ≥ 93 % cannot be scored either', () => {
    const noO2: News2Input = { ...NORMAL, onOxygen: undefined };
    expect(news2(noO2).missing).toEqual(['airOrOxygen']);
    expect(news2({ ...noO2, spo2Scale: 2, spo2: 95 }).missing).toEqual(['spo2', 'airOrOxygen']);
    expect(news2({ ...noO2, spo2Scale: 2, spo2: 90 }).missing).toEqual(['airOrOxygen']);
  });

  it('implausible values are invalid, not scored', () => {
    const r = news2({ ...NORMAL, spo2: 101 });
    expect(r.status).toBe('incomplete');
    expect(r.invalid).toEqual([
      { parameter: 'spo2', value: 101, reason: 'outside the plausible range 0–100' },
    ]);
  });

  it('not applicable under 16; applicable from 16', () => {
    const r = news2({ ...NORMAL, ageYears: 15 });
    expect(r).toMatchObject({ status: 'not-applicable', alert: false, components: [] });
    expect(r.total).toBeUndefined();
    expect(r.reasons.map((x) => x.rule)).toEqual(['news2.applicability.under-16']);
    expect(news2({ ...NORMAL, ageYears: 16 }).status).toBe('complete');
  });

  it('not applicable in pregnancy', () => {
    const r = news2({ ...NORMAL, pregnant: true, respirationRate: 30 });
    expect(r.status).toBe('not-applicable');
    expect(r.total).toBeUndefined();
    expect(r.reasons.map((x) => x.rule)).toEqual(['news2.applicability.pregnancy']);
  });
});

describe('toObservation()', () => {
  const vitals = {
    respirationRate: 'Observation/rr',
    spo2: 'Observation/spo2',
    airOrOxygen: 'Observation/o2',
    systolicBp: 'Observation/bp',
    pulse: 'Observation/hr',
    consciousness: 'Observation/acvpu',
    temperature: 'Observation/temp',
  };

  it('complete score: SNOMED NEWS2 total, 7 component scores, derivedFrom the vitals, valid R4', () => {
    const r = news2({ ...NORMAL, respirationRate: 21, pulse: 111, temperature: 38.5 });
    const obs = toObservation(r, {
      subject: 'Patient/1',
      effectiveDateTime: '2026-03-01T08:00:00+07:00',
      derivedFrom: vitals,
      spo2Scale: 1,
    });
    expect(validateStructure(obs)).toEqual([]);
    expect(obs.code.coding).toEqual([
      {
        system: 'http://snomed.info/sct',
        code: '1104051000000101',
        display: 'Royal College of Physicians NEWS2 (National Early Warning Score 2) total score',
      },
    ]);
    expect(obs.valueInteger).toBe(5);
    expect(obs.component.map((c) => [c.code.coding?.[0]?.code, c.valueInteger])).toEqual([
      ['1104301000000104', 2],
      ['1104311000000102', 0],
      ['1104331000000105', 0],
      ['1104341000000101', 0],
      ['1104351000000103', 2],
      ['1104361000000100', 0],
      ['1104371000000107', 1],
    ]);
    expect(obs.component[0]?.extension[0]).toEqual({
      url: 'https://fhir.mekong.health/StructureDefinition/care-rule',
      valueString: 'news2.rr.21-24',
    });
    expect(obs.derivedFrom).toHaveLength(7);
  });

  it('incomplete score: no value, data-absent-reason, derivedFrom only what was used', () => {
    const obs = toObservation(news2({ ...NORMAL, temperature: undefined }), {
      subject: { reference: 'Patient/1' },
      effectiveDateTime: '2026-03-01T08:00:00+07:00',
      derivedFrom: vitals,
      spo2Scale: 1,
    });
    expect(validateStructure(obs)).toEqual([]);
    expect(obs.valueInteger).toBeUndefined();
    expect(obs.dataAbsentReason?.coding?.[0]?.code).toBe('unknown');
    expect(obs.derivedFrom?.map((d) => d.reference)).not.toContain('Observation/temp');
    expect(obs.derivedFrom).toHaveLength(6);
    expect(obs.note[0]?.text).toContain('missing temperature');
  });

  it('Scale 2 uses a local code for the SpO2 component', () => {
    const obs = toObservation(news2({ ...NORMAL, spo2Scale: 2, spo2: 95, onOxygen: true }), {
      subject: 'Patient/1',
      effectiveDateTime: '2026-03-01T08:00:00+07:00',
      spo2Scale: 2,
    });
    expect(obs.component[1]?.code.coding?.[0]).toEqual({
      system: 'https://fhir.mekong.health/CodeSystem/news2-parameter',
      code: 'spo2-scale2',
      display: 'NEWS2 oxygen saturation scale 2 score',
    });
    expect(obs.valueInteger).toBe(4);
  });

  it('states the SpO2 scale and why: Scale 1 by default; Scale 2 with the decision it follows', () => {
    const scaleOf = (o: ReturnType<typeof toObservation>): unknown =>
      o.extension.find((e) => e.url === 'https://fhir.mekong.health/StructureDefinition/news2-spo2-scale');
    const one = toObservation(news2(NORMAL), {
      subject: 'Patient/1',
      effectiveDateTime: '2026-03-01T08:00:00+07:00',
      spo2Scale: 1,
    });
    expect(validateStructure(one)).toEqual([]);
    expect(scaleOf(one)).toEqual({
      url: 'https://fhir.mekong.health/StructureDefinition/news2-spo2-scale',
      extension: [
        { url: 'scale', valueInteger: 1 },
        { url: 'rule', valueString: 'news2.spo2.scale1.default' },
        { url: 'reason', valueString: 'Scale 1 (no active Scale 2 decision)' },
      ],
    });
    const two = toObservation(news2({ ...NORMAL, spo2Scale: 2 }), {
      subject: 'Patient/1',
      effectiveDateTime: '2026-03-01T08:00:00+07:00',
      spo2Scale: 2,
      spo2ScaleBasis: { decision: 'Goal/g/_history/1', text: 'Scale 2: target 88–92 %' },
    });
    expect(validateStructure(two)).toEqual([]);
    expect(scaleOf(two)).toMatchObject({
      extension: [
        { url: 'scale', valueInteger: 2 },
        { url: 'rule', valueString: 'news2.spo2.scale2.recorded-goal' },
        { url: 'decision', valueReference: { reference: 'Goal/g/_history/1' } },
        { url: 'reason', valueString: 'Scale 2: target 88–92 %' },
      ],
    });
    expect(two.note[0]?.text).toContain('SpO2 scale: Scale 2: target 88–92 %.');
  });
});
