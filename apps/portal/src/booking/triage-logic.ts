/**
 * The pre-visit triage in the portal (libs/care/src/triage): render the FHIR Questionnaire
 * generically in the reader's language, turn the answers into a QuestionnaireResponse, read the
 * RiskAssessment the server computed from it, and explain the server's booking refusals
 * (emergency: call 115; telehealth eligibility: in person / referral).
 */
import { ApiError } from '../api';

export type TriageLevel = 'emergency' | 'urgent' | 'routine';
export type Lang = 'vi' | 'en';

const TRANSLATION = 'http://hl7.org/fhir/StructureDefinition/translation';
export const TRIAGE_QUESTIONNAIRE_ID = 'mekong-previsit-triage';
export const TRIAGE_LEVEL_SYSTEM = 'https://fhir.mekong.health/CodeSystem/triage-level';

interface Extension {
  url: string;
  valueCode?: string;
  valueString?: string;
  extension?: Extension[];
}
/** A primitive's FHIR extension element (`_text`, `_display`): carries the translations. */
export interface PrimitiveExtension {
  extension?: Extension[];
}

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
  _display?: PrimitiveExtension;
}

export interface EnableWhen {
  question: string;
  operator: string;
  answerBoolean?: boolean;
  answerCoding?: Coding;
  answerDecimal?: number;
  answerInteger?: number;
  answerString?: string;
}

export interface QuestionnaireItem {
  linkId: string;
  text?: string;
  _text?: PrimitiveExtension;
  type: string;
  required?: boolean;
  repeats?: boolean;
  answerOption?: { valueCoding?: Coding; valueString?: string; valueInteger?: number }[];
  enableWhen?: EnableWhen[];
  enableBehavior?: 'all' | 'any';
  item?: QuestionnaireItem[];
}

export interface Questionnaire {
  resourceType: 'Questionnaire';
  id?: string;
  url?: string;
  version?: string;
  title?: string;
  _title?: PrimitiveExtension;
  item?: QuestionnaireItem[];
}

export interface QrAnswer {
  valueBoolean?: boolean;
  valueDecimal?: number;
  valueInteger?: number;
  valueString?: string;
  valueCoding?: { system?: string; code?: string; display?: string };
}
export interface QrItem {
  linkId: string;
  text?: string;
  answer?: QrAnswer[];
  item?: QrItem[];
}
export interface QuestionnaireResponse {
  resourceType: 'QuestionnaireResponse';
  id?: string;
  questionnaire: string;
  status: 'completed';
  subject: { reference: string };
  authored: string;
  author?: { reference: string };
  item: QrItem[];
}

/** What the form holds per linkId: a boolean, the chosen code(s), or the typed text. */
export type FormValue = boolean | string | string[];
export type FormValues = Record<string, FormValue | undefined>;

/** A text in the reader's language: the translation extension for English, the base text else. */
export function localized(
  base: string | undefined,
  ext: PrimitiveExtension | undefined,
  lang: string,
): string {
  if (lang.startsWith('en')) {
    for (const t of ext?.extension ?? []) {
      if (t.url !== TRANSLATION) continue;
      const l = t.extension?.find((e) => e.url === 'lang')?.valueCode;
      const content = t.extension?.find((e) => e.url === 'content')?.valueString;
      if (l === 'en' && content) return content;
    }
  }
  return base ?? '';
}

export const itemText = (item: QuestionnaireItem, lang: string): string =>
  localized(item.text, item._text, lang) || item.linkId;

/** The answer options as {code, label}: codings by code, strings and integers by value. */
export function optionsOf(item: QuestionnaireItem, lang: string): { code: string; label: string }[] {
  return (item.answerOption ?? []).flatMap((o) => {
    if (o.valueCoding?.code !== undefined)
      return [
        {
          code: o.valueCoding.code,
          label: localized(o.valueCoding.display, o.valueCoding._display, lang) || o.valueCoding.code,
        },
      ];
    if (o.valueString !== undefined) return [{ code: o.valueString, label: o.valueString }];
    if (o.valueInteger !== undefined)
      return [{ code: String(o.valueInteger), label: String(o.valueInteger) }];
    return [];
  });
}

