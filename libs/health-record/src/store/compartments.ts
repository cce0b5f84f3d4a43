import { extractIndex, type IndexEntry, patientCompartmentOf } from '@mekong/fhir';

/** The current compartments of a stored resource (`[]` when it does not exist). */
export type CompartmentLookup = (type: string, id: string) => Promise<readonly string[]>;

/** How deep Bundles inside Bundles are followed (a document in a message in a collection...). */
const MAX_BUNDLE_DEPTH = 4;

/**
 * The patients whose compartment holds a resource — what every access decision on it (and on
 * every version of it) is made against:
 * - a type of the official Patient CompartmentDefinition: the patients its compartment parameters
 *   reference (`patientCompartmentOf`);
 * - Binary, which has no compartment parameter: those of its `securityContext` (a Patient itself,
 *   or the current compartments of the resource it names) — FHIR R4 §Binary "Security": access to
 *   the Binary follows access to that resource;
 * - Bundle (a stored document or collection): the patients of every resource it holds;
 * - anything else: none (then only the directory allow-list is readable without a system scope).
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
      const inner = e?.resource as ({ resourceType?: unknown } & Record<string, unknown>) | undefined;
      if (!inner || typeof inner.resourceType !== 'string') continue;
      const r = inner as { resourceType: string } & Record<string, unknown>;
      for (const c of await compartmentsOf(r, lookup, extractIndex(r), depth + 1)) all.add(c);
    }
    return [...all].sort();
  }
  return patientCompartmentOf(type, String(resource.id ?? ''), entries);
}
