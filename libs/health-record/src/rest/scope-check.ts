import { type Principal, scopeCovers } from '@mekong/auth';
import { FhirError } from '../fhir-error';

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/**
 * SMART v2 scope check (type level): some granted scope must cover `<context>/<Type>.<perm>`.
 * Which patients a caller may reach (compartment, consent, care relationship) is the access
 * layer's decision on top of this.
 */
export function assertScope(principal: Principal | undefined, type: string, perm: Permission): void {
  if (!principal) throw new FhirError(401, 'login', 'Authorization: Bearer <token> required');
  const ok = (['patient', 'user', 'system'] as const).some((ctx) =>
    principal.scopes.some((granted) => scopeCovers(granted, `${ctx}/${type}.${perm}`)),
  );
  if (!ok) throw new FhirError(403, 'forbidden', `Token scopes do not allow ${perm} on ${type}`);
}
