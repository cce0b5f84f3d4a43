import { unstorableText } from '@mekong/common';
import { FhirError } from '../fhir-error';

/** One `name[:modifier]=v1,v2` query parameter: its values are ORed; repeated parameters are ANDed. */
export interface ParamClause {
  readonly name: string;
  readonly modifier?: string;
  /** `subject:Patient.name` → chain ['name'] after the reference parameter `subject`. */
  readonly chain: readonly string[];
  readonly values: readonly string[];
}

export interface SortKey {
  readonly param: string;
  readonly descending: boolean;
}

/** A parsed FHIR search: filters plus the result parameters that shape the Bundle. */
export interface SearchRequest {
  readonly clauses: readonly ParamClause[];
  readonly count: number;
  readonly sort: readonly SortKey[];
  readonly total: 'none' | 'estimate' | 'accurate';
  readonly summary?: 'true' | 'count' | 'false' | 'data' | 'text';
  readonly elements?: readonly string[];
  readonly include: readonly { spec: string; iterate: boolean }[];
  readonly revinclude: readonly { spec: string; iterate: boolean }[];
  readonly cursor?: string;
}

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 1000;
const IGNORED = new Set(['_format', '_pretty']);

/** Splits on commas not escaped with a backslash (FHIR search escaping), unescaping `\,` `\$` `\|`. */
export function splitValues(raw: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === '\\' && i + 1 < raw.length) {
      cur += raw[++i];
    } else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * `_count`: a non-negative integer (a negative one reached SQL's LIMIT), at most MAX_COUNT;
 * `fallback` when absent.
 */
export function parseCount(raw: string | undefined, fallback: number, min = 0): number {
  if (raw === undefined) return fallback;
  const n = /^\d{1,9}$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < min)
    throw new FhirError(400, 'invalid', `_count must be an integer of at least ${min}, got '${raw}'`);
  return Math.min(n, MAX_COUNT);
}

/** Refuses search input PostgreSQL cannot compare (NUL, lone surrogates): 400, before any SQL. */
export function assertSearchText(name: string, value: string): void {
  const why = unstorableText(name) ?? unstorableText(value);
  if (why)
    throw new FhirError(400, 'invalid', `Search parameter ${JSON.stringify(name.replace(/\0/g, ''))} ${why}`);
}

function single(name: string, values: string[]): string {
  if (values.length !== 1) throw new FhirError(400, 'invalid', `${name} may be given once`);
  return values[0] as string;
}

/** Parses query pairs (GET query string or POST _search form) into a SearchRequest. */
export function parseSearchRequest(pairs: readonly [string, string][]): SearchRequest {
  const grouped = new Map<string, string[]>();
  for (const [k, v] of pairs) {
    assertSearchText(k, v);
    grouped.set(k, [...(grouped.get(k) ?? []), v]);
  }
  const clauses: ParamClause[] = [];
  let count = DEFAULT_COUNT;
  let sort: SortKey[] = [];
  let total: SearchRequest['total'] = 'none';
  let summary: SearchRequest['summary'];
  let elements: string[] | undefined;
  let cursor: string | undefined;
  const include: { spec: string; iterate: boolean }[] = [];
  const revinclude: { spec: string; iterate: boolean }[] = [];

  for (const [key, values] of grouped) {
    if (IGNORED.has(key)) continue;
    switch (key) {
      case '_count':
        count = parseCount(single(key, values), DEFAULT_COUNT);
        break;
      case '_sort':
        sort = splitValues(single(key, values)).map((s) => ({
          param: s.replace(/^-/, ''),
          descending: s.startsWith('-'),
        }));
        break;
      case '_total': {
        const t = single(key, values);
        if (t !== 'none' && t !== 'estimate' && t !== 'accurate')
          throw new FhirError(400, 'invalid', '_total must be none, estimate or accurate');
        total = t;
        break;
      }
      case '_summary': {
        const s = single(key, values);
        if (!['true', 'count', 'false', 'data', 'text'].includes(s))
          throw new FhirError(400, 'invalid', '_summary must be true, count, false, data or text');
        summary = s as SearchRequest['summary'];
        break;
      }
      case '_elements':
        elements = values
          .flatMap(splitValues)
          .map((e) => e.trim())
          .filter(Boolean);
        break;
      case '_cursor':
        cursor = single(key, values);
        break;
      default: {
        const m = /^(_include|_revinclude)(?::(iterate|recurse))?$/.exec(key);
        if (m) {
          for (const spec of values)
            (m[1] === '_include' ? include : revinclude).push({ spec, iterate: m[2] !== undefined });
          break;
        }
        const [head, ...chain] = key.split('.');
        const [name, modifier] = (head as string).split(':') as [string, string | undefined];
        for (const v of values) clauses.push({ name, modifier, chain, values: splitValues(v) });
      }
    }
  }
  return { clauses, count, sort, total, summary, elements, include, revinclude, cursor };
}
