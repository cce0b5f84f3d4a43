import type { AgeDuration } from '../common/dates';
import type { Bilingual, Coding } from '../common/types';
import type { Antigen } from './cvx-antigens';

/**
 * The Vietnam Expanded Programme on Immunization (EPI, "Tiêm chủng mở rộng") schedule as DATA.
 *
 * A changed schedule is a new `ImmunizationSchedule` object (new `version`, `effectiveFrom`,
 * `source`), never a code change. Rows of Circular 10/2024/TT-BYT are cited as read in
 * docs/research/issue-17-sources.md § 2 (PRIMARY: rows 1–3, official translation; SECONDARY: the
 * thuvienphapluat summary of the other rows); values from the earlier reference file
 * (/work/shared/reference/vietnam-health.md, not a primary source) say so. What the sources leave
 * open is marked LOCAL POLICY in its `source`, so a clinician can review and change it.
 *
 * A dose counts for a series when its vaccine code carries the series' antigens
 * (cvx-antigens.ts, CDC CDSi 4.64); `acceptedCodes` narrows a dose to the products its row names.
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
  /** The dose is no longer given at or after this age; a dose given at or after it does not count. */
  maxAge?: AgeDuration;
  /**
   * What the series is at and after `maxAge`: `too-old` (refer to a clinician) unless set; the HepB
   * birth dose is `not-applicable` (WHO SMART: follow the delayed-start schedule, never overdue).
   */
  pastMaxAge?: { status: 'not-applicable' | 'too-old'; text: Bilingual };
  /** Antigens a dose must carry to count as THIS dose (defaults to the series' `antigens`). */
  antigens?: Antigen[];
  /** Product recommended for this dose (defaults to the series' vaccine codes). */
  vaccineCode?: Coding[];
  /** Only these codes (local or CVX) count as THIS dose (absent: any code carrying its antigens). */
  acceptedCodes?: string[];
  name?: Bilingual;
  /** Where the timing of this dose comes from. */
  source: string;
  /** Where the overdue rule comes from. */
  overdueSource: string;
  /** Where the max age comes from (when `maxAge` is set). */
  maxAgeSource?: string;
}

/**
 * Who a series is for: `children` (by age, the default: forecast for patients under the product's
 * paediatric limit) or `pregnant-women` (only while the record shows a current pregnancy,
 * pregnancy.ts; lifelong, no age limit).
 */
export type Population = 'children' | 'pregnant-women';

export interface AntigenSeries {
  /** Stable local code, e.g. `DTP-HEPB-HIB`; the local system is EPI_ANTIGEN_SYSTEM. */
  code: string;
  /** Absent: `children`. */
  population?: Population;
  /**
   * Only doses given at or after this age count for the series (earlier ones belong to the
   * children's series and are listed as not counted here); for `pregnant-women`, doses given
   * during the current pregnancy count too, whatever the age.
   */
  countsFromAge?: AgeDuration;
  /** Where `countsFromAge` comes from. */
  countsFromAgeSource?: string;
  /** Codings recommended for the series (local code first, then CVX). */
  vaccineCode: Coding[];
  /** Antigens a dose must carry to count (a dose may narrow them, e.g. the DPT booster). */
  antigens: Antigen[];
  /** Only these codes count for the series (absent: any code carrying the antigens). */
  acceptedCodes?: string[];
  name: Bilingual;
  targetDisease: Bilingual;
  doses: DoseRule[];
}

export interface ImmunizationSchedule {
  version: string;
  effectiveFrom: string;
  source: string;
  /** What the sources did not settle; shown to reviewers, never used in calculations. */
  caveats: string[];
  antigens: AntigenSeries[];
}

const RESEARCH = 'docs/research/issue-17-sources.md';
const REF =
  'reference: /work/shared/reference/vietnam-health.md § National EPI schedule (not a primary source)';
/** A row of Circular 10/2024 read in the official translation (research § 2.2). */
const C10P = (row: string): string =>
  `Circular 10/2024/TT-BYT Art. 1(1), row ${row} (PRIMARY, official translation; ${RESEARCH} § 2.2)`;
