import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, PrincipalRole } from '../roles';
import { PER_RESOURCE_TYPE, SELF_SERVICE } from '../scopes';

export const ROLES = 'mekong:roles';
/** Restricts a route to principals with one of these roles (after authentication). */
export const Roles = (...roles: PrincipalRole[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES, roles);

/** Request property the guard sets to the verified caller. */
export const PRINCIPAL = 'principal';

/** The verified caller of the current request. */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  const req = ctx.switchToHttp().getRequest<Record<string, unknown>>();
  return req[PRINCIPAL] as Principal;
});

export const REQUIRED_SCOPE = 'mekong:requiredScope';

/**
 * The SMART v2 resource scope a route or socket event needs, written `Type.perms`
 * (`Appointment.c`, `Schedule.rs`): some scope of the token must cover it in the patient/, user/ or
 * system/ context. Every route and event declares one (or is @Public(), @SelfService() or, for the
 * FHIR API, @ScopePerResourceType()); the one AuthGuard refuses what declares nothing, and
 * `openid`, `profile`, `fhirUser`, `offline_access` satisfy none.
 */
export const RequireScope = (resourceScope: `${string}.${string}`): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, resourceScope);

/** Sign-out, one's own password and second factor: an active account's token, no API scope needed. */
export const SelfService = (): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_SCOPE, SELF_SERVICE);

/** The FHIR API: the guard requires some resource scope; each handler checks its type's. */
export const ScopePerResourceType = (): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, PER_RESOURCE_TYPE);

export const GUEST_ALLOWED = 'mekong:guestAllowed';
/** A socket event a guest who came with a visit invitation (no account) may send. */
export const GuestAllowed = (): MethodDecorator => SetMetadata(GUEST_ALLOWED, true);
