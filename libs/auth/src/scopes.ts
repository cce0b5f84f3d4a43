import type { PrincipalRole } from './roles';

/** A SMART on FHIR v2 resource scope, e.g. `patient/Observation.rs` (v1 `.read`/`.write`/`.*` accepted). */
export interface ResourceScope {
  readonly context: 'patient' | 'user' | 'system';
  readonly type: string;
  readonly permissions: ReadonlySet<'c' | 'r' | 'u' | 'd' | 's'>;
}

const RESOURCE_SCOPE = /^(patient|user|system)\/(\*|[A-Z][A-Za-z]+)\.(\*|read|write|c?r?u?d?s?)$/;
/** Non-resource scopes this server understands. */
export const IDENTITY_SCOPES = ['openid', 'fhirUser', 'offline_access', 'launch/patient'] as const;

export function parseResourceScope(scope: string): ResourceScope | undefined {
  const m = RESOURCE_SCOPE.exec(scope);
  if (!m || m[3] === '') return undefined;
  const [, context, type, perms] = m;
  const letters =
    perms === '*' ? 'cruds' : perms === 'read' ? 'rs' : perms === 'write' ? 'cud' : (perms as string);
  return {
    context: context as ResourceScope['context'],
    type: type as string,
    permissions: new Set(letters.split('') as ('c' | 'r' | 'u' | 'd' | 's')[]),
  };
}

export function isKnownScope(scope: string): boolean {
  return (IDENTITY_SCOPES as readonly string[]).includes(scope) || parseResourceScope(scope) !== undefined;
}

/** True when `granted` allows everything `requested` asks for. */
export function scopeCovers(granted: string, requested: string): boolean {
  if (granted === requested) return true;
  const g = parseResourceScope(granted);
  const r = parseResourceScope(requested);
  if (!g || !r || g.context !== r.context) return false;
  if (g.type !== '*' && g.type !== r.type) return false;
  return [...r.permissions].every((p) => g.permissions.has(p));
}

/** The most a role may be granted; the access layer narrows it further per patient and consent. */
export function maximumScopes(role: PrincipalRole): string[] {
  switch (role) {
    case 'patient':
      return ['openid', 'fhirUser', 'offline_access', 'launch/patient', 'patient/*.cruds'];
    case 'practitioner':
    case 'clinic-staff':
    case 'admin':
      return ['openid', 'fhirUser', 'offline_access', 'user/*.cruds'];
    case 'system':
      return ['system/*.cruds'];
  }
}

/**
 * The scopes to grant: all of `allowed` when nothing is requested, else exactly the requested
 * scopes, each of which must be known and covered by `allowed` (else `undefined`: invalid_scope).
 */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): string[] | undefined {
  const wanted = (requested ?? '').split(/\s+/).filter(Boolean);
  if (wanted.length === 0) return [...allowed];
  for (const s of wanted) {
    if (!isKnownScope(s) || !allowed.some((a) => scopeCovers(a, s))) return undefined;
  }
  return [...new Set(wanted)];
}

/** A route's requirement: account self-service — any valid token of an active account. */
export const SELF_SERVICE = 'self-service';
/** A route's requirement: the FHIR API — some resource scope; the handler checks its type's. */
export const PER_RESOURCE_TYPE = 'per-resource-type';

/**
 * Whether scopes meet a route's or event's declared requirement: SELF_SERVICE, PER_RESOURCE_TYPE,
 * or `Type.perms` covered in the patient/, user/ or system/ context. Identity scopes (openid,
 * fhirUser, offline_access, launch/patient) meet no resource requirement.
 */
export function meetsRequirement(scopes: readonly string[], requirement: string): boolean {
  if (requirement === SELF_SERVICE) return true;
  if (requirement === PER_RESOURCE_TYPE) return scopes.some((s) => parseResourceScope(s) !== undefined);
  return (['patient', 'user', 'system'] as const).some((ctx) =>
    scopes.some((granted) => scopeCovers(granted, `${ctx}/${requirement}`)),
  );
}
