import { CIRCULAR_30_COVERAGE, FIRST_VISIT_POLICY, TELEHEALTH_CONDITIONS } from './conditions';
import { checkEligibility, normalizeIcd10 } from './eligibility';

const AS_OF = '2026-06-30';

/**
 * Circular 30/2023/TT-BYT appendix rows 1–7, copied from the primary text as read
 * (docs/research/issue-17-sources.md § 3.2) — STT | Chuyên khoa | Bệnh, tình trạng bệnh | Mã ICD-10.
 */
const APPENDIX: [number, string, string, string][] = [
  [1, 'Dinh dưỡng', 'Béo phì', 'E66'],
  [2, 'Tai Mũi Họng', 'Viêm mũi họng cấp tính', 'J00'],
  [3, 'Tai Mũi Họng', 'Viêm mũi họng mạn tính', 'J31.1'],
  [4, 'Răng Hàm Mặt', 'Viêm lợi/miệng áp tơ', 'K12.0'],
  [5, 'Răng Hàm Mặt', 'Viêm lưỡi bản đồ', 'K14.1'],
  [6, 'Răng Hàm Mặt', 'Viêm lợi do mọc răng', 'K06.9'],
  [7, 'Cơ Xương Khớp', 'Đau vai gáy', 'M25.5'],
];

describe('telehealth condition list (Circular 30/2023/TT-BYT appendix, rows read from the primary text)', () => {
  it('holds exactly appendix rows 1–7 as printed, each citing the Circular and its row', () => {
    expect(TELEHEALTH_CONDITIONS.map((c) => [c.row, c.specialty, c.condition, c.icd10])).toEqual(APPENDIX);
    for (const c of TELEHEALTH_CONDITIONS) {
      expect(c.source).toContain(`Circular 30/2023/TT-BYT, appendix`);
      expect(c.source).toContain(`row ${c.row} (PRIMARY`);
      expect(c.label.vi.length).toBeGreaterThan(0);
      expect(c.label.en.length).toBeGreaterThan(0);
    }
    expect(CIRCULAR_30_COVERAGE.loadedRows).toEqual(APPENDIX.map((r) => r[0]));
    expect(CIRCULAR_30_COVERAGE.appendixRows).toBe(50);
    expect(CIRCULAR_30_COVERAGE.notLoaded).toContain('Rows 8–50 are not loaded');
  });

  it('no longer lists the four reference examples that are not appendix rows read', () => {
    for (const code of ['I10', 'E11.9', 'F32.1', 'A97.0']) {
      const r = checkEligibility({
        reasonCodes: [code],
        knownProblems: [code],
        lastInPersonVisit: '2026-06-01',
        asOf: AS_OF,
      });
      expect(r.route).toBe('in-person');
      expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.condition.not-listed']);
    }
  });

  it('the first-visit rule is LOCAL POLICY data (Dispatch 7946 not retrieved)', () => {
    expect(FIRST_VISIT_POLICY.status).toBe('LOCAL POLICY');
    expect(FIRST_VISIT_POLICY.source).toContain('Dispatch 7946/BYT-KCB not retrieved');
    expect(TELEHEALTH_CONDITIONS.filter((c) => c.episode === 'acute').map((c) => c.icd10)).toEqual([
      'J00',
      'K06.9',
    ]);
  });
});

