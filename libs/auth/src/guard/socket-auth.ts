import { Inject, Injectable } from '@nestjs/common';
import { DomainError } from '@mekong/common';
import type { Principal } from '../roles';
import { meetsRequirement } from '../scopes';
import { InvalidTokenError, TOKEN_VERIFIER, type TokenVerifier } from '../services/token-verifier';
import { AccountActivity } from './account-activity';

/** What the guard and SocketAuth need of a socket.io socket (auth has no socket.io dependency). */
export interface AuthSocket {
  readonly id: string;
  readonly data: { principal?: Principal; invitation?: unknown; [key: string]: unknown };
  emit(event: string, ...args: unknown[]): unknown;
  on(event: string, listener: (...args: never[]) => void): unknown;
  disconnect(close?: boolean): unknown;
}

/** The account principal a socket authenticated as (none for a visit guest). */
export function socketPrincipal(socket: AuthSocket): Principal | undefined {
  return socket.data.principal;
}

type Ack = (reply: Record<string, unknown>) => void;

/**
 * Sockets authenticate like requests and stay authenticated only while their token is valid:
 * - at the handshake: a valid access token of an active account whose scopes meet the namespace's
 *   requirement (the AuthGuard checks account, expiry and each event's requirement again);
 * - in band: `reauth` `{ token }` (a fresh access token of the same account, acknowledged with
 *   `{ ok, expiresAt }`) keeps the socket — and a video visit — going across token refreshes;
 * - at the token's expiry without reauth, the socket is told (`error` AUTH.TOKEN_EXPIRED) and closed;
 * - a disabled account's (or revoked client's) sockets are closed at once (this process) or at their next event.
 */
@Injectable()
export class SocketAuth {
  private readonly live = new Map<string, Set<AuthSocket>>();
  private readonly timers = new WeakMap<AuthSocket, NodeJS.Timeout>();

  constructor(
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
    private readonly activity: AccountActivity,
  ) {
    activity.onDisabled((id) => {
      for (const s of this.live.get(id) ?? [])
        this.close(s, 'AUTH.ACCOUNT_DISABLED', 'Account disabled / Tài khoản đã bị khóa');
    });
    activity.onClientRevoked((id) => {
      for (const s of [...(this.live.get(id) ?? [])])
        this.close(s, 'AUTH.CLIENT_REVOKED', 'Client revoked / Ứng dụng đã bị thu hồi');
    });
    activity.onSessionsEnded((id, sessionId) => {
      for (const s of [...(this.live.get(id) ?? [])]) {
        if (sessionId === undefined || s.data.principal?.sessionId === sessionId)
          this.close(s, 'AUTH.SESSION_ENDED', 'Signed out / Phiên đăng nhập đã kết thúc');
      }
    });
  }

  /** Verifies a handshake token; throws DomainError (401/403) when it may not connect. */
  async accept(socket: AuthSocket, token: unknown, requirement: string): Promise<Principal> {
    const principal = await this.verify(token, requirement);
    socket.data.principal = principal;
    const mine = this.live.get(principal.subject) ?? new Set<AuthSocket>();
    mine.add(socket);
    this.live.set(principal.subject, mine);
    this.schedule(socket, principal);
    socket.on('reauth', (body: unknown, ack?: Ack) => void this.reauth(socket, body, requirement, ack));
    socket.on('disconnect', () => this.release(socket));
    return principal;
  }

  private async reauth(socket: AuthSocket, body: unknown, requirement: string, ack?: Ack): Promise<void> {
    const reply = typeof ack === 'function' ? ack : () => undefined;
    try {
      const token = (body as { token?: unknown } | null)?.token;
      const next = await this.verify(token, requirement);
      if (next.subject !== socket.data.principal?.subject) {
        throw new DomainError('AUTH.FORBIDDEN', 403, 'A socket stays with the account that opened it');
      }
      socket.data.principal = next;
      this.schedule(socket, next);
      reply({ ok: true, expiresAt: next.expiresAt });
    } catch (err) {
      const e =
        err instanceof DomainError ? err : new DomainError('AUTH.INVALID_TOKEN', 401, 'invalid token');
      reply({ ok: false, error: { code: e.code, message: e.message } });
    }
  }

  private async verify(token: unknown, requirement: string): Promise<Principal> {
    if (typeof token !== 'string')
      throw new DomainError('AUTH.UNAUTHENTICATED', 401, 'auth.token is required');
    let principal: Principal;
    try {
      principal = await this.verifier.verify(token);
    } catch (err) {
      if (err instanceof InvalidTokenError) throw new DomainError('AUTH.INVALID_TOKEN', 401, err.message);
      throw err;
    }
    const refusal = await this.activity.refusal(principal);
    if (refusal) throw new DomainError('AUTH.INVALID_TOKEN', 401, refusal);
    if (!meetsRequirement(principal.scopes, requirement))
      throw new DomainError(
        'AUTH.INSUFFICIENT_SCOPE',
        403,
        `The token's scopes do not allow this (needs ${requirement})`,
      );
    return principal;
  }

  private schedule(socket: AuthSocket, principal: Principal): void {
    clearTimeout(this.timers.get(socket));
    const ms = Math.max(0, principal.expiresAt * 1000 - Date.now());
    const timer = setTimeout(
      () => this.close(socket, 'AUTH.TOKEN_EXPIRED', 'Your sign-in expired / Phiên đăng nhập đã hết hạn'),
      Math.min(ms, 2 ** 31 - 1),
    );
    timer.unref();
    this.timers.set(socket, timer);
  }

  private close(socket: AuthSocket, code: string, message: string): void {
    socket.emit('error', { code, message });
    socket.disconnect(true);
    this.release(socket);
  }

  private release(socket: AuthSocket): void {
    clearTimeout(this.timers.get(socket));
    this.timers.delete(socket);
    const subject = socket.data.principal?.subject;
    const mine = subject ? this.live.get(subject) : undefined;
    mine?.delete(socket);
    if (subject && mine?.size === 0) this.live.delete(subject);
  }
}