/** A row known only from the thuvienphapluat summary (research § 2.3). */
const C10S = (row: string): string =>
  `Circular 10/2024/TT-BYT, row ${row} (SECONDARY: thuvienphapluat summary 15/06/2024; ${RESEARCH} § 2.3)`;
/** A row not read in any source: the value comes from the reference file. */
const C10R = (row: string): string =>
  `Circular 10/2024/TT-BYT, row ${row} — row NOT READ in a primary or secondary text (${RESEARCH} § 2.3); value from the ${REF}`;
/** The sources give no overdue rule: a local, reviewable policy. */
const LOCAL_OVERDUE_1M =
  'LOCAL POLICY (no source gives one): overdue 1 month after the due date; catch-up = give as soon as possible';
/**
 * DTP-containing doses end at the 7th birthday: the tetanus row covers children "từ 02 tháng tuổi đến
 * khi trẻ đủ 07 tuổi" (3 primary + 2 boosters), and the diphtheria row gives the reduced-dose booster
 * at 7 years. There is no "EPI is under 5" rule (issue 17 item 3).
 */
const UNTIL_7: Pick<DoseRule, 'maxAge' | 'maxAgeSource'> = {
  maxAge: { years: 7 },
  maxAgeSource: `${C10S('Uốn ván (tetanus, children): "cho trẻ từ 02 tháng tuổi đến khi trẻ đủ 07 tuổi. Bao gồm 3 lần tiêm chính và 2 lần tiêm nhắc"')}; ${C10P('3 (Diphtheria): booster with reduced diphtheria-containing vaccine at 07 years')}`,
};
/** Rows that give no upper age: a missed dose is recommended until 5, then referred (LOCAL POLICY). */
const LOCAL_UNTIL_5 = (row: string): Pick<DoseRule, 'maxAge' | 'maxAgeSource'> => ({
  maxAge: { years: 5 },
  maxAgeSource: `LOCAL POLICY: ${row} gives no upper age; a missed dose is recommended until the 5th birthday, then status too-old (refer to a clinician). Not a rule of the Circular.`,
});

/**
 * Rotavirus: "both before 6 months; no catch-up past it" (reference row; the Circular row was not
 * read, and the WHO DAK window runs to 24 months): a dose is not given, nor counted, from 6 months.
 */
const ROTA_UNTIL_6M: Pick<DoseRule, 'maxAge' | 'maxAgeSource' | 'pastMaxAge'> = {
  maxAge: { months: 6 },
  maxAgeSource: `${C10R('rotavirus: both doses before 6 months, no catch-up past it')} — not WHO (DAK: 6 weeks to 24 months, ${RESEARCH} § 2.6)`,
  pastMaxAge: {
    status: 'too-old',
    text: {
      vi: 'Từ 6 tháng tuổi không tiêm (uống) bù vắc xin Rota',
      en: 'No rotavirus catch-up from 6 months of age',
    },
  },
};

/**
 * WHO SMART Immunizations `HepBBirthDoseAgeLimitDays` (country-set; WHO ships no value). LOCAL
 * POLICY: 7 days. Circular 10/2024 row 1 says "within 24 hours of birth" and sets no limit for a
 * late dose; WHO allows a late birth dose up to the next primary dose. A short limit keeps the late
 * dose in the neonatal week; from day 7 the birth dose is not applicable (never overdue) and the
 * HepB series continues with the 3 combination doses from 2 months (WHO: delayed start).
 */
export const HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS = 7;
export const HEPB_BIRTH_DOSE_AGE_LIMIT_SOURCE = `LOCAL POLICY: HepBBirthDoseAgeLimitDays = ${HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS} (chosen here; to be confirmed by a clinician). Basis: WHO SMART Immunizations IG v0.2.0, PlanDefinition IMMZD2DTHepatitisBBirthDose — not administered and age in days >= HepBBirthDoseAgeLimitDays → "Client should follow delayed-start decision logic", not overdue (${RESEARCH} § 2.6)`;

