import { type IndexEntry, isResourceType, searchParametersFor } from '@mekong/fhir';
import { FhirError } from '../fhir-error';
import type { ScopePredicate } from '../search/search.service';
import { assertPatientLinks } from './compartments';
import type { FhirResource } from './resource.repository';

/** A reference the written resource makes to another resource, checked at commit. */
export interface PendingReference {
  readonly from: string;
  readonly expression: string;
  readonly type: string;
  readonly id: string;
  /** A versioned reference (`Type/id/_history/n`) must name an existing version. */
  readonly version?: number;
  /** What the target must pass besides existing: the writer's access predicate (undefined: none). */
  readonly scope?: ScopePredicate;
}

const RELATIVE_REFERENCE = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/([1-9]\d{0,8}))?$/;

/**
 * The references a resource makes that must resolve in this server, appended to `out`. Throws 422
 * when a search parameter's allowed target types exclude a reference's type, and 400/422 when a
 * reference is neither relative (`Type/id[/_history/n]`), contained (`#id`) nor an absolute URL.
 */
export function collectReferences(
  resource: FhirResource,
  entries: readonly IndexEntry[],
  out: PendingReference[],
  scope?: ScopePredicate,
): PendingReference[] {
  const type = resource.resourceType;
  const id = String(resource.id);
  // The type a search parameter allows (e.g. Observation.subject: Patient, Group, Device, Location).
  const params = searchParametersFor(type);
  assertPatientLinks(resource, entries);
  for (const e of entries) {
    if (e.kind !== 'reference' || !e.targetType || /^[a-z][a-z0-9+.-]*:/i.test(e.reference)) continue;
    const allowed = params.get(e.param)?.target ?? [];
    if (allowed.length > 0 && !allowed.includes(e.targetType)) {
      throw new FhirError(422, 'business-rule', `${type}.${e.param} may not refer to a ${e.targetType}`, [
        `${type}.${e.param}`,
      ]);
    }
  }
  // Every relative reference anywhere in the resource, its contained resources included, must be
  // well-formed and resolve.
  walkReferences(resource, type, (reference, path) => {
    if (reference.startsWith('#') || /^https?:\/\//.test(reference)) return;
    const m = RELATIVE_REFERENCE.exec(reference);
    if (!m || !isResourceType(m[1] as string)) {
      const urn = reference.startsWith('urn:');
      throw new FhirError(
        urn ? 422 : 400,
        urn ? 'business-rule' : 'value',
        `${path}: '${reference}' is not a resolvable reference (Type/id)`,
        [path],
      );
    }
    if (m[1] === type && m[2] === id && m[3] === undefined) return;
    out.push({
      from: `${type}/${id}`,
      expression: path,
      type: m[1] as string,
      id: m[2] as string,
      version: m[3] ? Number(m[3]) : undefined,
      scope,
    });
  });
  return out;
}

/**
 * Calls `visit` with every `reference` string of a JSON resource and its FHIRPath-like location,
 * in its contained resources too (their `#id` references are skipped by the caller).
 */
function walkReferences(
  value: unknown,
  path: string,
  visit: (reference: string, path: string) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkReferences(v, `${path}[${i}]`, visit));
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') visit(v, `${path}.reference`);
    else walkReferences(v, `${path}.${k}`, visit);
  }
}
