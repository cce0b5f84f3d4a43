import {
  BHYT_SYSTEM,
  CCCD_SYSTEM,
  extractIndex,
  type IndexEntry,
  parseReference,
  patientCompartmentOf,
} from '@mekong/fhir';
import { FhirError } from '../fhir-error';

/** The current compartments of a stored resource (`[]` when it does not exist). */
export type CompartmentLookup = (type: string, id: string) => Promise<readonly string[]>;

/** How deep Bundles inside Bundles are followed (a document in a message in a collection...). */
const MAX_BUNDLE_DEPTH = 4;

/**
 * Types that gather other resources, possibly of several patients (a document, a cohort, a list,
 * a linkage, a provenance record): they belong to the patients of everything they name — by
 * reference anywhere in them, or held inline — and are readable only by a caller who reaches *all*
 * of those patients (a Group of two patients tells each one's doctor nothing about the other).
 */
export const GATHERING_TYPES: ReadonlySet<string> = new Set([
  'Bundle',
  'Group',
  'List',
  'Linkage',
  'Composition',
  'DocumentManifest',
  'Provenance',
  'Basic',
  'MeasureReport',
]);

/** Identifier systems that identify a patient in this record (a CCCD is unique per Patient). */
const PATIENT_ID_SYSTEMS: ReadonlySet<string> = new Set([CCCD_SYSTEM, BHYT_SYSTEM]);

type Json = { resourceType: string; id?: string } & Record<string, unknown>;

function isResource(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && typeof (value as Json).resourceType === 'string';
}

function containedOf(resource: Json): Json[] {
  return Array.isArray(resource.contained) ? resource.contained.filter(isResource) : [];
}

/**
 * The patients a contained resource names through its own compartment parameters. A contained
 * Patient is no stored patient: its local id names nobody (only a Patient it links to counts).
 */
function patientsOfContained(c: Json): string[] {
  const own = c.resourceType === 'Patient' ? '' : String(c.id ?? '');
  return patientCompartmentOf(c.resourceType, own, extractIndex(c)).filter((p) => p !== '');
}

/** Calls `visit` with every literal `reference` string in a JSON value, contained resources included. */
function eachReference(value: unknown, visit: (reference: string) => void): void {
  if (Array.isArray(value)) {
    for (const v of value) eachReference(v, visit);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [k, v] of Object.entries(value)) {
    if (k === 'reference' && typeof v === 'string') visit(v);
    else eachReference(v, visit);
  }
}

/**
 * The patients a gathering resource names: a Patient it refers to, and the current compartments of
 * every other resource it refers to (as that resource stands when the gathering one is written).
 */
async function linkedPatients(resource: Json, lookup: CompartmentLookup): Promise<string[]> {
  const targets = new Map<string, [string, string]>();
  eachReference(resource, (reference) => {
    const parsed = parseReference(reference);
    if (parsed?.targetType && parsed.targetId)
      targets.set(`${parsed.targetType}/${parsed.targetId}`, [parsed.targetType, parsed.targetId]);
  });
  const out = new Set<string>();
  for (const [type, id] of targets.values()) {
    if (type === 'Patient') out.add(id);
    else for (const p of await lookup(type, id)) out.add(p);
  }
  return [...out];
}

/**
 * The patients whose compartment holds a resource — what every access decision on it (and on
 * every version of it) is made against:
 * - a type of the official Patient CompartmentDefinition: the patients its compartment parameters
 *   reference (`patientCompartmentOf`), and those its contained resources name the same way;
 * - Binary, which has no compartment parameter: those of its `securityContext` (a Patient itself,
 *   or the current compartments of the resource it names) — FHIR R4 §Binary "Security": access to
 *   the Binary follows access to that resource;
 * - Bundle (a stored document or collection): the patients of every resource it holds;
 * - the other gathering types (GATHERING_TYPES: Group, List, Linkage, Composition...): besides their
 *   compartment parameters, every patient they name by any reference (Group.member.entity,
 *   List.entry.item, Linkage.item.resource, Provenance.target...);
 * - anything else: none (then only the directory allow-list is readable without a system scope).
 *
 * Rows stored before the write rules of `assertPatientLinks` may break them; they get the union.
 */
