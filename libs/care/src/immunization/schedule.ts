import type { AgeDuration } from '../common/dates';
import type { Bilingual, Coding } from '../common/types';

/**
 * The Vietnam Expanded Programme on Immunization (EPI, "Tiêm chủng mở rộng") schedule as DATA.
 *
 * A changed schedule is a new `ImmunizationSchedule` object (new `version`, `effectiveFrom`,
 * `source`), never a code change. Every number below is taken from
 * /work/shared/reference/vietnam-health.md § "National EPI schedule" (Circular 10/2024/TT-BYT,
 * which replaced Circular 38/2017/TT-BYT). Where the reference gives no number (e.g. when a dose
 * becomes "overdue"), the value is marked as a LOCAL POLICY in its `source`, so a clinician can
 * review and change it.
 */

export const EPI_ANTIGEN_SYSTEM = 'https://fhir.mekong.health/CodeSystem/vn-epi-antigen';
export const CVX_SYSTEM = 'http://hl7.org/fhir/sid/cvx';

export interface DoseRule {
  doseNumber: number;
  /** Earliest age at which the dose counts as valid. */
  minAge: AgeDuration;
  /** Age at which the schedule recommends it (absent: the dose is timed from the previous dose). */
  recommendedAge?: AgeDuration;
  /** Minimum interval after the previous dose of the same series (catch-up never shortens it). */
  minIntervalFromPrevious?: AgeDuration;
  /** Recommended interval after the previous dose (used when the schedule states it that way). */
  recommendedIntervalFromPrevious?: AgeDuration;
  /** Overdue rule: the dose becomes overdue this long after its due date. */
  overdueAfterDue: AgeDuration;
  /** The dose is no longer given at or after this age ("too-old" / aged out). */
  maxAge?: AgeDuration;
  /** Product recommended for this dose (defaults to the series' vaccine codes). */
  vaccineCode?: Coding[];
  /** Codes accepted as THIS dose (defaults to the series' `acceptedCodes`). */
  acceptedCodes?: string[];
  name?: Bilingual;
  /** Where the timing of this dose comes from. */
  source: string;
  /** Where the overdue rule comes from. */
  overdueSource: string;
  /** Where the max age comes from (when `maxAge` is set). */
  maxAgeSource?: string;
}

export interface AntigenSeries {
  /** Stable local code, e.g. `DTP-HEPB-HIB`; the local system is EPI_ANTIGEN_SYSTEM. */
  code: string;
  /** Codings recommended for the series (local code first, then CVX). */
  vaccineCode: Coding[];
  /** Codes (local or CVX) that count as a dose of this series when found in the history. */
  acceptedCodes: string[];
  name: Bilingual;
  targetDisease: Bilingual;
  doses: DoseRule[];
}

export interface ImmunizationSchedule {
  version: string;
  effectiveFrom: string;
  source: string;
  /** What the reference did not settle; shown to reviewers, never used in calculations. */
  caveats: string[];
  antigens: AntigenSeries[];
}

const REF = 'reference: /work/shared/reference/vietnam-health.md § National EPI schedule';
const C10 = (row: string): string => `Circular 10/2024/TT-BYT, EPI schedule row "${row}" (${REF})`;
/** The reference gives no overdue rule for ages stated as a single month: a local, reviewable policy. */
const LOCAL_OVERDUE_1M =
  'LOCAL POLICY (not in reference): overdue 1 month after the due date; catch-up = give as soon as possible per ' +
  REF;
const EPI_UNDER_5 = `EPI scope is children under 5 (${REF}, Domain rules: age windows)`;
const JE_1_TO_5 = `JE for ages 1–5 (${REF}, Domain rules: age windows)`;
const CVX_NOTE = 'CVX mapping: general knowledge [verify]';

const cvx = (code: string, display: string): Coding => ({ system: CVX_SYSTEM, code, display });
const local = (code: string, display: string): Coding => ({ system: EPI_ANTIGEN_SYSTEM, code, display });

/** Doses 1–3 of the DTP-containing series are the 5-in-1 product (DPT-VGB-Hib); the booster is DPT. */
const FIVE_IN_ONE = ['DTP-HEPB-HIB', '102'];

const UNDER_5: Pick<DoseRule, 'maxAge' | 'maxAgeSource'> = {
  maxAge: { years: 5 },
  maxAgeSource: EPI_UNDER_5,
};