/** "38,5" or "38.5" → 38.5; undefined when empty or not a number. */
export function parseNumber(raw: string, integer: boolean): number | undefined {
  const s = raw.trim().replace(',', '.');
  if (s === '') return undefined;
  if (!(integer ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/).test(s)) return undefined;
  return Number(s);
}

function all(items: QuestionnaireItem[] | undefined): QuestionnaireItem[] {
  return (items ?? []).flatMap((i) => [i, ...all(i.item)]);
}

function matches(
  cond: EnableWhen,
  value: FormValue | undefined,
  item: QuestionnaireItem | undefined,
): boolean {
  const present = value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);
  if (cond.operator === 'exists') return present === (cond.answerBoolean ?? true);
  if (!present) return cond.operator === '!=';
  let expected: string | boolean | number | undefined;
  if (cond.answerBoolean !== undefined) expected = cond.answerBoolean;
  else if (cond.answerCoding?.code !== undefined) expected = cond.answerCoding.code;
  else if (cond.answerString !== undefined) expected = cond.answerString;
  else if (cond.answerDecimal !== undefined) expected = cond.answerDecimal;
  else if (cond.answerInteger !== undefined) expected = cond.answerInteger;
  const values: (string | boolean | number | undefined)[] = Array.isArray(value)
    ? value
    : typeof value === 'string' && (item?.type === 'decimal' || item?.type === 'integer')
      ? [parseNumber(value, item.type === 'integer')]
      : [value];
  const cmp = (v: string | boolean | number | undefined): boolean => {
    if (v === undefined || expected === undefined) return false;
    switch (cond.operator) {
      case '=':
        return v === expected;
      case '!=':
        return v !== expected;
      case '>':
        return v > expected;
      case '>=':
        return v >= expected;
      case '<':
        return v < expected;
      case '<=':
        return v <= expected;
      default:
        return false;
    }
  };
  return cond.operator === '!=' ? values.every(cmp) : values.some(cmp);
}

/** Whether an item is shown (enableWhen against the current answers). */
export function isEnabled(item: QuestionnaireItem, values: FormValues, q: Questionnaire): boolean {
  if (!item.enableWhen || item.enableWhen.length === 0) return true;
  const byId = new Map(all(q.item).map((i) => [i.linkId, i]));
  const results = item.enableWhen.map((c) => matches(c, values[c.question], byId.get(c.question)));
  return item.enableBehavior === 'any' ? results.some(Boolean) : results.every(Boolean);
}

const answered = (v: FormValue | undefined): boolean =>
  v !== undefined && !(typeof v === 'string' && v.trim() === '') && !(Array.isArray(v) && v.length === 0);

export type FieldProblem = 'required' | 'number';

/** The problems of the enabled questions (required unanswered, number not a number), by linkId. */
export function validate(q: Questionnaire, values: FormValues): Map<string, FieldProblem> {
  const out = new Map<string, FieldProblem>();
  const walk = (items: QuestionnaireItem[] | undefined) => {
    for (const item of items ?? []) {
      if (!isEnabled(item, values, q)) continue;
      if (item.type === 'group') {
        walk(item.item);
        continue;
      }
      if (item.type === 'display') continue;
      const v = values[item.linkId];
      if (!answered(v)) {
        if (item.required) out.set(item.linkId, 'required');
        continue;
      }
      if (
        (item.type === 'decimal' || item.type === 'integer') &&
        parseNumber(String(v), item.type === 'integer') === undefined
      )
        out.set(item.linkId, 'number');
    }
  };
  walk(q.item);
  return out;
}

