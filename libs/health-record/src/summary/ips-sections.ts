import type { FhirResource } from '../store/resource.repository';
import { type Label, SUMMARY_LABELS } from './summary-labels';

/**
 * The sections of the International Patient Summary this server fills, with their LOINC codes as
 * the HL7 IPS Implementation Guide fixes them: IPS IG 2.0.0 (STU 2, based on FHIR R4), profile
 * Composition-uv-ips (http://hl7.org/fhir/uv/ips/StructureDefinition/Composition-uv-ips), the
 * `section[...].code = $loinc#…` pattern of each slice (source read: HL7/fhir-ips,
 * input/fsh/profiles/CompositionUvIps.fsh): sectionProblems 11450-4, sectionAllergies 48765-2,
 * sectionMedications 10160-0 (the three required, 1..1), sectionImmunizations 11369-6,
 * sectionResults 30954-2, sectionVitalSigns 8716-3. The document type is LOINC 60591-5 (`type =
 * $loinc#60591-5`). Entries allowed per section are the slice's `entry only Reference(...)` types.
 * No `display` is sent with these LOINC codes: the IG's pattern fixes system and code only.
 */
export const LOINC = 'http://loinc.org';
export const IPS_DOCUMENT_TYPE = '60591-5';
export const IPS_COMPOSITION_PROFILE = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Composition-uv-ips';
export const IPS_BUNDLE_PROFILE = 'http://hl7.org/fhir/uv/ips/StructureDefinition/Bundle-uv-ips';

/** http://terminology.hl7.org/CodeSystem/list-empty-reason (HL7 Terminology, THO). */
export const LIST_EMPTY_REASON = 'http://terminology.hl7.org/CodeSystem/list-empty-reason';

const OBS_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';

export interface IpsSection {
  readonly key: keyof typeof SUMMARY_LABELS;
  readonly code: string;
  readonly label: Label;
  /** Resource types this section's entries may be (the IG's `entry only Reference(...)`). */
  readonly types: readonly string[];
  /** Whether a resource of the record belongs in this section. */
  readonly takes: (r: FhirResource) => boolean;
}

type Coded = { coding?: { system?: string; code?: string }[] };
const codes = (c: unknown): string[] =>
  ((c as Coded | undefined)?.coding ?? []).map((x) => x.code ?? '').filter(Boolean);
const field = (r: FhirResource, name: string): unknown => (r as Record<string, unknown>)[name];
const categoryCodes = (r: FhirResource): string[] =>
  ((field(r, 'category') as Coded[] | undefined) ?? []).flatMap((c) =>
    (c.coding ?? []).filter((x) => x.system === OBS_CATEGORY).map((x) => x.code ?? ''),
  );
const status = (r: FhirResource): string => String(field(r, 'status') ?? '');

/** Never in a summary: a record marked as written in error, or refuted. */
const inError = (r: FhirResource): boolean =>
  status(r) === 'entered-in-error' ||
  codes(field(r, 'verificationStatus')).some((c) => c === 'entered-in-error' || c === 'refuted');

export const IPS_SECTIONS: readonly IpsSection[] = [
  {
    // "clinical problems or conditions currently being monitored": not resolved, inactive or in remission
    key: 'problems',
    code: '11450-4',
    label: SUMMARY_LABELS.problems,
    types: ['Condition'],
    takes: (r) =>
      r.resourceType === 'Condition' &&
      !inError(r) &&
      !codes(field(r, 'clinicalStatus')).some(
        (c) => c === 'resolved' || c === 'inactive' || c === 'remission',
      ),
  },
  {
    key: 'allergies',
    code: '48765-2',
    label: SUMMARY_LABELS.allergies,
    types: ['AllergyIntolerance'],
    takes: (r) => r.resourceType === 'AllergyIntolerance' && !inError(r),
  },
  {
    // current medications: statements and requests that are active, on hold or intended
    key: 'medications',
    code: '10160-0',
    label: SUMMARY_LABELS.medications,
    types: ['MedicationStatement', 'MedicationRequest'],
    takes: (r) =>
      (r.resourceType === 'MedicationStatement' || r.resourceType === 'MedicationRequest') &&
      ['active', 'on-hold', 'intended'].includes(status(r)),
  },
  {
    key: 'immunizations',
    code: '11369-6',
    label: SUMMARY_LABELS.immunizations,
    types: ['Immunization'],
    takes: (r) => r.resourceType === 'Immunization' && status(r) === 'completed',
  },
  {
    key: 'results',
    code: '30954-2',
    label: SUMMARY_LABELS.results,
    types: ['Observation', 'DiagnosticReport'],
    takes: (r) =>
      !inError(r) &&
      ((r.resourceType === 'Observation' &&
        categoryCodes(r).some((c) => c === 'laboratory' || c === 'imaging' || c === 'procedure')) ||
        r.resourceType === 'DiagnosticReport'),
  },
  {
    // "notable vital signs … such as the most recent": the latest of each code (pickLatest)
    key: 'vitalSigns',
    code: '8716-3',
    label: SUMMARY_LABELS.vitalSigns,
    types: ['Observation'],
    takes: (r) => r.resourceType === 'Observation' && !inError(r) && categoryCodes(r).includes('vital-signs'),
  },
];

const when = (r: FhirResource): string =>
  String(
    field(r, 'effectiveDateTime') ??
      (field(r, 'effectivePeriod') as { start?: string } | undefined)?.start ??
      '',
  );

/** The most recent vital sign of each code (first coding's system|code, else its text). */
export function pickLatest(observations: readonly FhirResource[]): FhirResource[] {
  const byCode = new Map<string, FhirResource>();
  for (const o of observations) {
    const c = field(o, 'code') as (Coded & { text?: string }) | undefined;
    const first = c?.coding?.[0];
    const key = first ? `${first.system ?? ''}|${first.code ?? ''}` : (c?.text ?? o.id ?? '');
    const held = byCode.get(key);
    if (!held || when(o) > when(held)) byCode.set(key, o);
  }
  return [...byCode.values()];
}