describe('checkEligibility()', () => {
  it('an established obese patient (E66, row 1), seen in person 4 months ago → telehealth', () => {
    const r = checkEligibility({
      reasonCodes: ['E66.9'],
      knownProblems: ['E66'],
      lastInPersonVisit: '2026-03-01',
      asOf: AS_OF,
    });
    expect(r.eligible).toBe(true);
    expect(r.route).toBe('telehealth');
    expect(r.reasons.map((x) => x.rule)).toEqual([
      'eligibility.condition.listed.row-1',
      'eligibility.follow-up.within-6-months',
    ]);
  });

  it.each(APPENDIX)(
    'row %i (%s, %s, %s) as a known problem followed up → telehealth; code and its subcodes match',
    (row, _specialty, _condition, code) => {
      for (const c of [code, `${code}9`.replace(/^([A-Z]\d\d)9$/, '$1.9')]) {
        const r = checkEligibility({
          reasonCodes: [c],
          knownProblems: [code],
          lastInPersonVisit: '2026-06-01',
          asOf: AS_OF,
        });
        expect(r.route).toBe('telehealth');
        expect(r.reasons[0]?.rule).toBe(`eligibility.condition.listed.row-${row}`);
      }
    },
  );

  it('a sibling code outside the printed code is not listed (J31.0 is not J31.1; M25.4 is not M25.5)', () => {
    for (const code of ['J31.0', 'M25.4', 'K06.8', 'J01']) {
      const r = checkEligibility({
        reasonCodes: [code],
        knownProblems: [code],
        lastInPersonVisit: '2026-06-01',
        asOf: AS_OF,
      });
      expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.condition.not-listed']);
    }
  });

  it.each(['J00', 'K06.9'])(
    'acute listed row %s: established patient, not a known problem → telehealth (LOCAL POLICY)',
    (code) => {
      const r = checkEligibility({
        reasonCodes: [code],
        knownProblems: ['E66'],
        lastInPersonVisit: '2026-06-01',
        asOf: AS_OF,
      });
      expect(r.route).toBe('telehealth');
      expect(r.reasons.map((x) => x.rule)).toContain('eligibility.first-visit.acute-listed-row');
      expect(r.reasons.find((x) => x.rule === 'eligibility.first-visit.acute-listed-row')?.source).toContain(
        'LOCAL POLICY',
      );
    },
  );

  it.each(['J00', 'K06.9'])('acute listed row %s: never seen, or seen > 6 months ago → in-person', (code) => {
    const never = checkEligibility({ reasonCodes: [code], knownProblems: [], asOf: AS_OF });
    expect(never.route).toBe('in-person');
    expect(never.reasons.map((x) => x.rule)).toEqual([
      'eligibility.first-visit.new-problem',
      'eligibility.first-visit.never-seen',
    ]);
    const lapsed = checkEligibility({
      reasonCodes: [code],
      knownProblems: [],
      lastInPersonVisit: '2025-12-29',
      asOf: AS_OF,
    });
    expect(lapsed.route).toBe('in-person');
    expect(lapsed.reasons.map((x) => x.rule)).toEqual([
      'eligibility.first-visit.new-problem',
      'eligibility.first-visit.over-6-months',
    ]);
  });

  it.each(['E66', 'J31.1', 'K12.0', 'K14.1', 'M25.5'])(
    'non-acute listed row %s as a new problem → in-person even for an established patient',
    (code) => {
      const r = checkEligibility({
        reasonCodes: [code],
        knownProblems: ['J45'],
        lastInPersonVisit: '2026-06-01',
        asOf: AS_OF,
      });
      expect(r.route).toBe('in-person');
      expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.first-visit.new-problem']);
    },
  );

  it('never seen in person → in-person (first visit)', () => {
    const r = checkEligibility({ reasonCodes: ['E66'], knownProblems: ['E66'], asOf: AS_OF });
    expect(r).toMatchObject({ eligible: false, route: 'in-person' });
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.first-visit.never-seen']);
    expect(r.reasons[0]?.source).toContain('LOCAL POLICY (Dispatch 7946/BYT-KCB not retrieved');
  });

  it('last in-person visit exactly 6 months ago → still telehealth; one day more → in-person', () => {
    const base = { reasonCodes: ['E66'], knownProblems: ['E66'], asOf: AS_OF };
    expect(checkEligibility({ ...base, lastInPersonVisit: '2025-12-30' }).route).toBe('telehealth');
    const r = checkEligibility({ ...base, lastInPersonVisit: '2025-12-29' });
    expect(r.route).toBe('in-person');
    expect(r.reasons.map((x) => x.rule)).toEqual(['eligibility.first-visit.over-6-months']);
  });

  it('a known problem matches by 3-character ICD-10 category (E66.01 follows E66.9)', () => {
    expect(
      checkEligibility({
        reasonCodes: ['E66.01'],
        knownProblems: ['E66.9'],
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
      reasonCodes: ['E66', 'J45'],
      knownProblems: ['E66', 'J45'],
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
      knownProblems: ['E66'],
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
      reasonCodes: ['E66'],
      knownProblems: ['E66'],
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
        reasonCodes: ['E66'],
        knownProblems: ['E66'],
        lastInPersonVisit: '2026-07-01',
        asOf: AS_OF,
      }),
    ).toThrow(RangeError);
  });
});