function answersOf(item: QuestionnaireItem, v: FormValue | undefined): QrAnswer[] {
  if (!answered(v)) return [];
  switch (item.type) {
    case 'boolean':
      return typeof v === 'boolean' ? [{ valueBoolean: v }] : [];
    case 'decimal':
    case 'integer': {
      const n = parseNumber(String(v), item.type === 'integer');
      if (n === undefined) return [];
      return [item.type === 'integer' ? { valueInteger: n } : { valueDecimal: n }];
    }
    case 'choice':
    case 'open-choice': {
      const codes = Array.isArray(v) ? v : [String(v)];
      return codes.flatMap((code): QrAnswer[] => {
        const o = item.answerOption?.find(
          (x) => (x.valueCoding?.code ?? x.valueString ?? String(x.valueInteger)) === code,
        );
        if (o?.valueCoding)
          return [
            {
              valueCoding: {
                ...(o.valueCoding.system ? { system: o.valueCoding.system } : {}),
                code,
                ...(o.valueCoding.display ? { display: o.valueCoding.display } : {}),
              },
            },
          ];
        if (o?.valueInteger !== undefined) return [{ valueInteger: o.valueInteger }];
        return [{ valueString: code }];
      });
    }
    default:
      return typeof v === 'string' ? [{ valueString: v.trim() }] : [];
  }
}

function responseItems(
  items: QuestionnaireItem[] | undefined,
  values: FormValues,
  q: Questionnaire,
): QrItem[] {
  return (items ?? []).flatMap((item): QrItem[] => {
    if (!isEnabled(item, values, q) || item.type === 'display') return [];
    if (item.type === 'group') {
      const children = responseItems(item.item, values, q);
      return children.length > 0
        ? [{ linkId: item.linkId, ...(item.text ? { text: item.text } : {}), item: children }]
        : [];
    }
    const answer = answersOf(item, values[item.linkId]);
    return answer.length > 0
      ? [{ linkId: item.linkId, ...(item.text ? { text: item.text } : {}), answer }]
      : [];
  });
}

/** The QuestionnaireResponse of the answers (enabled questions only; texts in the base language). */
export function buildResponse(
  q: Questionnaire,
  values: FormValues,
  patientId: string,
  opts: { now?: Date; author?: string } = {},
): QuestionnaireResponse {
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: q.version ? `${q.url ?? ''}|${q.version}` : (q.url ?? ''),
    status: 'completed',
    subject: { reference: `Patient/${patientId}` },
    authored: (opts.now ?? new Date()).toISOString(),
    ...(opts.author ? { author: { reference: opts.author } } : {}),
    item: responseItems(q.item, values, q),
  };
}

/** RiskAssessment id for a response id (the server's triageAssessmentId: sha-256 when too long). */
export async function assessmentIdOf(responseId: string): Promise<string> {
  const direct = `triage-${responseId}`;
  if (direct.length <= 64) return direct;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(responseId));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `triage-${hex.slice(0, 40)}`;
}

/** One side of a server text written "Vietnamese / English" (the other side if one is missing). */
export function bilingual(text: string, lang: string): string {
  const parts = text.split(' / ');
  if (parts.length < 2) return text;
  const mid = Math.floor(parts.length / 2);
  const vi = parts.slice(0, mid).join(' / ');
  const en = parts.slice(mid).join(' / ');
  return (lang.startsWith('en') ? en : vi).trim();
}

/** A note's text without its trailing " [rule; source]" (the source may hold brackets itself). */
const withoutSource = (text: string): string => text.split(' [')[0]?.trim() ?? '';

export interface TriageResult {
  level: TriageLevel;
  reasons: string[];
  advice: string;
}

export interface RiskAssessment {
  resourceType?: string;
  id?: string;
  prediction?: { qualitativeRisk?: { coding?: { system?: string; code?: string }[] } }[];
  mitigation?: string;
  note?: { text?: string; extension?: { url?: string; valueString?: string }[] }[];
}