/**
 * Tetanus for pregnant women (issue 17 item 7). Circular 10/2024 lists the vaccine ("Vắc xin uốn ván
 * cho phụ nữ có thai"; so does 52/2025, SECONDARY) but its row was NOT READ in a primary text: the
 * doses are SECONDARY only — Từ Dũ Hospital quoting the Ministry of Health's schedule — and agree
 * with WHO's antenatal-care recommendation C.5 (research § 2.7).
 */
const TUDU =
  'Từ Dũ Hospital, answer by BS. CK2. Trần Thị Nhật Thiên Trang quoting "lịch tiêm chủng uốn ván của Bộ y tế áp dụng cho cả nước" (https://mekhoebekhoe.com/hoi-dap-chuong-trinh-tiem-chung-uon-van; its source: tudu.com.vn "Chương trình tiêm chủng uốn ván")';
const WHO_ANC =
  'WHO recommendations on antenatal care for a positive pregnancy experience (2016), recommendation C.5, remarks (the 2006 WHO maternal-tetanus guideline, kept by the WHO tetanus position paper of February 2017)';
const TT_PREG = (dose: string, who: string): string =>
  `Circular 10/2024/TT-BYT, row "Vắc xin uốn ván cho phụ nữ có thai" — row NOT READ in a primary text (${RESEARCH} § 2.3, § 2.7); SECONDARY only: ${TUDU}: "${dose}"; agrees with ${WHO_ANC}: "${who}"`;
const LATER_PREGNANCY =
  'LOCAL POLICY: "hoặc trong thời kỳ có thai lần sau" read as — the minimum interval from the previous dose always applies; once it has passed, the dose is due in the current pregnancy (this one or a later one)';
const WHO_TWO_DOSES =
  'If a pregnant woman has not previously been vaccinated, or if her immunization status is unknown, she should receive two doses of a tetanus toxoid-containing vaccine (TT-CV) one month apart with the second dose given at least two weeks before delivery';
const WHO_FURTHER =
  'Two further doses for women who are first vaccinated against tetanus during pregnancy should be given after the third dose, in the two subsequent years or during two subsequent pregnancies';
/**
 * LOCAL POLICY: which recorded doses count toward the 5. The Vietnamese card counts the TT/Td
 * doses of child-bearing age; the children's tetanus doses (2 months–7 years, 3 primary + 2
 * boosters) are a separate series. WHO would count childhood doses (fewer doses needed) — not
 * done here until a clinician decides (the conservative reading; a dose too many is the known
 * cost).
 */
export const TT_PREG_COUNTS_FROM_AGE: AgeDuration = { years: 15 };
export const TT_PREG_COUNTS_FROM_SOURCE = `LOCAL POLICY (to be confirmed by a clinician): tetanus-containing doses (any product carrying the tetanus antigen: TT, Td, Tdap, DTP-containing) count toward the 5 when given from the 15th birthday, or during the current pregnancy at any age. Why: the Vietnamese schedule card counts the TT/Td doses of child-bearing age ("phụ nữ tuổi sinh đẻ"; WHO's women of child-bearing age are 15–49; Vietnam's EPI targets "nữ 15-35 tuổi ở vùng có nguy cơ" — SECONDARY, choicungbe.com, ${RESEARCH} § 2.7); the children's tetanus doses (2 months to 7 years, 3 primary + 2 boosters, ${C10S('Uốn ván (tetanus, children)')}) are a separate series and are not counted. WHO counts childhood doses toward lifelong protection; this version does not.`;

const cvx = (code: string, display: string): Coding => ({ system: CVX_SYSTEM, code, display });
const local = (code: string, display: string): Coding => ({ system: EPI_ANTIGEN_SYSTEM, code, display });

const DTP: Antigen[] = ['Diphtheria', 'Tetanus', 'Pertussis'];