export async function compartmentsOf(
  resource: { resourceType: string; id?: string } & Record<string, unknown>,
  lookup: CompartmentLookup,
  entries: readonly IndexEntry[] = extractIndex(resource),
  depth = 0,
): Promise<string[]> {
  const type = resource.resourceType;
  if (type === 'Binary') {
    const ref = (resource.securityContext as { reference?: unknown } | undefined)?.reference;
    const m =
      typeof ref === 'string'
        ? /^(?:.*\/)?([A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/.*)?$/.exec(ref)
        : null;
    if (!m) return [];
    const [, t, id] = m as unknown as [string, string, string];
    return t === 'Patient' ? [id] : [...(await lookup(t, id))].sort();
  }
  if (type === 'Bundle') {
    if (depth >= MAX_BUNDLE_DEPTH) return [];
    const all = new Set<string>();
    for (const e of (resource.entry as { resource?: unknown }[] | undefined) ?? []) {
      const inner = e?.resource;
      if (!isResource(inner)) continue;
      for (const c of await compartmentsOf(inner, lookup, extractIndex(inner), depth + 1)) all.add(c);
    }
    return [...all].sort();
  }
  const all = new Set(patientCompartmentOf(type, String(resource.id ?? ''), entries));
  for (const c of containedOf(resource)) for (const p of patientsOfContained(c)) all.add(p);
  if (GATHERING_TYPES.has(type)) for (const p of await linkedPatients(resource, lookup)) all.add(p);
  return [...all].sort();
}

const refuse = (diagnostics: string, expression: string): never => {
  throw new FhirError(422, 'business-rule', diagnostics, [expression]);
};

/**
 * The write rules that keep every patient a resource names inside its compartments (checked on
 * every write, not on stored rows; 422 `business-rule`):
 * - a Reference naming a patient by identifier only (`{identifier: {system: CCCD, value}}`, or
 *   `type: 'Patient'` with no `reference`) is refused: a patient is named by `Patient/id`, which
 *   the access rules and the reference check resolve; an identifier would put data about them
 *   outside their compartment;
 * - a contained Patient carries no identifier (a copy of a registered patient's identity would sit
 *   outside that patient's record): register the patient and refer to `Patient/id`;
 * - outside the gathering types, contained resources name only patients the resource itself
 *   belongs to (a DiagnosticReport of A holding an Observation of B would show B's result to A's
 *   doctors, who may read the report).
 */
export function assertPatientLinks(resource: Json, entries: readonly IndexEntry[]): void {
  const type = resource.resourceType;
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${path}[${i}]`));
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const o = value as Record<string, unknown>;
    const ident = o.identifier;
    if (
      !isResource(o) &&
      o.reference === undefined &&
      typeof ident === 'object' &&
      ident !== null &&
      !Array.isArray(ident) &&
      (o.type === 'Patient' || PATIENT_ID_SYSTEMS.has(String((ident as { system?: unknown }).system)))
    ) {
      refuse(
        `${path}: a patient is referred to as Patient/id, not by identifier / Bệnh nhân phải được tham chiếu bằng Patient/id, không bằng số định danh`,
        path,
      );
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
  };
  walk(resource, type);
  const own = new Set(patientCompartmentOf(type, String(resource.id ?? ''), entries));
  containedOf(resource).forEach((c, i) => {
    const path = `${type}.contained[${i}]`;
    if (c.resourceType === 'Patient' && Array.isArray(c.identifier) && c.identifier.length > 0)
      refuse(
        `${path}: a contained Patient may not carry identifiers — register the patient and refer to Patient/id / Bệnh nhân lồng trong tài nguyên không được mang số định danh`,
        `${path}.identifier`,
      );
    if (GATHERING_TYPES.has(type)) return;
    if (patientsOfContained(c).some((p) => !own.has(p)))
      refuse(
        `${path}: a contained resource may name only the patients of the ${type} that holds it / Tài nguyên lồng trong chỉ được thuộc về bệnh nhân của ${type} chứa nó`,
        path,
      );
  });
}
