/** Where doctors work, for the sharing screen (issue 18 item 15: "show the recipient's facility"). */
import { fhir, resources } from '../api';
import { loadNames } from './names';

interface RoleShape {
  resourceType: string;
  active?: boolean;
  practitioner?: { reference?: string };
  organization?: { reference?: string };
}

/**
 * `Practitioner/id` → the names of the facilities where they hold a role (PractitionerRole, the
 * directory the booking screen reads too), comma-separated. A lookup that fails leaves them out:
 * the name alone is shown.
 */
export async function loadFacilities(practitioners: readonly string[]): Promise<Map<string, string>> {
  const refs = [...new Set(practitioners.filter((r) => r.startsWith('Practitioner/')))];
  const out = new Map<string, string>();
  if (refs.length === 0) return out;
  try {
    const bundle = await fhir.search<RoleShape>('PractitionerRole', {
      practitioner: refs.join(','),
      _count: '100',
    });
    const roles = resources(bundle).filter((r) => r.active !== false);
    const names = await loadNames(roles.map((r) => r.organization?.reference));
    const byPractitioner = new Map<string, Set<string>>();
    for (const r of roles) {
      const who = r.practitioner?.reference;
      const place = r.organization?.reference && names.get(r.organization.reference);
      if (!who || !place) continue;
      if (!byPractitioner.has(who)) byPractitioner.set(who, new Set());
      byPractitioner.get(who)?.add(place);
    }
    for (const [who, places] of byPractitioner) out.set(who, [...places].join(', '));
  } catch {
    /* a nicety: the doctor's name is still shown */
  }
  return out;
}
