import type { Bilingual } from '../common/types';

/**
 * Conditions for which remote diagnosis and treatment is allowed, as DATA.
 *
 * Circular 30/2023/TT-BYT lists 50 diseases/conditions. The reference file
 * (/work/shared/reference/vietnam-health.md § Regulations) names only four examples:
 * hypertension, diabetes, depression, dengue without warning signs. ONLY those four are listed
 * here; the other 46 must be added from the primary text of the Circular (data change only).
 * The ICD-10 mapping of each condition is general knowledge, NOT in the reference [verify].
 */

const REF = 'reference: /work/shared/reference/vietnam-health.md § Regulations';
export const CIRCULAR_30 = `Circular 30/2023/TT-BYT with Law 15/2023/QH15: remote care only for the 50 listed diseases/conditions (${REF})`;
export const DISPATCH_7946_FIRST_VISIT = `Dispatch 7946/BYT-KCB (Dec 2023): a "first visit" = never seen, or > 6 months since last visit, or a new problem (${REF})`;
const ICD_NOTE = 'ICD-10 mapping: general knowledge [verify]';

export interface TelehealthCondition {
  id: string;
  name: Bilingual;
  /** ICD-10 codes or categories (prefix match on the code without its dot). */
  icd10: string[];
  source: string;
}

export interface ReferralCondition extends TelehealthCondition {
  reason: Bilingual;
}

export const TELEHEALTH_CONDITIONS_VERSION = 'tt30-2023.reference-examples.1';

export const TELEHEALTH_CONDITIONS: TelehealthCondition[] = [
  {
    id: 'hypertension',
    name: { vi: 'Tăng huyết áp', en: 'Hypertension' },
    icd10: ['I10', 'I15'],
    source: `${CIRCULAR_30}; example "hypertension"; ${ICD_NOTE}`,
  },
  {
    id: 'diabetes',
    name: { vi: 'Đái tháo đường', en: 'Diabetes mellitus' },
    icd10: ['E10', 'E11', 'E12', 'E13', 'E14'],
    source: `${CIRCULAR_30}; example "diabetes"; ${ICD_NOTE}`,
  },
  {
    id: 'depression',
    name: { vi: 'Trầm cảm', en: 'Depression' },
    icd10: ['F32', 'F33'],
    source: `${CIRCULAR_30}; example "depression"; ${ICD_NOTE}`,
  },
  {
    id: 'dengue-without-warning-signs',
    name: { vi: 'Sốt xuất huyết Dengue không có dấu hiệu cảnh báo', en: 'Dengue without warning signs' },
    icd10: ['A90', 'A970'],
    source: `${CIRCULAR_30}; example "dengue without warning signs"; ${ICD_NOTE} (A90 dengue fever; A97.0 dengue without warning signs, ICD-10 2019)`,
  },
];

/**
 * Conditions that must be referred (not seen remotely, not a routine in-person booking).
 * Dengue WITH warning signs / severe dengue is the counterpart of the listed "dengue without
 * warning signs"; referral per Dispatch 7946 ("referral when needed").
 */
export const REFERRAL_CONDITIONS: ReferralCondition[] = [
  {
    id: 'dengue-with-warning-signs-or-severe',
    name: {
      vi: 'Sốt xuất huyết Dengue có dấu hiệu cảnh báo / nặng',
      en: 'Dengue with warning signs or severe dengue',
    },
    icd10: ['A91', 'A971', 'A972'],
    reason: {
      vi: 'Sốt xuất huyết có dấu hiệu cảnh báo hoặc nặng: chuyển tuyến khám trực tiếp',
      en: 'Dengue with warning signs or severe dengue: refer for in-person care',
    },
    source: `${CIRCULAR_30} (only dengue WITHOUT warning signs is listed); Dispatch 7946/BYT-KCB: referral when needed (${REF}); ${ICD_NOTE}`,
  },
];
