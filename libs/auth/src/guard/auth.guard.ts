import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC } from '@mekong/common';
import type { Request } from 'express';
import type { PrincipalRole } from '../roles';
import { InvalidTokenError, type TokenVerifier } from '../services/token-verifier';
import { PRINCIPAL, ROLES } from './auth.decorators';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

/** Extracts a bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header ?? '');
  return m?.[1];
}

/**
 * The guard every context uses (registered globally by AuthModule): every HTTP route needs a
 * valid bearer token unless marked @Public(); @Roles() narrows it further. 401 carries
 * WWW-Authenticate; under /fhir the body is an OperationOutcome.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true; // socket gateways authenticate at the handshake
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const req = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      throw new DomainError('AUTH.UNAUTHENTICATED', 401, 'Authorization: Bearer <token> required', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    try {
      req[PRINCIPAL] = await this.verifier.verify(token);
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      throw new DomainError('AUTH.INVALID_TOKEN', 401, `Bearer ${err.message}`, {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${err.message}"`,
      });
    }
    const roles = this.reflector.getAllAndOverride<PrincipalRole[] | undefined>(ROLES, targets);
    const role = (req[PRINCIPAL] as { role: PrincipalRole }).role;
    if (roles && !roles.includes(role)) {
      throw new DomainError('AUTH.FORBIDDEN', 403, 'Your role may not do this');
    }
    return true;
  }
}
