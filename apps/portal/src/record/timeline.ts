/**
 * The lifelong record as a timeline: each clinical resource of `$everything` becomes one entry of
 * a kind a person understands (visit, vital sign, diagnosis...), grouped by year, newest first.
 */
import { type FhirResource } from '../api';
import { type CodeableConcept, timeOf, yearOf } from './fhir-util';

export const KINDS = [
  'visit',
  'vital',
  'result',
  'diagnosis',
  'allergy',
  'medication',
  'vaccination',
  'document',
  'note',
] as const;
export type Kind = (typeof KINDS)[number];

export interface TimelineEntry {
  kind: Kind;
  /** `Type/id`, unique in the record. */
  key: string;
  /** The date the entry is placed at (FHIR date or instant), if the resource has one. */
  date?: string;
  resource: FhirResource;
}

export interface YearGroup {
  /** Four-digit year, or '' for entries without a date. */
  year: string;
  entries: TimelineEntry[];
}

type R = FhirResource & Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);
const period = (v: unknown): string | undefined => {
  const p = v as { start?: string; end?: string } | undefined;
  return str(p?.start) ?? str(p?.end);
};

export function isVitalSign(r: FhirResource): boolean {
  const cats = (r as { category?: CodeableConcept[] }).category ?? [];
  return cats.some((c) => (c.coding ?? []).some((x) => x.code === 'vital-signs'));
}

/** The kind of a resource on the timeline, or undefined when it is not shown there. */
export function kindOf(r: FhirResource): Kind | undefined {
  switch (r.resourceType) {
    case 'Encounter':
      return 'visit';
    case 'Observation':
      return isVitalSign(r) ? 'vital' : 'result';
    case 'Condition':
      return 'diagnosis';
    case 'AllergyIntolerance':
      return 'allergy';
    case 'MedicationRequest':
    case 'MedicationStatement':
      return 'medication';
    case 'Immunization':
      return 'vaccination';
    case 'DocumentReference':
      return 'document';
    case 'ClinicalImpression':
      return 'note';
    default:
      return undefined;
  }
}

/** When a resource happened (the clinically meaningful date first, then when it was recorded). */
export function dateOf(resource: FhirResource): string | undefined {
  const r = resource as R;
  switch (r.resourceType) {
    case 'Encounter':
      return period(r.period);
    case 'Observation':
      return (
        str(r.effectiveDateTime) ?? period(r.effectivePeriod) ?? str(r.effectiveInstant) ?? str(r.issued)
      );
    case 'Condition':
      return str(r.onsetDateTime) ?? period(r.onsetPeriod) ?? str(r.recordedDate);
    case 'AllergyIntolerance':
      return str(r.onsetDateTime) ?? str(r.recordedDate) ?? str(r.lastOccurrence);
    case 'MedicationRequest':
      return str(r.authoredOn);
    case 'MedicationStatement':
      return str(r.effectiveDateTime) ?? period(r.effectivePeriod) ?? str(r.dateAsserted);
    case 'Immunization':
      return str(r.occurrenceDateTime) ?? str(r.recorded);
    case 'DocumentReference':
      return str(r.date) ?? period((r.context as { period?: unknown } | undefined)?.period);
    case 'ClinicalImpression':
      return str(r.date) ?? str(r.effectiveDateTime) ?? period(r.effectivePeriod);
    default:
      return undefined;
  }
}

export function toEntries(all: readonly FhirResource[]): TimelineEntry[] {
  const seen = new Set<string>();
  const out: TimelineEntry[] = [];
  for (const resource of all) {
    const kind = kindOf(resource);
    if (!kind) continue;
    const key = `${resource.resourceType}/${resource.id ?? out.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind, key, date: dateOf(resource), resource });
  }
  return out;
}

/** Entries of the chosen kinds (all when none chosen), grouped by year, newest first; undated last. */
export function groupByYear(entries: readonly TimelineEntry[], kinds?: ReadonlySet<Kind>): YearGroup[] {
  const chosen = entries.filter((e) => !kinds || kinds.size === 0 || kinds.has(e.kind));
  const sorted = [...chosen].sort((a, b) => timeOf(b.date) - timeOf(a.date) || a.key.localeCompare(b.key));
  const groups: YearGroup[] = [];
  for (const e of sorted) {
    const year = e.date ? yearOf(e.date) : '';
    const last = groups[groups.length - 1];
    if (last && last.year === year) last.entries.push(e);
    else groups.push({ year, entries: [e] });
  }
  return groups;
}

/** How many entries of each kind (for the filter chips). */
export function countByKind(entries: readonly TimelineEntry[]): Record<Kind, number> {
  const counts = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<Kind, number>;
  for (const e of entries) counts[e.kind] += 1;
  return counts;
}
