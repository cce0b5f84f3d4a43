import type { FhirResource, FhirStore, RecordCaller, SearchService } from '@mekong/health-record';
import { DateTime } from 'luxon';
import type { EntityManager } from 'typeorm';
import { CARE_ZONE, isoDay, plus, vnDay, type AgeDuration } from '../common/dates';
import { searchAll, searchByPatients } from '../common/record-search';
import type { Coding } from '../common/types';
import { CLOSED_STATUSES, forecast, type ForecastResult, type ImmunizationHistoryEntry } from './forecast';
import { VACCINE_ANTIGENS } from './cvx-antigens';
import { currentPregnancy, PREGNANCY_SEARCHES } from './pregnancy';
import { CURRENT_SCHEDULE, CVX_SYSTEM, EPI_ANTIGEN_SYSTEM } from './schedule';

/**
 * Reading what the forecast needs from the record, always through the caller's EntityManager
 * (the writing transaction, or a job's own): the Patient, its Immunizations, its guardians.
 */

/**
 * Forecasts are kept (and families reminded) for children under this age. LOCAL POLICY: the
 * children's rows end with the booster at 7 years (Circular 10/2024 row 3, diphtheria; the tetanus
 * row covers "từ 02 tháng tuổi đến khi trẻ đủ 07 tuổi"), which has no maximum age, so without a
 * limit every adult would be "overdue" for it; 16 is the paediatric age limit used across the
 * product (NEWS2 is not for under-16s). There is no "EPI is under 5" rule (issue 17 item 3): the
 * series' own upper ages are in schedule.ts, each with its source.
 */
export const FORECAST_AGE_LIMIT: AgeDuration = { years: 16 };
export const FORECAST_AGE_LIMIT_SOURCE =
  'LOCAL POLICY: forecasts and reminders for children under 16 (the paediatric limit of the product); the last child row of Circular 10/2024 is the booster at 7 years (row 3, PRIMARY), which has no maximum age. At any age while the record shows a current pregnancy: the tetanus row for pregnant women only (pregnancy.ts; the record is lifelong)';

/** Extension listing Immunizations the forecast could not use (unknown code, date outside life). */
export const UNMATCHED_EXTENSION = 'https://fhir.mekong.health/StructureDefinition/immunization-not-counted';

/** Today as an Asia/Ho_Chi_Minh calendar date. */
export function vnToday(now: Date = new Date()): string {
  return isoDay(DateTime.fromJSDate(now, { zone: CARE_ZONE }));
}

/** An Immunization the forecast could not use, with why (never silently dropped). */
export interface NotCounted {
  reference: string;
  why: string;
  /** The vaccine code as read (`system|code`), when there is one. */
  code?: string;
  /** The day it was given, when readable. */
  date?: string;
}

export interface PatientForecast {
  patientId: string;
  patient: FhirResource;
  result: ForecastResult;
  /** Immunizations not counted, with why (never silently dropped). */
  notCounted: NotCounted[];
}

/** Recorded Immunizations of patients (not deleted), by patient id, through the record's search. */
export async function immunizationsOf(
  search: SearchService,
  em: EntityManager,
  patientIds: readonly string[],
  caller: RecordCaller,
): Promise<Map<string, FhirResource[]>> {
  const out = new Map<string, FhirResource[]>();
  for (const imm of await searchByPatients(search, em, 'Immunization', patientIds, caller)) {
    const patient = patientIdOf((imm.patient as { reference?: unknown } | undefined)?.reference);
    if (patient !== undefined) out.set(patient, [...(out.get(patient) ?? []), imm]);
  }
  return out;
}

/**
 * The records that may show a pregnancy (pregnancy.ts PREGNANCY_SEARCHES: Pregnancy status
 * Observations, active pregnancy Conditions) of patients, by patient id, through the record's
 * search (50 patients a search, like searchByPatients).
 */
