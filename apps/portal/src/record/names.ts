/** Names of the people and places a record refers to (directory data), looked up in one search per type. */
import { fhir, humanName, resources } from '../api';

const TYPES = ['Practitioner', 'Organization', 'Patient', 'RelatedPerson'] as const;

/** `Type/id` → display name; references that cannot be read are simply left out. */
export async function loadNames(references: readonly (string | undefined)[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const byType = new Map<string, Set<string>>();
  for (const ref of references) {
    if (!ref) continue;
    const [type, id] = ref.split('/');
    if (!type || !id || !(TYPES as readonly string[]).includes(type)) continue;
    if (!byType.has(type)) byType.set(type, new Set());
    byType.get(type)?.add(id);
  }
  await Promise.all(
    [...byType].map(async ([type, ids]) => {
      try {
        const bundle = await fhir.search<{ resourceType: string; id?: string; name?: unknown }>(type, {
          _id: [...ids].join(','),
          _count: String(Math.max(ids.size, 1)),
        });
        for (const r of resources(bundle)) {
          const n = typeof r.name === 'string' ? r.name : humanName(r as Parameters<typeof humanName>[0]);
          if (r.id && n) names.set(`${type}/${r.id}`, n);
        }
      } catch {
        /* names are a nicety: the reference is shown instead */
      }
    }),
  );
  return names;
}
