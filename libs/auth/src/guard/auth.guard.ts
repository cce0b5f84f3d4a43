import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, IS_PUBLIC, RequestRateLimit } from '@mekong/common';
import type { Request } from 'express';
import type { Principal, PrincipalRole } from '../roles';
import { meetsRequirement } from '../scopes';
import { InvalidTokenError, TOKEN_VERIFIER, type TokenVerifier } from '../services/token-verifier';
import { GUEST_ALLOWED, PRINCIPAL, REQUIRED_SCOPE, ROLES } from './auth.decorators';
import { AccountActivity } from './account-activity';
import { type AuthSocket, socketPrincipal } from './socket-auth';

export { ACCOUNT_STATUS, type AccountStatus } from './account-activity';
export { TOKEN_VERIFIER } from '../services/token-verifier';

/** Extracts a bearer token from an Authorization header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const m = /^Bearer\s+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header ?? '');
  return m?.[1];
}

/** The handler a request reaches, for limits kept per route. */
const routeOf = (context: ExecutionContext): string =>
  `${context.getClass().name}.${context.getHandler().name}`;

/**
 * The one guard (registered globally by AuthModule) for every HTTP route and socket event:
 * - authentication: a valid bearer token (HTTP) or the socket's handshake principal, unless
 *   @Public() (HTTP) or @GuestAllowed() for a visit guest (socket); the account must be active and,
 *   on a socket, the token unexpired (a client re-authenticates in band, see SocketAuth);
 * - role: @Roles() narrows who may call;
 * - the per-account request limit (RequestRateLimit): on the verified principal, or the client
 *   address for a request without a valid token;
 * - scope: the declared requirement (@RequireScope, @SelfService, @ScopePerResourceType) must be met
 *   by the token's scopes; a route or event that declares none is refused (deny by default).
 * 401 carries WWW-Authenticate; 403 for scope says which (RFC 6750 insufficient_scope).
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly activity: AccountActivity,
    private readonly limits: RequestRateLimit,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    let principal: Principal | undefined;
    if (context.getType() === 'ws') {
      const socket = context.switchToWs().getClient<AuthSocket>();
      principal = socketPrincipal(socket);
      if (!principal) {
        if (!socket.data.invitation)
          throw new DomainError('AUTH.UNAUTHENTICATED', 401, 'Sign in first / Vui lòng đăng nhập');
        if (this.reflector.get<boolean>(GUEST_ALLOWED, context.getHandler())) return true;
        throw new DomainError(
          'AUTH.FORBIDDEN',
          403,
          'A guest may not do this / Khách mời không thể thực hiện thao tác này',
        );
      }
      if (principal.expiresAt * 1000 <= Date.now()) {
        throw new DomainError(
          'AUTH.TOKEN_EXPIRED',
          401,
          'Your sign-in expired: send reauth with a fresh token / Phiên đăng nhập đã hết hạn',
        );
      }
    } else if (context.getType() === 'http') {
      const req = context.switchToHttp().getRequest<Request & Record<string, unknown>>();
      if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) {
        await this.limits.consumeAnonymous(req.ip, routeOf(context), req.url);
        return true;
      }
      principal = await this.authenticate(req, routeOf(context));
      // The per-account limit keys on who the verified token is for, never on the token string.
      await this.limits.consumePrincipal(
        principal.role === 'system' ? 'client' : 'account',
        principal.subject,
      );
    } else return false;

    const refusal = await this.activity.refusal(principal);
    if (refusal) {
      throw new DomainError('AUTH.INVALID_TOKEN', 401, `Bearer token invalid: ${refusal}`, {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${refusal}"`,
      });
    }
    const roles = this.reflector.getAllAndOverride<PrincipalRole[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(principal.role)) {
      throw new DomainError('AUTH.FORBIDDEN', 403, 'Your role may not do this');
    }
    const required = this.reflector.getAllAndOverride<string | undefined>(REQUIRED_SCOPE, targets);
    if (required === undefined) {
      throw new DomainError('AUTH.SCOPE_UNDECLARED', 403, 'This operation declares no scope: refused');
    }
    if (!meetsRequirement(principal.scopes, required)) {
      throw new DomainError(
        'AUTH.INSUFFICIENT_SCOPE',
        403,
        `The token's scopes do not allow this (needs ${required}) / Quyền truy cập của phiên không cho phép thao tác này`,
        { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${required}"` },
      );
    }
    return true;
  }

  private async authenticate(req: Request & Record<string, unknown>, route: string): Promise<Principal> {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      await this.limits.consumeAnonymous(req.ip, route, req.url);
      throw new DomainError('AUTH.UNAUTHENTICATED', 401, 'Authorization: Bearer <token> required', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    try {
      req[PRINCIPAL] = await this.verifier.verify(token);
    } catch (err) {
      if (!(err instanceof InvalidTokenError)) throw err;
      // A forged or expired token counts as its address's, with no bucket of its own.
      await this.limits.consumeAnonymous(req.ip, route, req.url);
      throw new DomainError('AUTH.INVALID_TOKEN', 401, `Bearer ${err.message}`, {
        'WWW-Authenticate': `Bearer error="invalid_token", error_description="${err.message}"`,
      });
    }
    return req[PRINCIPAL] as Principal;
  }
}