export async function pregnancyRecordsOf(
  search: SearchService,
  em: EntityManager,
  patientIds: readonly string[],
  caller: RecordCaller,
): Promise<Map<string, FhirResource[]>> {
  const out = new Map<string, FhirResource[]>();
  for (let i = 0; i < patientIds.length; i += 50) {
    const refs = patientIds
      .slice(i, i + 50)
      .map((id) => `Patient/${id}`)
      .join(',');
    for (const { type, params } of PREGNANCY_SEARCHES) {
      for (const r of await searchAll(search, em, type, [['patient', refs], ...params], caller)) {
        const patient = patientIdOf((r.subject as { reference?: unknown } | undefined)?.reference);
        if (patient !== undefined) out.set(patient, [...(out.get(patient) ?? []), r]);
      }
    }
  }
  return out;
}

/** The current, non-deleted content of a resource, read through `em` (locked when `forUpdate`). */
export async function currentContent(
  store: FhirStore,
  em: EntityManager,
  type: string,
  id: string,
  caller: RecordCaller,
  forUpdate = false,
): Promise<FhirResource | undefined> {
  const row = await store.current(em, type, id, caller, { forUpdate });
  return row && !row.deleted && row.content ? row.content : undefined;
}

/** Every patient an Immunization has ever referred to (a moved or deleted one changes both). */
export async function patientsOfImmunization(
  store: FhirStore,
  em: EntityManager,
  id: string,
  caller: RecordCaller,
): Promise<string[]> {
  const versions = await store.versions(em, 'Immunization', id, caller);
  const refs = versions
    .filter((v) => !v.deleted)
    .map((v) => patientIdOf((v.content?.patient as { reference?: unknown } | undefined)?.reference));
  return [...new Set(refs)].filter((p): p is string => p !== undefined);
}

export function patientIdOf(reference: unknown): string | undefined {
  return typeof reference === 'string' && reference.startsWith('Patient/') ? reference.slice(8) : undefined;
}

/** Active RelatedPersons of the child (its parents/guardians, some linked from a parent's own Patient). */
export async function guardiansOf(
  search: SearchService,
  em: EntityManager,
  patientId: string,
  caller: RecordCaller,
): Promise<string[]> {
  const people = await searchAll(search, em, 'RelatedPerson', [['patient', `Patient/${patientId}`]], caller);
  return people
    .filter((r) => r.active !== false)
    .map((r) => `RelatedPerson/${String(r.id)}`)
    .sort();
}

const KNOWN_SYSTEMS = new Set([CVX_SYSTEM, EPI_ANTIGEN_SYSTEM]);
const ALL_CODES = new Set(VACCINE_ANTIGENS.map((r) => r.code));
const normal = (c: Coding): string => {
  const code = (c.code ?? '').trim().toUpperCase();
  return c.system === CVX_SYSTEM && /^\d$/.test(code) ? `0${code}` : code;
};

/**
 * Immunization.vaccineCode → a coding whose antigens are known (CVX in the CDSi 4.64 table, or the
 * local EPI code); otherwise its first coding, which the forecast then reports as unmatched.
 */
export function scheduleCoding(immunization: FhirResource): Coding | undefined {
  const vc = immunization.vaccineCode as { coding?: Coding[]; text?: string } | undefined;
  const codings = (vc?.coding ?? []).filter((c) => typeof c.code === 'string' && c.code.trim() !== '');
  return (
    codings.find((c) => c.system !== undefined && KNOWN_SYSTEMS.has(c.system) && ALL_CODES.has(normal(c))) ??
    codings[0]
  );
}

/** The ISO date (or date-time) the dose was given, if the record says. */
function givenOn(immunization: FhirResource): string | undefined {
  const d = immunization.occurrenceDateTime;
  return typeof d === 'string' ? d : undefined;
}

/** The patient's full birthDate (YYYY-MM-DD) as a day, if born by `today`. */
function bornOn(patient: FhirResource | undefined, today: string): DateTime | undefined {
  const birthDate = patient?.birthDate;
  // A partial birthDate (2024, 2024-05) cannot time a birth dose, nor the age doses count from.
  if (typeof birthDate !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(birthDate)) return undefined;
  let birth: DateTime;
  try {
    birth = vnDay(birthDate, 'birthDate');
  } catch {
    return undefined;
  }
  return birth <= vnDay(today) ? birth : undefined;
}

