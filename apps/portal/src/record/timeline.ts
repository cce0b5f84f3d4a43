/**
 * The lifelong record as a timeline: each clinical resource of `$everything` becomes one entry of
 * a kind a person understands (visit, vital sign, diagnosis...), grouped by year, newest first.
 */
import { type FhirResource } from '../api';
import { type CodeableConcept, hasCode, timeOf, yearOf } from './fhir-util';
import { VITALS } from './vitals';

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
  /**
   * A vitals set: every Observation measured at the same time (the station's form writes them in
   * one transaction with one time), with the server's NEWS2 Observation for that time — one card.
   */
  members?: FhirResource[];
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

/** SNOMED CT "NEWS2 total score", the code of the server's NEWS2 Observation (docs/care.md). */
export const NEWS2_SCT = '1104051000000101';
/** LOINC codes of a vitals set beyond VITALS: level of responsiveness (ACVPU), inhaled O2 flow and concentration. */
export const AVPU_LOINC = '67775-7';
export const O2_FLOW_LOINC = '3151-8';
export const FIO2_LOINC = '3150-0';
const SET_CODES = [...VITALS.flatMap((v) => v.codes), AVPU_LOINC, O2_FLOW_LOINC, FIO2_LOINC];

export function isNews2(r: FhirResource): boolean {
  return r.resourceType === 'Observation' && hasCode((r as { code?: CodeableConcept }).code, [NEWS2_SCT]);
}

/** A vital sign: categorised so, or coded as one of the vitals a set holds, whoever wrote it. */
export function isVitalSign(r: FhirResource): boolean {
  const cats = (r as { category?: CodeableConcept[] }).category ?? [];
  return (
    cats.some((c) => (c.coding ?? []).some((x) => x.code === 'vital-signs')) ||
    hasCode((r as { code?: CodeableConcept }).code, SET_CODES)
  );
}

/** The kind of a resource on the timeline, or undefined when it is not shown there. */
export function kindOf(r: FhirResource): Kind | undefined {
  switch (r.resourceType) {
    case 'Encounter':
      return 'visit';
    case 'Observation':
      return isVitalSign(r) || isNews2(r) ? 'vital' : 'result';
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

/**
 * The timeline's entries; the vital signs measured at one time are one entry (a set), its NEWS2
 * Observation included unless `news2` is false (a patient's own view: the score is for clinicians).
 */
export function toEntries(all: readonly FhirResource[], o: { news2?: boolean } = {}): TimelineEntry[] {
  const seen = new Set<string>();
  const out: TimelineEntry[] = [];
  const sets = new Map<number, TimelineEntry>();
  for (const resource of all) {
    const kind = kindOf(resource);
    if (!kind) continue;
    const key = `${resource.resourceType}/${resource.id ?? out.length}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const date = dateOf(resource);
    if (kind === 'vital') {
      if (o.news2 === false && isNews2(resource)) continue;
      const status = (resource as { status?: string }).status;
      if (status === 'entered-in-error' || status === 'cancelled') continue;
      const time = timeOf(date);
      const set = sets.get(time);
      if (set) {
        set.members?.push(resource);
        continue;
      }
      const entry: TimelineEntry = { kind, key: `vitals/${key}`, date, resource, members: [resource] };
      if (date) sets.set(time, entry);
      out.push(entry);
      continue;
    }
    out.push({ kind, key, date, resource });
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