export const VN_EPI_2024: ImmunizationSchedule = {
  version: 'vn-epi-2024.1',
  effectiveFrom: '2024-08-01',
  source: `Circular 10/2024/TT-BYT (effective 2024-08-01), replacing Circular 38/2017/TT-BYT; IPV per Decision 2144/QĐ-BYT (2016) (${REF}). ${CVX_NOTE}`,
  caveats: [
    'Circular 10/2024 full row set (polio, measles, JE, rotavirus) was truncated in the reference: [partly UNVERIFIED].',
    'IPV dose 2 at 9 months is [UNVERIFIED] in the reference: not scheduled here.',
    'Rotavirus (planned in 33 provinces from Q2 2024) has no ages in the reference: not scheduled here.',
    'Circular 10/2024 footnote (*) on the HepB dose-2 interval: text not in the reference.',
    'JE ages/intervals come from a secondary source (Vinmec) [verify].',
    'No minimum interval between DTP dose 3 and the 18-month booster is in the reference: only the 18-month minimum age applies.',
    'Overdue rules (1 month after due, except HepB birth dose and BCG) are LOCAL POLICY, not from the reference.',
  ],
  antigens: [
    {
      code: 'HEPB-BIRTH',
      vaccineCode: [
        local('HEPB-BIRTH', 'Hepatitis B birth dose'),
        cvx('08', 'Hep B, adolescent or pediatric'),
      ],
      acceptedCodes: ['HEPB-BIRTH', '08'],
      name: { vi: 'Viêm gan B sơ sinh (đơn giá)', en: 'Hepatitis B birth dose (monovalent)' },
      targetDisease: { vi: 'Viêm gan B', en: 'Hepatitis B' },
      doses: [
        {
          doseNumber: 1,
          minAge: { days: 0 },
          recommendedAge: { days: 0 },
          overdueAfterDue: { days: 1 },
          ...UNDER_5,
          source: C10('Birth, within 24 h'),
          overdueSource: `${C10('Birth, within 24 h')}: overdue from the next calendar day`,
        },
      ],
    },
    {
      code: 'BCG',
      vaccineCode: [local('BCG', 'BCG'), cvx('19', 'BCG')],
      acceptedCodes: ['BCG', '19'],
      name: { vi: 'Lao (BCG)', en: 'Tuberculosis (BCG)' },
      targetDisease: { vi: 'Lao', en: 'Tuberculosis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { days: 0 },
          recommendedAge: { days: 0 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: C10('Within 1 month of birth'),
          overdueSource: `${C10('Within 1 month of birth')}: overdue after the first month`,
        },
      ],
    },
    {
      code: 'DTP-HEPB-HIB',
      vaccineCode: [local('DTP-HEPB-HIB', 'DPT-VGB-Hib (5-in-1)'), cvx('102', 'DTaP/DTP-Hib-Hep B')],
      acceptedCodes: ['DTP-HEPB-HIB', '102', 'DTP', '01'],
      name: {
        vi: 'Bạch hầu - Ho gà - Uốn ván - Viêm gan B - Hib (5 trong 1) và nhắc DPT',
        en: 'Diphtheria-pertussis-tetanus-hepatitis B-Hib (5-in-1) and DPT booster',
      },
      targetDisease: {
        vi: 'Bạch hầu, ho gà, uốn ván, viêm gan B, Hib',
        en: 'Diphtheria, pertussis, tetanus, hepatitis B, Hib',
      },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 2 },
          recommendedAge: { months: 2 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          acceptedCodes: FIVE_IN_ONE,
          source: C10('2 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 3 },
          recommendedAge: { months: 3 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          acceptedCodes: FIVE_IN_ONE,
          source: `${C10('3 months')}: at least 1 month after dose 1`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 3,
          minAge: { months: 4 },
          recommendedAge: { months: 4 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          acceptedCodes: FIVE_IN_ONE,
          source: `${C10('4 months')}: at least 1 month after dose 2`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 4,
          minAge: { months: 18 },
          recommendedAge: { months: 18 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          vaccineCode: [local('DTP', 'DPT booster'), cvx('01', 'DTP')],
          name: { vi: 'Nhắc DPT (mũi 4)', en: 'DPT booster (dose 4)' },
          source: C10('18 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'OPV',
      vaccineCode: [local('OPV', 'Oral polio vaccine'), cvx('182', 'OPV, unspecified formulation')],
      acceptedCodes: ['OPV', '02', '178', '182'],
      name: { vi: 'Bại liệt uống (OPV)', en: 'Oral polio vaccine (OPV)' },
      targetDisease: { vi: 'Bại liệt', en: 'Poliomyelitis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 2 },
          recommendedAge: { months: 2 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: C10('2 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 3 },
          recommendedAge: { months: 3 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: `${C10('3 months')}: at least 1 month after dose 1`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 3,
          minAge: { months: 4 },
          recommendedAge: { months: 4 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: `${C10('4 months')}: at least 1 month after dose 2`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'IPV',
      vaccineCode: [local('IPV', 'Inactivated polio vaccine'), cvx('10', 'IPV')],
      acceptedCodes: ['IPV', '10'],
      name: { vi: 'Bại liệt tiêm (IPV)', en: 'Inactivated polio vaccine (IPV)' },
      targetDisease: { vi: 'Bại liệt', en: 'Poliomyelitis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 5 },
          recommendedAge: { months: 5 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: `${C10('5 months')}; Decision 2144/QĐ-BYT (2016)`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'MEASLES',
      vaccineCode: [local('MEASLES', 'Measles'), cvx('05', 'measles')],
      acceptedCodes: ['MEASLES', '05'],
      name: { vi: 'Sởi (mũi 1)', en: 'Measles (dose 1)' },
      targetDisease: { vi: 'Sởi', en: 'Measles' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 9 },
          recommendedAge: { months: 9 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: C10('9 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'JE',
      vaccineCode: [
        local('JE', 'Japanese encephalitis'),
        cvx('129', 'Japanese Encephalitis vaccine, unspecified formulation'),
      ],
      acceptedCodes: ['JE', '129', '39', '134'],
      name: { vi: 'Viêm não Nhật Bản', en: 'Japanese encephalitis' },
      targetDisease: { vi: 'Viêm não Nhật Bản', en: 'Japanese encephalitis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 12 },
          recommendedAge: { months: 12 },
          overdueAfterDue: { months: 1 },
          maxAge: { years: 5 },
          maxAgeSource: JE_1_TO_5,
          source: `${C10('12 months')} [verify: JE from secondary source]`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 12 },
          minIntervalFromPrevious: { weeks: 1 },
          recommendedIntervalFromPrevious: { weeks: 1 },
          overdueAfterDue: { weeks: 1 },
          maxAge: { years: 5 },
          maxAgeSource: JE_1_TO_5,
          source: `${C10('12 months + 1–2 weeks')}: 1 week after dose 1 [verify: JE from secondary source]`,
          overdueSource: `${C10('12 months + 1–2 weeks')}: overdue after 2 weeks from dose 1`,
        },
        {
          doseNumber: 3,
          minAge: { months: 12 },
          minIntervalFromPrevious: { years: 1 },
          recommendedIntervalFromPrevious: { years: 1 },
          overdueAfterDue: { months: 1 },
          maxAge: { years: 5 },
          maxAgeSource: JE_1_TO_5,
          source: `${C10('~24 months')}: 1 year after dose 2 [verify: JE from secondary source]`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'MR',
      vaccineCode: [local('MR', 'Measles-Rubella'), cvx('04', 'M/R')],
      acceptedCodes: ['MR', '04'],
      name: { vi: 'Sởi - Rubella (MR)', en: 'Measles-Rubella (MR)' },
      targetDisease: { vi: 'Sởi, Rubella', en: 'Measles, rubella' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 18 },
          recommendedAge: { months: 18 },
          overdueAfterDue: { months: 1 },
          ...UNDER_5,
          source: C10('18 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'TD',
      vaccineCode: [local('TD', 'Td booster'), cvx('09', 'Td (adult), adsorbed')],
      acceptedCodes: ['TD', '09', '113', '139'],
      name: {
        vi: 'Nhắc Td (bạch hầu - uốn ván giảm liều)',
        en: 'Reduced-antigen diphtheria-containing booster (Td)',
      },
      targetDisease: { vi: 'Bạch hầu, uốn ván', en: 'Diphtheria, tetanus' },
      doses: [
        {
          doseNumber: 1,
          minAge: { years: 7 },
          recommendedAge: { years: 7 },
          overdueAfterDue: { months: 1 },
          source: `${C10('7 years')} (added in Circular 10/2024)`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
  ],
};

/** The schedule in force; replace with a new versioned table when the Ministry changes it. */
export const CURRENT_SCHEDULE: ImmunizationSchedule = VN_EPI_2024;
