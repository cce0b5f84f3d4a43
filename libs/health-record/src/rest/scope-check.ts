import { type Principal, scopeCovers } from '@mekong/auth';
import { patientCompartmentTypes } from '@mekong/fhir';
import { FhirError } from '../fhir-error';
import type { TypeGate } from '../search/search.service';

export type Permission = 'c' | 'r' | 'u' | 'd' | 's';

/** Whether some granted scope covers `<context>/<Type>.<perm>` in the patient/, user/ or system/ context. */
export function scopeAllows(principal: Principal, type: string, perm: Permission): boolean {
  return (['patient', 'user', 'system'] as const).some((ctx) =>
    principal.scopes.some((granted) => scopeCovers(granted, `${ctx}/${type}.${perm}`)),
  );
}

/**
 * SMART v2 scope check (type level): some granted scope must cover `<context>/<Type>.<perm>`.
 * Which patients a caller may reach (compartment, consent, care relationship) is the access
 * layer's decision on top of this.
 */
export function assertScope(principal: Principal | undefined, type: string, perm: Permission): void {
  if (!principal) throw new FhirError(401, 'login', 'Authorization: Bearer <token> required');
  if (!scopeAllows(principal, type, perm))
    throw new FhirError(403, 'forbidden', `Token scopes do not allow ${perm} on ${type}`);
}

/**
 * The types beyond the one in the URL that a request may return or look into (includes,
 * `$everything`, chains): read for what it returns, search for what it matches on. Undefined when
 * the token's scopes cover every type with both, so full-scope requests run unchanged.
 */
export function typeGate(principal: Principal): TypeGate | undefined {
  const all = (['patient', 'user', 'system'] as const).some((ctx) =>
    principal.scopes.some((granted) => scopeCovers(granted, `${ctx}/*.rs`)),
  );
  if (all) return undefined;
  return (type, perm) => scopeAllows(principal, type, perm);
}

/**
 * `Patient/{id}/$everything` needs read on some type of the patient's compartment (or Patient):
 * it then returns only the types the token may read.
 */
export function assertEverythingScope(principal: Principal | undefined): void {
  if (!principal) throw new FhirError(401, 'login', 'Authorization: Bearer <token> required');
  const types = ['Patient', ...patientCompartmentTypes()];
  if (!types.some((t) => scopeAllows(principal, t, 'r')))
    throw new FhirError(403, 'forbidden', 'Token scopes allow reading no type of a patient’s record');
}
