/**
 * The end-of-visit prescription for the national e-prescription system: the drug from the national
 * drug list (the server's terminology service, `drugs-bhyt`), quantity and unit, days of use and
 * how to take it — checked here with the same limits as the server (libs/consultation
 * PrescriptionDto; Circular 26/2025/TT-BYT art. 6(5)–(8) and its Appendix VII, whose rows are
 * read from the server's own rules module, not copied) — and each prescription's national status.
 */
import {
  MAX_DAYS,
  MAX_DAYS_APPENDIX_VII,
  appendixRowOf,
} from '../../../../libs/eprescription/src/rules/prescribing-rules';
import { api, ApiError } from '../api';
import { type Icd10Code, withTimeout } from '../doctor/icd10';

export { MAX_DAYS, MAX_DAYS_APPENDIX_VII };

/** The national drug list, as an implicit value set of its code system. */
export const DRUG_SYSTEM = 'https://fhir.mekong.health/CodeSystem/drugs-bhyt';
export const DRUG_VALUE_SET = `${DRUG_SYSTEM}?fhir_vs`;
export const DRUG_PAGE = 20;
export const DRUG_TIMEOUT_MS = 15_000;
/** Days of use offered at first (the doctor changes it). */
export const DEFAULT_DAYS = 7;
/** Units a doctor writes most (the field takes any other; PrescriptionDto: 1–50 characters). */
export const UNITS = ['viên', 'gói', 'ống', 'chai', 'lọ', 'tuýp', 'ml'] as const;

/** One drug of the list: a code and its names (`en` empty: the list has Vietnamese names only). */
export type Drug = Icd10Code;

export interface DrugPage {
  drugs: Drug[];
  total: number;
}

interface Expansion {
  expansion?: {
    total?: number;
    contains?: {
      system?: string;
      code?: string;
      display?: string;
      designation?: { language?: string; value?: string }[];
    }[];
  };
}

const answers = new Map<string, DrugPage>();
const ANSWERS_MAX = 50;

export const cachedDrugs = (filter: string): DrugPage | undefined => answers.get(filter.trim().toLowerCase());
export const clearDrugCache = (): void => answers.clear();

/** Drugs of the national list matching `filter` (a name with or without accents, or a code). */
export async function searchDrugs(
  filter: string,
  signal?: AbortSignal,
  count = DRUG_PAGE,
): Promise<DrugPage> {
  const key = filter.trim().toLowerCase();
  const held = answers.get(key);
  if (held) return held;
  const q = new URLSearchParams({ url: DRUG_VALUE_SET, filter: filter.trim(), count: String(count) });
  const vs = await withTimeout(
    (s) => api<Expansion>(`/fhir/ValueSet/$expand?${q.toString()}`, { signal: s }),
    signal,
    DRUG_TIMEOUT_MS,
  );
  const drugs = (vs.expansion?.contains ?? [])
    .filter((c) => c.code && (c.system === undefined || c.system === DRUG_SYSTEM))
    .map((c): Drug => {
      const name = (l: string): string => c.designation?.find((d) => d.language === l)?.value ?? '';
      const vi = name('vi');
      const en = name('en');
      return { code: c.code!, vi: vi || en ? vi : (c.display ?? ''), en };
    });
  const page = { drugs, total: vs.expansion?.total ?? drugs.length };
  answers.set(key, page);
  if (answers.size > ANSWERS_MAX) answers.delete(answers.keys().next().value as string);
  return page;
}

/** What the doctor typed (strings, as the fields hold them: nothing is lost on a refusal). */
export interface PrescriptionDraft {
  drug?: Drug;
  quantity: string;
  unit: string;
  days: string;
  dosage: string;
}

export const emptyDraft = (): PrescriptionDraft => ({
  quantity: '',
  unit: UNITS[0],
  days: String(DEFAULT_DAYS),
  dosage: '',
});