export const VN_EPI_2024: ImmunizationSchedule = {
  version: 'vn-epi-2024.4',
  effectiveFrom: '2024-08-01',
  source: `Circular 10/2024/TT-BYT (effective 2024-08-01), replacing Circular 38/2017/TT-BYT; IPV per Decision 2144/QĐ-BYT (2016); tetanus for pregnant women SECONDARY (Từ Dũ Hospital, WHO ANC C.5); rows as read in ${RESEARCH} § 2. Vaccine codes → antigens: CDC CDSi 4.64 (cvx-antigens.ts)`,
  caveats: [
    'Circular 10/2024 rows 4–11 (pertussis, tetanus, polio, Hib, measles, rubella, JE, rotavirus) were not read in a primary text; tetanus and pertussis only in a secondary summary.',
    'IPV dose 2 at 9 months: SECONDARY only (an audit note quoting Circular 10/2024, no page); its minimum interval after dose 1 is LOCAL POLICY.',
    'Rotavirus: the Circular row was not read; ages and the 6-month upper age come from the reference file. WHO SMART (DAK) allows dose 1 from 6 weeks up to 24 months: the 6-month limit is the reference row (product-label practice), not WHO.',
    'Rotavirus products: Vietnamese Rotavin-M1 is monovalent; recording it as CVX 119 is LOCAL POLICY (no source maps Vietnamese products to CVX).',
    'Circular 10/2024 footnote (*) on the HepB dose-2 interval: not read in any copy.',
    'JE ages/intervals come from the reference file (secondary, Vinmec) [verify].',
    'No minimum interval between DTP dose 3 and the 18-month booster, nor between the 18-month and 7-year boosters, was read: only the minimum ages apply.',
    'The Hib row was not read: the 5-in-1 primary doses follow the DTP-containing limit (7 years) of the tetanus row.',
    'Overdue rules (1 month after due, except HepB birth dose and BCG) are LOCAL POLICY.',
    'Upper ages other than DTP (7 years, tetanus row) and the HepB birth dose (HepBBirthDoseAgeLimitDays) are LOCAL POLICY: the rows read give none.',
    'Tetanus for pregnant women (TT-PREG): the Circular row was not read; the 5 doses and their intervals are SECONDARY (Từ Dũ Hospital quoting the Ministry schedule; WHO ANC C.5 agrees). Which doses count (from 15 years, or in the current pregnancy), how pregnancy is read from the record, and the overdue rule are LOCAL POLICY.',
  ],
  antigens: [
    {
      code: 'HEPB-BIRTH',
      vaccineCode: [
        local('HEPB-BIRTH', 'Hepatitis B birth dose'),
        cvx('08', 'Hep B, adolescent or pediatric'),
      ],
      antigens: ['HepB'],
      // "Monovalent hepatitis B vaccine" (row 1): a combination vaccine is not a birth dose.
      acceptedCodes: ['HEPB-BIRTH', '08', '45'],
      name: { vi: 'Viêm gan B sơ sinh (đơn giá)', en: 'Hepatitis B birth dose (monovalent)' },
      targetDisease: { vi: 'Viêm gan B', en: 'Hepatitis B' },
      doses: [
        {
          doseNumber: 1,
          minAge: { days: 0 },
          recommendedAge: { days: 0 },
          overdueAfterDue: { days: 1 },
          maxAge: { days: HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS },
          maxAgeSource: HEPB_BIRTH_DOSE_AGE_LIMIT_SOURCE,
          pastMaxAge: {
            status: 'not-applicable',
            text: {
              vi: `Đã quá ${HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS} ngày tuổi: không tiêm mũi viêm gan B sơ sinh nữa (không phải quá hạn); viêm gan B tiếp tục với 3 mũi vắc xin phối hợp từ 2 tháng tuổi`,
              en: `Past ${HEPB_BIRTH_DOSE_AGE_LIMIT_DAYS} days of age: the hepatitis B birth dose no longer applies (not overdue); hepatitis B continues with the 3 combination doses from 2 months (delayed start)`,
            },
          },
          source: C10P('1 (Hepatitis B, monovalent): "Birth dose: within 24 hours of birth"'),
          overdueSource: `${C10P('1 (Hepatitis B, monovalent): "within 24 hours of birth"')}: overdue from the next calendar day`,
        },
      ],
    },
    {
      code: 'BCG',
      vaccineCode: [local('BCG', 'BCG'), cvx('19', 'BCG')],
      antigens: ['BCG'],
      name: { vi: 'Lao (BCG)', en: 'Tuberculosis (BCG)' },
      targetDisease: { vi: 'Lao', en: 'Tuberculosis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { days: 0 },
          recommendedAge: { days: 0 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('row 2 (Tuberculosis)'),
          source: C10P('2 (Tuberculosis): "Administered once within 01 month after birth"'),
          overdueSource: `${C10P('2 (Tuberculosis): "within 01 month after birth"')}: overdue after the first month`,
        },
      ],
    },
    {
      code: 'DTP-HEPB-HIB',
      vaccineCode: [
        local('DTP-HEPB-HIB', 'DPT-VGB-Hib (5-in-1)'),
        cvx('198', 'DTP-HepB-Hib Pentavalent Non-US'),
      ],
      antigens: [...DTP, 'HepB', 'Hib'],
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
          ...UNTIL_7,
          source: `${C10P('3 (Diphtheria): "Dose 1: at 02 months of age"')}; ${C10P('1 (Hepatitis B-containing combination): "Dose 1: at 02 months of age"')}`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 3 },
          recommendedAge: { months: 3 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...UNTIL_7,
          source: `${C10P('3 (Diphtheria): "Dose 2: at least 01 month after dose 1"')}; due at 3 months: programme practice (${REF})`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 3,
          minAge: { months: 4 },
          recommendedAge: { months: 4 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...UNTIL_7,
          source: `${C10P('3 (Diphtheria): "Dose 3: at least 01 month after dose 2"')}; due at 4 months: programme practice (${REF})`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 4,
          minAge: { months: 18 },
          recommendedAge: { months: 18 },
          overdueAfterDue: { months: 1 },
          ...UNTIL_7,
          antigens: DTP,
          vaccineCode: [local('DTP', 'DPT booster'), cvx('01', 'DTP')],
          name: { vi: 'Nhắc DPT (mũi 4)', en: 'DPT booster (dose 4)' },
          source: `${C10P('3 (Diphtheria): "Booster dose at 18 months of age"')}; ${C10S('Ho gà (pertussis): "Tiêm nhắc lại khi trẻ đủ 18 tháng tuổi"')}`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'OPV',
      vaccineCode: [local('OPV', 'Oral polio vaccine'), cvx('182', 'OPV, unspecified formulation')],
      antigens: ['Polio'],
      // Oral products only: the series is the oral vaccine (an IPV-containing dose counts for IPV).
      acceptedCodes: ['OPV', '02', '178', '182'],
      name: { vi: 'Bại liệt uống (OPV)', en: 'Oral polio vaccine (OPV)' },
      targetDisease: { vi: 'Bại liệt', en: 'Poliomyelitis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 2 },
          recommendedAge: { months: 2 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the polio row (not read)'),
          source: C10R('polio: OPV 2 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 3 },
          recommendedAge: { months: 3 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the polio row (not read)'),
          source: C10R('polio: OPV 3 months, at least 1 month after dose 1'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 3,
          minAge: { months: 4 },
          recommendedAge: { months: 4 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the polio row (not read)'),
          source: C10R('polio: OPV 4 months, at least 1 month after dose 2'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'IPV',
      vaccineCode: [local('IPV', 'Inactivated polio vaccine'), cvx('10', 'IPV')],
      antigens: ['Polio'],
      // Inactivated-polio products (CDSi: these codes carry Polio; "IPV" in their names).
      acceptedCodes: ['IPV', '10', '110', '120', '146'],
      name: { vi: 'Bại liệt tiêm (IPV)', en: 'Inactivated polio vaccine (IPV)' },
      targetDisease: { vi: 'Bại liệt', en: 'Poliomyelitis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 5 },
          recommendedAge: { months: 5 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the polio row (not read)'),
          source: `${C10R('polio: IPV 5 months')}; Decision 2144/QĐ-BYT (2016): "tiêm chủng cho trẻ 5 tháng tuổi" (SECONDARY, ${RESEARCH} § 2.5)`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 9 },
          recommendedAge: { months: 9 },
          minIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the polio row (not read)'),
          source: `${C10R('polio: IPV 9 months (second dose)')}; SECONDARY only: audit note "IPV: Việt Nam 5 và 9 tháng", no page cited (${RESEARCH} § 2.5); minimum interval 1 month after dose 1: LOCAL POLICY (none read; the interval the read rows use between primary doses)`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'MEASLES',
      vaccineCode: [local('MEASLES', 'Measles'), cvx('05', 'measles')],
      antigens: ['Measles'],
      name: { vi: 'Sởi (mũi 1)', en: 'Measles (dose 1)' },
      targetDisease: { vi: 'Sởi', en: 'Measles' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 9 },
          recommendedAge: { months: 9 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the measles row (not read)'),
          source: `${C10R('measles: 9 months')}; audit note: "Vắc xin có chứa thành phần sởi", 9 months (SECONDARY, ${RESEARCH} § 2.3)`,
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
      antigens: ['Japanese Encephalitis'],
      name: { vi: 'Viêm não Nhật Bản', en: 'Japanese encephalitis' },
      targetDisease: { vi: 'Viêm não Nhật Bản', en: 'Japanese encephalitis' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 12 },
          recommendedAge: { months: 12 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the JE row (not read; the reference says ages 1–5)'),
          source: `${C10R('JE: 12 months')} [verify: JE from secondary source]`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 12 },
          minIntervalFromPrevious: { weeks: 1 },
          recommendedIntervalFromPrevious: { weeks: 1 },
          overdueAfterDue: { weeks: 1 },
          ...LOCAL_UNTIL_5('the JE row (not read; the reference says ages 1–5)'),
          source: `${C10R('JE: 12 months + 1–2 weeks')}: 1 week after dose 1 [verify: JE from secondary source]`,
          overdueSource: `${C10R('JE: 12 months + 1–2 weeks')}: overdue after 2 weeks from dose 1`,
        },
        {
          doseNumber: 3,
          minAge: { months: 12 },
          minIntervalFromPrevious: { years: 1 },
          recommendedIntervalFromPrevious: { years: 1 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the JE row (not read; the reference says ages 1–5)'),
          source: `${C10R('JE: ~24 months')}: 1 year after dose 2 [verify: JE from secondary source]`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'MR',
      vaccineCode: [local('MR', 'Measles-Rubella'), cvx('04', 'M/R')],
      antigens: ['Measles', 'Rubella'],
      name: { vi: 'Sởi - Rubella (MR)', en: 'Measles-Rubella (MR)' },
      targetDisease: { vi: 'Sởi, Rubella', en: 'Measles, rubella' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 18 },
          recommendedAge: { months: 18 },
          overdueAfterDue: { months: 1 },
          ...LOCAL_UNTIL_5('the rubella row (not read)'),
          source: C10R('rubella: MR 18 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'TD',
      vaccineCode: [local('TD', 'Td booster'), cvx('09', 'Td (adult), adsorbed')],
      antigens: ['Tetanus', 'Diphtheria'],
      // "Reduced diphtheria-containing combination vaccine" (row 3): reduced-antigen products only.
      acceptedCodes: ['TD', '09', '113', '115', '138', '139', '196'],
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
          source: `${C10P('3 (Diphtheria): "Booster dose at 07 years of age" with reduced diphtheria-containing combination vaccine')}; ${C10S('Uốn ván (tetanus, children): "3 lần tiêm chính và 2 lần tiêm nhắc"')}`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'ROTA',
      vaccineCode: [local('ROTA', 'Rotavirus (oral)'), cvx('119', 'rotavirus, monovalent')],
      antigens: ['Rotavirus'],
      name: { vi: 'Tiêu chảy do vi rút Rota (uống)', en: 'Rotavirus (oral)' },
      targetDisease: { vi: 'Tiêu chảy do vi rút Rota', en: 'Rotavirus diarrhoea' },
      doses: [
        {
          doseNumber: 1,
          minAge: { months: 2 },
          recommendedAge: { months: 2 },
          overdueAfterDue: { months: 1 },
          ...ROTA_UNTIL_6M,
          source: C10R('rotavirus: dose 1 at 2 months'),
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { months: 3 },
          minIntervalFromPrevious: { months: 1 },
          recommendedIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          ...ROTA_UNTIL_6M,
          source: `${C10R('rotavirus: dose 2 at least 1 month after dose 1')}; WHO SMART (DAK): "A minimum interval of 4 weeks should be maintained between doses" (${RESEARCH} § 2.6)`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
    {
      code: 'TT-PREG',
      population: 'pregnant-women',
      countsFromAge: TT_PREG_COUNTS_FROM_AGE,
      countsFromAgeSource: TT_PREG_COUNTS_FROM_SOURCE,
      vaccineCode: [local('TT', 'Tetanus toxoid (VAT)'), cvx('35', 'tetanus toxoid, adsorbed')],
      antigens: ['Tetanus'],
      name: { vi: 'Uốn ván cho phụ nữ có thai (VAT)', en: 'Tetanus for pregnant women (TT)' },
      targetDisease: { vi: 'Uốn ván (mẹ và sơ sinh)', en: 'Tetanus (maternal and neonatal)' },
      doses: [
        {
          doseNumber: 1,
          minAge: { days: 0 },
          overdueAfterDue: { months: 1 },
          source: `${TT_PREG('Mũi 1: Tiêm sớm khi có thai lần đầu hoặc phụ nữ tuổi sinh đẻ', WHO_TWO_DOSES)}; due from the first record of the current pregnancy (pregnancy.ts)`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 2,
          minAge: { days: 0 },
          minIntervalFromPrevious: { months: 1 },
          recommendedIntervalFromPrevious: { months: 1 },
          overdueAfterDue: { months: 1 },
          source: TT_PREG('Mũi 2: Cách mũi 1 ít nhất 1 tháng', WHO_TWO_DOSES),
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 3,
          minAge: { days: 0 },
          minIntervalFromPrevious: { months: 6 },
          recommendedIntervalFromPrevious: { months: 6 },
          overdueAfterDue: { months: 1 },
          source: `${TT_PREG('Mũi 3: Cách mũi 2 ít nhất 6 tháng hoặc trong thời kỳ có thai sau', 'A third dose is recommended six months after the second dose')}; ${LATER_PREGNANCY}`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 4,
          minAge: { days: 0 },
          minIntervalFromPrevious: { years: 1 },
          recommendedIntervalFromPrevious: { years: 1 },
          overdueAfterDue: { months: 1 },
          source: `${TT_PREG('Mũi 4: Cách mũi 3 ít nhất 1 năm hoặc trong thời kỳ có thai lần sau', WHO_FURTHER)}; ${LATER_PREGNANCY}`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
        {
          doseNumber: 5,
          minAge: { days: 0 },
          minIntervalFromPrevious: { years: 1 },
          recommendedIntervalFromPrevious: { years: 1 },
          overdueAfterDue: { months: 1 },
          source: `${TT_PREG('Mũi 5: Cách mũi 4 ít nhất 1 năm hoặc trong thời kỳ có thai lần sau', WHO_FURTHER)}; ${LATER_PREGNANCY}`,
          overdueSource: LOCAL_OVERDUE_1M,
        },
      ],
    },
  ],
};

/** The schedule in force; replace with a new versioned table when the Ministry changes it. */
export const CURRENT_SCHEDULE: ImmunizationSchedule = VN_EPI_2024;
