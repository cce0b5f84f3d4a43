import { type CanActivate, type ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC } from '@mekong/common';
import type { Request } from 'express';
import type { Principal, PrincipalRole } from '../roles';
import { InvalidTokenError, type TokenVerifier } from '../services/token-verifier';
import { PRINCIPAL, ROLES } from './auth.decorators';

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');
/** Optional: whether an account may still act (the issuer knows; deployables apart rely on token expiry). */
export const ACCOUNT_STATUS = Symbol('ACCOUNT_STATUS');

export interface AccountStatus {
  isActive(accountId: string): Promise<boolean>;
  /** Called with an account id when it is disabled in this process (other replicas: within the cache time). */
  onDisabled?(listener: (accountId: string) => void): void;
}

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
  /** Account activity, cached a few seconds: disabling an account takes effect almost at once. */
  private readonly active = new Map<string, { ok: boolean; until: number }>();

  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    @Optional() @Inject(ACCOUNT_STATUS) private readonly accounts?: AccountStatus,
  ) {
    accounts?.onDisabled?.((id) => this.active.set(id, { ok: false, until: Number.MAX_SAFE_INTEGER }));
  }

  private async isActive(accountId: string): Promise<boolean> {
    if (!this.accounts) return true;
    const hit = this.active.get(accountId);
    if (hit && hit.until > Date.now()) return hit.ok;
    const ok = await this.accounts.isActive(accountId);
    if (this.active.size > 10000) this.active.clear();
    this.active.set(accountId, { ok, until: Date.now() + 5000 });
    return ok;
  }

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
    const principal = req[PRINCIPAL] as Principal;
    if (principal.role !== 'system' && !(await this.isActive(principal.subject))) {
      throw new DomainError('AUTH.INVALID_TOKEN', 401, 'Bearer token invalid: account disabled', {
        'WWW-Authenticate': 'Bearer error="invalid_token", error_description="account disabled"',
      });
    }
    const roles = this.reflector.getAllAndOverride<PrincipalRole[] | undefined>(ROLES, targets);
    const role = principal.role;
    if (roles && !roles.includes(role)) {
      throw new DomainError('AUTH.FORBIDDEN', 403, 'Your role may not do this');
    }
    return true;
  }
}
