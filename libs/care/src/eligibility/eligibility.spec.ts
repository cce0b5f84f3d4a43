import { TELEHEALTH_CONDITIONS } from './conditions';
import { checkEligibility, normalizeIcd10 } from './eligibility';

const AS_OF = '2026-06-30';

describe('telehealth condition list (Circular 30/2023/TT-BYT, as far as the reference gives it)', () => {
  it('holds exactly the four examples named in the reference, each with a source', () => {
    expect(TELEHEALTH_CONDITIONS.map((c) => c.id)).toEqual([
      'hypertension',
      'diabetes',
      'depression',
      'dengue-without-warning-signs',
    ]);
    for (const c of TELEHEALTH_CONDITIONS) expect(c.source).toContain('Circular 30/2023/TT-BYT');
  });
});

describe('checkEligibility()', () => {
  it('known diabetes, seen in person 4 months ago → telehealth', () => {
    const r = checkEligibility({
      reasonCodes: ['E11.9'],
      knownProblems: ['E11'],
      lastInPersonVisit: '2026-03-01',
      asOf: AS_OF,
    });
    expect(r.eligible).toBe(true);
    expect(r.route).toBe('telehealth');
    expect(r.reasons.map((x) => x.rule)).toEqual([
      'eligibility.condition.listed.diabetes',
      'eligibility.follow-up.within-6-months',
    ]);
  });

  it.each([
    ['I10', 'hypertension'],
    ['F32.1', 'depression'],
    ['F33', 'depression'],
    ['A97.0', 'dengue-without-warning-signs'],
  ])('%s as a known problem followed up → telehealth (%s)', (code, id) => {
    const r = checkEligibility({
      reasonCodes: [code],
      knownProblems: [code],
      lastInPersonVisit: '2026-06-01',
      asOf: AS_OF,
    });
    expect(r.route).toBe('telehealth');
    expect(r.reasons[0]?.rule).toBe(`eligibility.condition.listed.${id}`);
  });

  it('never seen in person → in-person (first visit)', () => {
    const r = checkEligibility({ reasonCodes: ['I10'], knownProblems: ['I10'], asOf: AS_OF });
    expect(r).toMatchObject({ eligible: false, route: 'in-person' });
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.first-visit.never-seen']);
    expect(r.reasons[0]?.source).toContain('Dispatch 7946/BYT-KCB');
  });

  it('last in-person visit exactly 6 months ago → still telehealth; one day more → in-person', () => {
    const base = { reasonCodes: ['I10'], knownProblems: ['I10'], asOf: AS_OF };
    expect(checkEligibility({ ...base, lastInPersonVisit: '2025-12-30' }).route).toBe('telehealth');
    const r = checkEligibility({ ...base, lastInPersonVisit: '2025-12-29' });
    expect(r.route).toBe('in-person');
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.first-visit.over-6-months']);
  });

  it('a new problem → in-person even for a listed condition', () => {
    const r = checkEligibility({
      reasonCodes: ['I10'],
      knownProblems: ['E11'],
      lastInPersonVisit: '2026-06-01',
      asOf: AS_OF,
    });
    expect(r.route).toBe('in-person');
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.first-visit.new-problem']);
  });

  it('a known problem matches by 3-character ICD-10 category (E11.65 follows E11.9)', () => {
    expect(
      checkEligibility({
        reasonCodes: ['E11.65'],
        knownProblems: ['E11.9'],
        lastInPersonVisit: '2026-06-01',
        asOf: AS_OF,
      }).route,
    ).toBe('telehealth');
  });

  it('a condition not on the list → in-person', () => {
    const r = checkEligibility({
      reasonCodes: ['J45'],
      knownProblems: ['J45'],
      lastInPersonVisit: '2026-06-01',
      asOf: AS_OF,
    });
    expect(r.route).toBe('in-person');
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.condition.not-listed']);
  });

  it('any reason not on the list makes the visit in-person', () => {
    const r = checkEligibility({
      reasonCodes: ['I10', 'J45'],
      knownProblems: ['I10', 'J45'],
      lastInPersonVisit: '2026-06-01',
      asOf: AS_OF,
    });
    expect(r.route).toBe('in-person');
  });

  it.each(['A97.1', 'A97.2', 'A91'])('dengue with warning signs / severe (%s) → referral', (code) => {
    const r = checkEligibility({
      reasonCodes: [code],
      knownProblems: [code],
      lastInPersonVisit: '2026-06-01',
      asOf: AS_OF,
    });
    expect(r).toMatchObject({ eligible: false, route: 'referral' });
    expect(r.reasons[0]?.rule).toBe('eligibility.referral.dengue-with-warning-signs-or-severe');
  });

  it('no reason code → in-person', () => {
    const r = checkEligibility({
      reasonCodes: [],
      knownProblems: ['I10'],
      lastInPersonVisit: '2026-06-01',
      asOf: AS_OF,
    });
    expect(r.route).toBe('in-person');
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.reason.missing']);
  });

  it('collects every failed rule', () => {
    const r = checkEligibility({ reasonCodes: ['J45'], knownProblems: [], asOf: AS_OF });
    expect(r.reasons.map((x) => x.rule)).toEqual([
      'eligibility.condition.not-listed',
      'eligibility.first-visit.new-problem',
      'eligibility.first-visit.never-seen',
    ]);
  });

  it('compares calendar days in Asia/Ho_Chi_Minh', () => {
    // 2025-12-29T18:00Z is 30 Dec 01:00 in Vietnam: exactly 6 months before 30 Jun.
    const r = checkEligibility({
      reasonCodes: ['I10'],
      knownProblems: ['I10'],
      lastInPersonVisit: '2025-12-29T18:00:00Z',
      asOf: '2026-06-30T10:00:00+07:00',
    });
    expect(r.route).toBe('telehealth');
  });

  it('rejects malformed codes and a visit after asOf', () => {
    expect(() => normalizeIcd10('hypertension')).toThrow(RangeError);
    expect(normalizeIcd10(' e11.9 ')).toBe('E119');
    expect(() =>
      checkEligibility({
        reasonCodes: ['I10'],
        knownProblems: ['I10'],
        lastInPersonVisit: '2026-07-01',
        asOf: AS_OF,
      }),
    ).toThrow(RangeError);
  });
});