/** Nothing entered beyond the defaults: no prescription is written. */
export const isBlank = (d: PrescriptionDraft): boolean => !d.drug && !d.quantity.trim() && !d.dosage.trim();

/** A problem with one field: the message key (namespace `visit`, under `rx.`) and its values. */
export interface DraftProblem {
  field: 'drug' | 'quantity' | 'unit' | 'days' | 'dosage';
  key: string;
  values?: Record<string, string | number>;
}

/** Parses a number as typed in Vietnamese (`1,5`) or English (`1.5`). */
export const parseNumber = (s: string): number =>
  s.trim() === '' ? NaN : Number(s.trim().replace(',', '.'));

/**
 * The server's limits (PrescriptionDto; Circular 26/2025/TT-BYT art. 6(8)), checked before sending:
 * quantity above 0, at most 100000, 3 decimals; unit 1–50; days a whole number 1–90, over 30 only
 * with a diagnosis of Appendix VII (`diagnosis`: the visit's ICD-10 code, if any); dosage 1–500.
 */
export function draftProblems(d: PrescriptionDraft, diagnosis: string): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (!d.drug) out.push({ field: 'drug', key: 'rx.drugNeeded' });
  const q = parseNumber(d.quantity);
  if (!Number.isFinite(q)) out.push({ field: 'quantity', key: 'rx.quantityNeeded' });
  else if (q <= 0 || q > 100000 || Math.round(q * 1000) !== q * 1000)
    out.push({ field: 'quantity', key: 'rx.quantityRange' });
  const unit = d.unit.trim();
  if (unit.length < 1 || unit.length > 50) out.push({ field: 'unit', key: 'rx.unitNeeded' });
  const days = parseNumber(d.days);
  if (!Number.isInteger(days) || days < 1) out.push({ field: 'days', key: 'rx.daysNeeded' });
  else if (days > MAX_DAYS_APPENDIX_VII)
    out.push({ field: 'days', key: 'rx.daysOver90', values: { days, max: MAX_DAYS_APPENDIX_VII } });
  else if (days > MAX_DAYS && !(diagnosis.trim() && appendixRowOf(diagnosis)))
    out.push({ field: 'days', key: 'rx.daysOver30', values: { days, max: MAX_DAYS } });
  const dosage = d.dosage.trim();
  if (!dosage) out.push({ field: 'dosage', key: 'rx.dosageNeeded' });
  else if (dosage.length > 500) out.push({ field: 'dosage', key: 'rx.dosageLong' });
  return out;
}

/** The end payload's structured drug (PrescriptionDto); call after `draftProblems` found none. */
export const toPrescription = (d: PrescriptionDraft) => ({
  medication: d.drug!.vi || d.drug!.en || d.drug!.code,
  dosage: d.dosage.trim(),
  drugCode: d.drug!.code,
  quantity: parseNumber(d.quantity),
  unit: d.unit.trim(),
  days: parseNumber(d.days),
  type: 'c' as const,
});

/** One national prescription of the visit, as GET /eprescription/prescriptions lists it. */
export interface NationalPrescription {
  code: string;
  type: string;
  status: 'pending' | 'sending' | 'issued' | 'failed';
  medicationRequests: string[];
  attempts: number;
  reasons: string[];
  issuedAt?: string;
}

/**
 * The visit's national prescriptions; `[]` while there are none yet (the record is written by a
 * job after the visit ends, so the server answers 404 until then).
 */
export async function nationalPrescriptions(
  encounter: string,
  signal?: AbortSignal,
): Promise<NationalPrescription[]> {
  const id = encounter.replace(/^Encounter\//, '');
  try {
    return await withTimeout(
      (s) =>
        api<NationalPrescription[]>(`/eprescription/prescriptions?encounter=${encodeURIComponent(id)}`, {
          signal: s,
        }),
      signal,
      DRUG_TIMEOUT_MS,
    );
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return [];
    throw e;
  }
}