/** Whether the children's series apply today (a full birthDate, born, under the age limit). */
export function inScope(patient: FhirResource | undefined, today: string): patient is FhirResource {
  const birth = bornOn(patient, today);
  return birth !== undefined && vnDay(today) < plus(birth, FORECAST_AGE_LIMIT);
}

/**
 * The patient's forecast from the record as of `today`: the children's series under the age
 * limit, the series for pregnant women while `pregnancyRecords` (pregnancyRecordsOf) show a
 * current pregnancy (pregnancy.ts), at any age. Only `completed` Immunizations count
 * (entered-in-error and not-done do not; deleted ones are gone); a dose dated before birth or
 * after today is not counted and is listed with why. Undefined when neither applies or when every
 * series is complete or aged out (the schedule no longer applies).
 */
export function forecastFor(
  patientId: string,
  patient: FhirResource | undefined,
  immunizations: readonly FhirResource[],
  today: string,
  pregnancyRecords: readonly FhirResource[] = [],
): PatientForecast | undefined {
  if (bornOn(patient, today) === undefined || patient === undefined) return undefined;
  const child = inScope(patient, today);
  const pregnancy = currentPregnancy(pregnancyRecords, today);
  if (!child && pregnancy === undefined) return undefined;
  const birthDate = patient.birthDate as string;
  const birth = vnDay(birthDate);
  const now = vnDay(today);
  const history: ImmunizationHistoryEntry[] = [];
  const notCounted: PatientForecast['notCounted'] = [];
  for (const imm of immunizations) {
    if (imm.status !== 'completed') continue;
    const reference = `Immunization/${String(imm.id)}`;
    const date = givenOn(imm);
    const coding = scheduleCoding(imm);
    if (date === undefined) {
      notCounted.push({ reference, why: 'no occurrenceDateTime' });
      continue;
    }
    if (coding === undefined) {
      notCounted.push({ reference, why: 'no vaccineCode coding' });
      continue;
    }
    let day: DateTime;
    try {
      day = vnDay(date);
    } catch {
      notCounted.push({ reference, why: `invalid date ${date}` });
      continue;
    }
    if (day < birth || day > now) {
      notCounted.push({ reference, why: `dated ${isoDay(day)}, outside ${birthDate}..${today}` });
      continue;
    }
    history.push({ vaccineCode: coding, date, reference });
  }
  const result = forecast(birthDate, history, today, CURRENT_SCHEDULE, {
    children: child,
    ...(pregnancy ? { pregnancy } : {}),
  });
  for (const u of result.unmatched) {
    const c = typeof u.entry.vaccineCode === 'object' ? u.entry.vaccineCode : { code: u.entry.vaccineCode };
    const code = `${c.system ? `${c.system}|` : ''}${c.code ?? u.code}`;
    notCounted.push({
      reference: u.entry.reference ?? '',
      why:
        u.why === 'unknown-code'
          ? `vaccine code ${code} is unknown (not in the CVX → antigen table, CDC CDSi 4.64): matches no series of ${result.scheduleVersion}`
          : `vaccine code ${code} carries ${u.antigens.join(', ')}: matches no series of ${result.scheduleVersion}`,
      code,
      date: isoDay(vnDay(u.entry.date)),
    });
  }
  const applies = result.forecasts.some((f) => !CLOSED_STATUSES.has(f.status));
  return applies ? { patientId, patient, result, notCounted } : undefined;
}

/** "Nguyễn Văn An": HumanName.text, or family then given names (Vietnamese order). */
export function displayName(patient: FhirResource): string {
  const names = (patient.name ?? []) as { text?: string; family?: string; given?: string[]; use?: string }[];
  const n = names.find((x) => x.use === 'official') ?? names[0];
  if (!n) return '';
  if (n.text) return n.text;
  return [n.family, ...(n.given ?? [])].filter((s) => s !== undefined && s !== '').join(' ');
}
