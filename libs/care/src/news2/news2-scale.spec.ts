import { news2, type News2Input } from './news2';
import { chooseSpo2Scale, type Spo2GoalLike } from './news2-scale';

const RECORDED_BY = 'https://fhir.mekong.health/CodeSystem/recorded-by';

/** A practitioner's Scale 2 decision as the portal writes it (docs/care.md § SpO₂ Scale 2). */
const goal = (over: Partial<Spo2GoalLike> = {}, by = 'practitioner'): Spo2GoalLike => ({
  resourceType: 'Goal',
  id: 'g1',
  meta: { versionId: '1', lastUpdated: '2026-12-01T02:00:00Z', tag: [{ system: RECORDED_BY, code: by }] },
  lifecycleStatus: 'active',
  startDate: '2026-12-01',
  expressedBy: { reference: 'Practitioner/p1', display: 'BS. Trần Minh' },
  addresses: [{ display: 'Suy hô hấp tăng CO2 / hypercapnic respiratory failure' }],
  target: [
    {
      measure: { coding: [{ system: 'http://loinc.org', code: '59408-5' }] },
      detailRange: { low: { value: 88, code: '%' }, high: { value: 92, code: '%' } },
    },
  ],
  ...over,
});
const tagOf = (g: Spo2GoalLike): string | undefined =>
  g.meta?.tag?.find((t) => t.system === RECORDED_BY)?.code;
const AT = new Date('2026-12-06T03:00:00Z');

const NORMAL: Omit<News2Input, 'spo2Scale'> = {
  respirationRate: 16,
  systolicBp: 120,
  pulse: 70,
  consciousness: 'A',
  temperature: 37.0,
  ageYears: 70,
  pregnant: false,
};
const spo2Score = (goals: Spo2GoalLike[], spo2: number, onOxygen: boolean): number | undefined =>
  news2({ ...NORMAL, spo2, onOxygen, spo2Scale: chooseSpo2Scale(goals, AT, tagOf).scale }).components.find(
    (c) => c.parameter === 'spo2',
  )?.score;

describe('SpO2 scale from the recorded clinical decision (LOCAL POLICY, decision 017)', () => {
  it('no decision: Scale 1, stated so', () => {
    expect(chooseSpo2Scale([], AT, tagOf)).toEqual({
      scale: 1,
      text: 'Scale 1 (no active Scale 2 decision)',
      ignored: [],
    });
  });

  it('an active practitioner decision: Scale 2, naming the Goal version, who, since and why', () => {
    const c = chooseSpo2Scale([goal()], AT, tagOf);
    expect(c).toMatchObject({
      scale: 2,
      decision: {
        goal: 'Goal/g1/_history/1',
        by: { reference: 'Practitioner/p1', display: 'BS. Trần Minh' },
        since: '2026-12-01',
        reason: 'Suy hô hấp tăng CO2 / hypercapnic respiratory failure',
      },
    });
    expect(c.text).toContain('Scale 2 (Goal/g1/_history/1');
  });

  it('88 % on air with the decision scores 0 (no false alert); without it 3', () => {
    expect(spo2Score([goal()], 88, false)).toBe(0);
    expect(spo2Score([], 88, false)).toBe(3);
  });

  it('97 % on oxygen with the decision scores 3; without it 0', () => {
    expect(spo2Score([goal()], 97, true)).toBe(3);
    expect(spo2Score([], 97, true)).toBe(0);
  });

  it.each(['patient', 'clinic-staff', 'admin', 'system', undefined])(
    'a decision recorded by %s is ignored (Scale 1)',
    (by) => {
      const g = goal({ meta: { versionId: '2', tag: by ? [{ system: RECORDED_BY, code: by }] : [] } });
      const c = chooseSpo2Scale([g], AT, tagOf);
      expect(c.scale).toBe(1);
      expect(c.ignored).toEqual([
        { goal: 'Goal/g1/_history/2', why: `recorded by ${by ?? 'unknown'}, not by a practitioner` },
      ]);
      expect(spo2Score([g], 88, false)).toBe(3);
    },
  );

  it.each(['cancelled', 'completed', 'on-hold', 'entered-in-error', 'proposed'])(
    'a decision that is %s no longer applies',
    (status) => {
      const c = chooseSpo2Scale([goal({ lifecycleStatus: status, statusDate: '2026-12-05' })], AT, tagOf);
      expect(c.scale).toBe(1);
      expect(c.ignored[0]?.why).toMatch(new RegExp(`^not active \\(${status}`));
    },
  );

  it('needs who, since and why; a start after the set day does not apply yet (Vietnam days)', () => {
    expect(chooseSpo2Scale([goal({ expressedBy: { reference: 'Patient/x' } })], AT, tagOf).scale).toBe(1);
    expect(chooseSpo2Scale([goal({ startDate: undefined })], AT, tagOf).scale).toBe(1);
    expect(chooseSpo2Scale([goal({ addresses: [] })], AT, tagOf).scale).toBe(1);
    expect(chooseSpo2Scale([goal({ startDate: '2026-12-07' })], AT, tagOf).scale).toBe(1);
    // 2026-12-06T18:00Z is already the 7th in Vietnam.
    expect(
      chooseSpo2Scale([goal({ startDate: '2026-12-07' })], new Date('2026-12-06T18:00:00Z'), tagOf).scale,
    ).toBe(2);
  });

  it('only an SpO2 target of exactly 88–92 % counts', () => {
    const other = (low: number, high: number, code = '59408-5'): Spo2GoalLike =>
      goal({
        target: [
          {
            measure: { coding: [{ system: 'http://loinc.org', code }] },
            detailRange: { low: { value: low, code: '%' }, high: { value: high, code: '%' } },
          },
        ],
      });
    expect(chooseSpo2Scale([other(94, 98)], AT, tagOf)).toMatchObject({ scale: 1, ignored: [] });
    expect(chooseSpo2Scale([other(88, 92, '2708-6')], AT, tagOf).scale).toBe(2);
    expect(chooseSpo2Scale([other(88, 92, '8867-4')], AT, tagOf).scale).toBe(1);
  });
});
