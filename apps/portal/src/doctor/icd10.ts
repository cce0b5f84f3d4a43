/**
 * ICD-10 for the diagnosis picker, from the server's terminology service (FHIR `ValueSet/$expand`
 * and `$validate-code` over the Ministry of Health's Vietnamese list with WHO's English names,
 * libs/terminology/data/icd10): the portal keeps no code list of its own.
 */
import { api, ApiError } from '../api';

/** One ICD-10 code with its names; `en` is empty where the list has no official English name. */
export interface Icd10Code {
  code: string;
  vi: string;
  en: string;
}

export const ICD10_SYSTEM = 'http://hl7.org/fhir/sid/icd-10';
export const ICD10_VALUE_SET = 'http://hl7.org/fhir/ValueSet/icd-10';
/** How many codes one search shows (a phone screen's worth; typing more narrows). */
export const ICD10_PAGE = 20;
/** A request taking longer than this on a weak link is given up and offered again. */
export const ICD10_TIMEOUT_MS = 15_000;

export interface Icd10Page {
  codes: Icd10Code[];
  /** All matches on the server (more than `codes` when the search should be narrowed). */
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

interface Parameters {
  parameter?: { name?: string; valueBoolean?: boolean; valueString?: string }[];
}

/** The name of `c` in `lang`, or in the other language when the list has none in `lang`. */
export const icd10Name = (c: Icd10Code, lang: string): string =>
  lang.startsWith('en') ? c.en || c.vi : c.vi || c.en;

/** The other language's name, when there is one and it differs. */
export const icd10OtherName = (c: Icd10Code, lang: string): string => {
  const other = lang.startsWith('en') ? c.vi : c.en;
  return other && other !== icd10Name(c, lang) ? other : '';
};

/**
 * Runs `call` with a signal that aborts when `outer` does or after `ms`; a timeout is answered as
 * a network failure (ApiError status 0), an abort from `outer` as the AbortError it is.
 */
export async function withTimeout<T>(
  call: (signal: AbortSignal) => Promise<T>,
  outer: AbortSignal | undefined,
  ms: number,
): Promise<T> {
  const inner = new AbortController();
  const stop = (): void => inner.abort();
  if (outer?.aborted) inner.abort();
  outer?.addEventListener('abort', stop);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    inner.abort();
  }, ms);
  try {
    return await call(inner.signal);
  } catch (e) {
    if (outer?.aborted) throw new DOMException('aborted', 'AbortError');
    if (timedOut) throw new ApiError(0, 'timeout');
    throw e;
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', stop);
  }
}

/** The last answers, so that deleting a letter on a weak link does not ask again (small, in memory). */
const answers = new Map<string, Icd10Page>();
const ANSWERS_MAX = 50;

/** The answer already held for `filter` in `lang`, if any. */
export function cachedIcd10(filter: string, lang: string): Icd10Page | undefined {
  return answers.get(`${lang.slice(0, 2)}|${filter.trim().toLowerCase()}`);
}

/** Forgets the held answers (tests). */
export function clearIcd10Cache(): void {
  answers.clear();
}

/**
 * ICD-10 codes matching `filter` (a name with or without accents, or a code; every word must
 * match; codes first), at most `count`, with their Vietnamese and English names.
 */
export async function searchIcd10(
  filter: string,
  lang: string,
  signal?: AbortSignal,
  count = ICD10_PAGE,
): Promise<Icd10Page> {
  const key = `${lang.slice(0, 2)}|${filter.trim().toLowerCase()}`;
  const held = answers.get(key);
  if (held) return held;
  const q = new URLSearchParams({
    url: ICD10_VALUE_SET,
    filter: filter.trim(),
    count: String(count),
    displayLanguage: lang.startsWith('en') ? 'en' : 'vi',
  });
  const vs = await withTimeout(
    (s) => api<Expansion>(`/fhir/ValueSet/$expand?${q.toString()}`, { signal: s }),
    signal,
    ICD10_TIMEOUT_MS,
  );
  const codes = (vs.expansion?.contains ?? [])
    .filter((c) => c.code && (c.system === undefined || c.system === ICD10_SYSTEM))
    .map((c): Icd10Code => {
      const name = (l: string): string => c.designation?.find((d) => d.language === l)?.value ?? '';
      const vi = name('vi');
      const en = name('en');
      return { code: c.code!, vi: vi || en ? vi : (c.display ?? ''), en };
    });
  const page = { codes, total: vs.expansion?.total ?? codes.length };
  answers.delete(key);
  answers.set(key, page);
  if (answers.size > ANSWERS_MAX) answers.delete(answers.keys().next().value as string);
  return page;
}

export interface Icd10Check {
  result: boolean;
  /** The server's reason when refused (its text, in English). */
  message?: string;
}

/** The patient's administrative gender when it is male or female (what the one-sex rule needs). */
export async function patientSex(
  patientId: string,
  signal?: AbortSignal,
): Promise<'male' | 'female' | undefined> {
  const p = await withTimeout(
    (s) => api<{ gender?: string }>(`/fhir/Patient/${encodeURIComponent(patientId)}`, { signal: s }),
    signal,
    ICD10_TIMEOUT_MS,
  );
  return p.gender === 'male' || p.gender === 'female' ? p.gender : undefined;
}

/**
 * Asks the server whether `code` may be recorded as the main diagnosis (an asterisk code or an
 * external cause may not; a one-sex code needs the patient of that sex when `sex` is known).
 */
export async function checkPrimaryDiagnosis(
  code: string,
  sex: 'male' | 'female' | undefined,
  signal?: AbortSignal,
): Promise<Icd10Check> {
  const q = new URLSearchParams({ url: ICD10_VALUE_SET, code, usage: 'primary-diagnosis' });
  if (sex) q.set('sex', sex);
  const r = await withTimeout(
    (s) => api<Parameters>(`/fhir/ValueSet/$validate-code?${q.toString()}`, { signal: s }),
    signal,
    ICD10_TIMEOUT_MS,
  );
  const param = (n: string) => r.parameter?.find((p) => p.name === n);
  const message = param('message')?.valueString;
  return { result: param('result')?.valueBoolean === true, ...(message ? { message } : {}) };
}