/** Level, reasons and advice of a triage RiskAssessment, in the reader's language. */
export function triageResultOf(ra: RiskAssessment, lang: string): TriageResult | undefined {
  const code = ra.prediction?.[0]?.qualitativeRisk?.coding?.find(
    (c) => c.system === TRIAGE_LEVEL_SYSTEM || c.system === undefined,
  )?.code;
  if (code !== 'emergency' && code !== 'urgent' && code !== 'routine') return undefined;
  const reasons = (ra.note ?? [])
    .filter((n) => !(n.extension ?? []).some((e) => e.valueString?.startsWith('triage.advice.')))
    .map((n) => bilingual(withoutSource(n.text ?? ''), lang))
    .filter((t) => t.length > 0);
  return { level: code, reasons, advice: ra.mitigation ? bilingual(ra.mitigation, lang) : '' };
}

export type Refusal = { kind: 'emergency' | 'in-person' | 'referral'; reasons: string[] };

/** A 422 from booking that the care gate gave: emergency triage or telehealth eligibility. */
export function bookingRefusal(err: unknown, lang: string): Refusal | undefined {
  if (!(err instanceof ApiError) || err.status !== 422) return undefined;
  const issues =
    (err.body as { issue?: { severity?: string; diagnostics?: string; details?: { text?: string } }[] })
      ?.issue ?? [];
  const all = [err.message, ...issues.map((i) => `${i.diagnostics ?? ''} ${i.details?.text ?? ''}`)].join(
    ' ',
  );
  const kind: Refusal['kind'] | undefined = /\b115\b/.test(err.message)
    ? 'emergency'
    : /route:? ?referral/i.test(all)
      ? 'referral'
      : /route:? ?in-person/i.test(all)
        ? 'in-person'
        : undefined;
  if (!kind) return undefined;
  const reasons = issues
    .filter((i) => i.severity === 'information' && i.diagnostics)
    .map((i) => bilingual(withoutSource(i.diagnostics ?? ''), lang));
  return { kind, reasons };
}

/** The age question of the triage Questionnaire (the server needs it answered for a routine level). */
export const AGE_ITEM = 'age-group';

/**
 * The triage age group of a patient born on `birthDate` (FHIR date) on `today` (YYYY-MM-DD), as
 * the Questionnaire's options: under 3 months, 3 to under 6 months, 6 months to under 5 years,
 * 5 to 15 years, 16 and over. Undefined when the record does not tell (no or a partial date that
 * leaves the group open).
 */
export function ageGroupOf(birthDate: string | undefined, today: string): string | undefined {
  if (!birthDate) return undefined;
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  if (by === undefined || Number.isNaN(by)) return undefined;
  if (bm === undefined || bd === undefined) {
    // Only the year (or month) is known: certain only for an adult.
    return ty - by - 1 >= 16 ? '16-plus' : undefined;
  }
  const months = (ty - by) * 12 + (tm - bm) - (td < bd ? 1 : 0);
  if (months < 0) return undefined;
  if (months < 3) return 'under-3-months';
  if (months < 6) return '3-to-6-months';
  if (months < 60) return '6-months-to-5-years';
  if (months < 16 * 12) return '5-to-15-years';
  return '16-plus';
}

/**
 * The questions a "follow-up, no new symptom" visit leaves out: what the new symptoms are and
 * since when. Fever, the danger signs (red flags, dengue warning signs) and rapid worsening are
 * still asked — the server's triage, and so the booking gate, needs them.
 */
export const FOLLOW_UP_SKIPS: readonly string[] = ['main-symptoms', 'symptom-duration'];

/** The Questionnaire without the given questions (at any depth). */
export function withoutItems(q: Questionnaire, skip: readonly string[]): Questionnaire {
  const strip = (items: QuestionnaireItem[] | undefined): QuestionnaireItem[] | undefined =>
    items?.filter((i) => !skip.includes(i.linkId)).map((i) => (i.item ? { ...i, item: strip(i.item) } : i));
  return { ...q, item: strip(q.item) };
}
