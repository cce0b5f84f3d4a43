import { isoDay, plus, vnDay } from '../common/dates';
import type { Reason } from '../common/types';
import {
  appendixRowOf,
  CIRCULAR_30,
  DISPATCH_7946_FIRST_VISIT,
  FIRST_VISIT_POLICY,
  REFERRAL_CONDITIONS,
  type ReferralCondition,
} from './conditions';

export interface EligibilityInput {
  /** ICD-10 codes of the reasons for this consultation, e.g. `E11.9` or `E119`. */
  reasonCodes: string[];
  /** Date of the last in-person visit (ISO date or date-time), absent if never seen in person. */
  lastInPersonVisit?: string;
  /** ICD-10 codes of the patient's known (already diagnosed) problems. */
  knownProblems: string[];
  /** ISO date or date-time; compared as Asia/Ho_Chi_Minh calendar days. */
  asOf: string;
}

export type EligibilityRoute = 'telehealth' | 'in-person' | 'referral';

export interface EligibilityResult {
  eligible: boolean;
  route: EligibilityRoute;
  reasons: Reason[];
}

/** LOCAL POLICY (FIRST_VISIT_POLICY): more than this since the last in-person visit makes it a first visit. */
export const FIRST_VISIT_LOOKBACK = FIRST_VISIT_POLICY.lookback;

/** `E11.9` → `E119`; throws on something that is not an ICD-10 code. */
export function normalizeIcd10(code: string): string {
  const c = code.trim().toUpperCase().replace('.', '');
  if (!/^[A-Z]\d{2}[0-9A-Z]{0,4}$/.test(c))
    throw new RangeError(`Not an ICD-10 code: ${JSON.stringify(code)}`);
  return c;
}

const matches = (code: string, c: ReferralCondition): boolean =>
  c.icd10.some((prefix) => code.startsWith(prefix));

/** A reason is a known problem when it shares the 3-character ICD-10 category with one. */
const category = (code: string): string => code.slice(0, 3);

export function checkEligibility(input: EligibilityInput): EligibilityResult {
  const today = vnDay(input.asOf, 'asOf');
  const reasonCodes = input.reasonCodes.map(normalizeIcd10);
  const known = new Set(input.knownProblems.map(normalizeIcd10).map(category));
  const lastSeen =
    input.lastInPersonVisit === undefined ? undefined : vnDay(input.lastInPersonVisit, 'lastInPersonVisit');
  /** Seen in person within the lookback (LOCAL POLICY): an acute listed row is then not a new problem. */
  const established =
    lastSeen !== undefined && lastSeen <= today && today <= plus(lastSeen, FIRST_VISIT_LOOKBACK);
  const referral: Reason[] = [];
  const inPerson: Reason[] = [];
  const telehealth: Reason[] = [];

  if (reasonCodes.length === 0) {
    inPerson.push({
      rule: 'eligibility.reason.missing',
      source: CIRCULAR_30,
      text: {
        vi: 'Chưa có lý do khám (mã ICD-10): không xác định được bệnh có trong danh mục khám từ xa',
        en: 'No reason for the visit (ICD-10): cannot check it against the remote-care list',
      },
    });
  }

  for (const code of reasonCodes) {
    const refer = REFERRAL_CONDITIONS.find((c) => matches(code, c));
    if (refer !== undefined) {
      referral.push({ rule: `eligibility.referral.${refer.id}`, source: refer.source, text: refer.reason });
      continue;
    }
    const listed = appendixRowOf(code);
    if (listed === undefined) {
      inPerson.push({
        rule: 'eligibility.condition.not-listed',
        source: CIRCULAR_30,
        text: {
          vi: `${code} không thuộc danh mục bệnh được khám chữa bệnh từ xa`,
          en: `${code} is not on the list of conditions allowed for remote care`,
        },
      });
    } else {
      telehealth.push({
        rule: `eligibility.condition.listed.row-${listed.row}`,
        source: listed.source,
        text: {
          vi: `${code} (${listed.condition}, dòng ${listed.row}) thuộc danh mục khám chữa bệnh từ xa`,
          en: `${code} (${listed.label.en}, row ${listed.row}) is on the remote-care list`,
        },
      });
    }
    if (listed?.episode === 'acute' && established) {
      telehealth.push({
        rule: 'eligibility.first-visit.acute-listed-row',
        source: `${DISPATCH_7946_FIRST_VISIT}; ${listed.episodeSource}`,
        text: {
          vi: `${code} là bệnh cấp tính trong danh mục: người bệnh đã khám trực tiếp trong 6 tháng, không coi là vấn đề mới`,
          en: `${code} is an acute listed condition: the patient was seen in person within 6 months, so it is not a new problem`,
        },
      });
    } else if (!known.has(category(code))) {
      inPerson.push({
        rule: 'eligibility.first-visit.new-problem',
        source: DISPATCH_7946_FIRST_VISIT,
        text: {
          vi: `${code} là vấn đề sức khỏe mới: lần khám đầu phải trực tiếp`,
          en: `${code} is a new problem: the first visit must be in person`,
        },
      });
    }
  }

  if (input.lastInPersonVisit === undefined) {
    inPerson.push({
      rule: 'eligibility.first-visit.never-seen',
      source: DISPATCH_7946_FIRST_VISIT,
      text: {
        vi: 'Chưa từng khám trực tiếp: lần khám đầu phải trực tiếp',
        en: 'Never seen in person: the first visit must be in person',
      },
    });
  } else {
    const last = vnDay(input.lastInPersonVisit, 'lastInPersonVisit');
    if (last > today)
      throw new RangeError(`lastInPersonVisit ${input.lastInPersonVisit} is after asOf ${input.asOf}`);
    const limit = plus(last, FIRST_VISIT_LOOKBACK);
    if (today > limit) {
      inPerson.push({
        rule: 'eligibility.first-visit.over-6-months',
        source: DISPATCH_7946_FIRST_VISIT,
        text: {
          vi: `Lần khám trực tiếp gần nhất (${isoDay(last)}) đã quá 6 tháng: cần khám trực tiếp`,
          en: `Last in-person visit (${isoDay(last)}) was more than 6 months ago: an in-person visit is needed`,
        },
      });
    } else {
      telehealth.push({
        rule: 'eligibility.follow-up.within-6-months',
        source: DISPATCH_7946_FIRST_VISIT,
        text: {
          vi: `Đã khám trực tiếp trong 6 tháng (${isoDay(last)})`,
          en: `Seen in person within 6 months (${isoDay(last)})`,
        },
      });
    }
  }

  if (referral.length > 0) return { eligible: false, route: 'referral', reasons: [...referral, ...inPerson] };
  if (inPerson.length > 0) return { eligible: false, route: 'in-person', reasons: inPerson };
  return { eligible: true, route: 'telehealth', reasons: telehealth };
}
