import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, PrincipalRole } from '../roles';

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
