import type { DateTime } from 'luxon';
import { isoDay, vnDay } from '../common/dates';

/**
 * Is the patient pregnant now, by the record? Read for the tetanus row for pregnant women
 * (schedule.ts `TT-PREG`). LOCAL POLICY (the Circular row was not read; nothing here is from a
 * source), kept close to how NEWS2 reads pregnancy (news2/early-warning.service.ts):
 *
 * - Evidence: `Observation` LOINC 82810-3 "Pregnancy status" (not entered-in-error or cancelled)
 *   valued SNOMED 77386006 "Pregnant" (pregnant) or 60001007 "Not pregnant" (the pregnancy has
 *   ended); other values (unknown, possible) say nothing. `Condition` coded SNOMED 77386006 or
 *   ICD-10 Z33 "Pregnant state", clinical status active (searched so), not refuted or
 *   entered-in-error: pregnant.
 * - Dated by the Observation's effective date (`effectiveDateTime`, `effectivePeriod.start`, else
 *   `issued`) or the Condition's `onsetDateTime`, else `recordedDate`; an undated item says nothing.
 * - The latest evidence wins: pregnant items recorded after the last "Not pregnant" Observation
 *   form the current pregnancy. Only items of the last 42 weeks count (the longest pregnancy): a
 *   "Pregnant" nobody closed stops counting 42 weeks after it was recorded.
 * - The pregnancy is known `since` the earliest of those items: the first dose is due from then.
 */

export const LOINC = 'http://loinc.org';
export const SNOMED = 'http://snomed.info/sct';
export const ICD10 = 'http://hl7.org/fhir/sid/icd-10';
export const PREGNANCY_STATUS_LOINC = '82810-3';
export const PREGNANT_SNOMED = '77386006';
export const NOT_PREGNANT_SNOMED = '60001007';
export const PREGNANT_STATE_ICD10 = 'Z33';
/** A recorded pregnancy stops counting this long after its latest record (42 weeks). */
export const PREGNANCY_MAX_DAYS = 294;

export const PREGNANCY_RULE_SOURCE =
  'LOCAL POLICY (pregnancy.ts): pregnant = the latest record says so — Observation LOINC 82810-3 "Pregnancy status" valued SNOMED 77386006 (60001007 "Not pregnant" ends it), or an active Condition SNOMED 77386006 / ICD-10 Z33 — recorded within the last 42 weeks; due from the first record of the current pregnancy';

/** The search parameters (FHIR token search) that find the evidence, per type. */
export const PREGNANCY_SEARCHES: readonly {
  type: 'Observation' | 'Condition';
  params: [string, string][];
}[] = [
  { type: 'Observation', params: [['code', `${LOINC}|${PREGNANCY_STATUS_LOINC}`]] },
  {
    type: 'Condition',
    params: [
      ['code', `${SNOMED}|${PREGNANT_SNOMED},${ICD10}|${PREGNANT_STATE_ICD10}`],
      ['clinical-status', 'active'],
    ],
  },
];

export interface CurrentPregnancy {
  /** First day (Asia/Ho_Chi_Minh) the record shows this pregnancy. */
  since: string;
  /** The Observations/Conditions that show it, e.g. `Observation/12`. */
  evidence: string[];
}

type Json = Record<string, unknown>;
interface Coded {
  coding?: { system?: string; code?: string }[];
}

const has = (cc: unknown, system: string, code: string): boolean =>
  ((cc as Coded | undefined)?.coding ?? []).some((c) => c.system === system && c.code === code);
const codesOf = (cc: unknown): string[] =>
  ((cc as Coded | undefined)?.coding ?? []).map((c) => `${c.system ?? ''}|${c.code ?? ''}`);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function dayOf(value: string | undefined): DateTime | undefined {
  if (value === undefined) return undefined;
  try {
    return vnDay(value);
  } catch {
    return undefined;
  }
}

/** One item of evidence: pregnant or not, on a day. */
export interface PregnancyEvidence {
  reference: string;
  day: DateTime;
  pregnant: boolean;
}

/** A resource found by PREGNANCY_SEARCHES, read as evidence (undefined: it says nothing). */
export function evidenceOf(r: Json): PregnancyEvidence | undefined {
  const reference = `${String(r.resourceType)}/${String(r.id)}`;
  if (r.resourceType === 'Observation') {
    if (!has(r.code, LOINC, PREGNANCY_STATUS_LOINC)) return undefined;
    if (['entered-in-error', 'cancelled'].includes(String(r.status))) return undefined;
    const day = dayOf(
      str(r.effectiveDateTime) ?? str((r.effectivePeriod as Json | undefined)?.start) ?? str(r.issued),
    );
    if (day === undefined) return undefined;
    if (has(r.valueCodeableConcept, SNOMED, PREGNANT_SNOMED)) return { reference, day, pregnant: true };
    if (has(r.valueCodeableConcept, SNOMED, NOT_PREGNANT_SNOMED)) return { reference, day, pregnant: false };
    return undefined;
  }
  if (r.resourceType === 'Condition') {
    const codes = codesOf(r.code);
    if (
      !codes.includes(`${SNOMED}|${PREGNANT_SNOMED}`) &&
      !codes.includes(`${ICD10}|${PREGNANT_STATE_ICD10}`)
    )
      return undefined;
    const clinical = codesOf(r.clinicalStatus).map((c) => c.split('|')[1]);
    if (!clinical.includes('active')) return undefined;
    const verification = codesOf(r.verificationStatus).map((c) => c.split('|')[1]);
    if (verification.some((v) => v === 'refuted' || v === 'entered-in-error')) return undefined;
    const day = dayOf(str(r.onsetDateTime) ?? str(r.recordedDate));
    return day === undefined ? undefined : { reference, day, pregnant: true };
  }
  return undefined;
}

/** Whether a written resource may be pregnancy evidence (so its patient's forecast is recomputed). */
export function isPregnancyRecord(r: Json | null | undefined): boolean {
  if (!r) return false;
  if (r.resourceType === 'Observation') return has(r.code, LOINC, PREGNANCY_STATUS_LOINC);
  if (r.resourceType === 'Condition')
    return has(r.code, SNOMED, PREGNANT_SNOMED) || has(r.code, ICD10, PREGNANT_STATE_ICD10);
  return false;
}

/** The current pregnancy as of `today` (YYYY-MM-DD), from the patient's evidence; undefined: none. */
export function currentPregnancy(resources: readonly Json[], today: string): CurrentPregnancy | undefined {
  const now = vnDay(today);
  const from = now.minus({ days: PREGNANCY_MAX_DAYS - 1 });
  const items = resources
    .map(evidenceOf)
    .filter((e): e is PregnancyEvidence => e !== undefined && e.day <= now)
    .sort((a, b) => a.day.toMillis() - b.day.toMillis() || a.reference.localeCompare(b.reference));
  // On the day of the last "Not pregnant", that end wins over a "Pregnant" of the same day.
  const lastEnd = items.reduce<DateTime | undefined>((end, e) => (e.pregnant ? end : e.day), undefined);
  const current = items.filter(
    (e) => e.pregnant && (lastEnd === undefined || e.day > lastEnd) && e.day >= from,
  );
  const first = current[0];
  if (first === undefined) return undefined;
  return { since: isoDay(first.day), evidence: current.map((e) => e.reference) };
}
