/** Small helpers for reading FHIR resources in the record area (no network here except `fetchAll`). */
import { api, type Bundle, type FhirResource, resources } from '../api';
import { localDay } from '../format';

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}
export interface CodeableConcept {
  text?: string;
  coding?: Coding[];
}
export interface Reference {
  reference?: string;
  display?: string;
  identifier?: { value?: string };
}

/** A CodeableConcept as a person reads it: its text, else a coding's display, else the code. */
export function conceptText(cc: CodeableConcept | undefined): string {
  if (!cc) return '';
  if (cc.text) return cc.text;
  const withDisplay = cc.coding?.find((c) => c.display);
  if (withDisplay?.display) return withDisplay.display;
  return cc.coding?.find((c) => c.code)?.code ?? '';
}

/** The code shown next to a display (e.g. the ICD-10 code), when there is one. */
export function conceptCode(cc: CodeableConcept | undefined): string {
  return cc?.coding?.find((c) => c.code)?.code ?? '';
}

export function hasCode(cc: CodeableConcept | undefined, codes: readonly string[]): boolean {
  return (cc?.coding ?? []).some((c) => c.code !== undefined && codes.includes(c.code));
}

/** `Type/id` → id (also from absolute references); undefined for other types. */
export function refId(ref: Reference | string | undefined, type: string): string | undefined {
  const r = typeof ref === 'string' ? ref : ref?.reference;
  if (!r) return undefined;
  const m = /(?:^|\/)([A-Za-z]+)\/([^/]+)$/.exec(r.replace(/\/_history\/[^/]+$/, ''));
  return m && m[1] === type ? m[2] : undefined;
}

/** The calendar year of a FHIR date or instant, in Asia/Ho_Chi_Minh. */
export function yearOf(value: string): string {
  if (/^\d{4}(-\d{2}(-\d{2})?)?$/.test(value)) return value.slice(0, 4);
  return localDay(value).slice(0, 4);
}

/** A sortable instant for a FHIR date (a day without time counts as its start, UTC). */
export function timeOf(value: string | undefined): number {
  if (!value) return Number.NEGATIVE_INFINITY;
  const t = Date.parse(value.length === 4 ? `${value}-01-01` : value.length === 7 ? `${value}-01` : value);
  return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
}

/** A server `next` link (often absolute) as a path on this origin. */
export function relativeUrl(url: string): string {
  const u = new URL(url, 'http://local.invalid');
  return u.pathname + u.search;
}

/** Every resource of a search, following `next` links (at most `maxPages` pages). */
export async function fetchAll<T = FhirResource>(
  path: string,
  maxPages = 40,
): Promise<{ items: T[]; complete: boolean }> {
  const out: T[] = [];
  let next: string | undefined = path;
  for (let page = 0; next && page < maxPages; page++) {
    const bundle: Bundle<T> = await api<Bundle<T>>(next);
    out.push(...resources(bundle));
    const link = bundle.link?.find((l) => l.relation === 'next')?.url;
    next = link ? relativeUrl(link) : undefined;
  }
  return { items: out, complete: next === undefined };
}
