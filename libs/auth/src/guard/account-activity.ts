import { Inject, Injectable, Optional } from '@nestjs/common';
import type { Principal } from '../roles';

/** Optional: whether an account may still act (the issuer knows; deployables apart rely on token expiry). */
export const ACCOUNT_STATUS = Symbol('ACCOUNT_STATUS');

export interface AccountStatus {
  /**
   * Whether the account may still act, and `validAfter`: its tokens issued before this moment
   * (milliseconds since the epoch) are refused.
   */
  accessState(accountId: string): Promise<{ active: boolean; validAfter?: number }>;
  /** Whether a sign-in session (refresh token family) has ended: signed out or revoked. */
  isSessionEnded?(sessionId: string): Promise<boolean>;
  /** Called with an account id when it is disabled in this process (other replicas: within the cache time). */
  onDisabled?(listener: (accountId: string) => void): void;
  /** Called when an account's sessions end (all of them, or the one named) in this process. */
  onSessionsEnded?(listener: (accountId: string, sessionId?: string) => void): void;
}

/** Optional: whether a system (client_credentials) client may still act — not revoked. */
export const CLIENT_STATUS = Symbol('CLIENT_STATUS');

export interface ClientStatus {
  isActive(clientId: string): Promise<boolean>;
  /** Called with a client id when it is revoked in this process (other replicas: within the cache time). */
  onRevoked?(listener: (clientId: string) => void): void;
}

const CACHE_MS = 5000;

/**
 * Whether a token's account and session may still act, cached a few seconds for every request and
 * socket event: disabling an account, changing or resetting its password (every session) or signing
 * out (that session) ends its access tokens at once in this process and within 5 s in others —
 * not when they expire. A system token is checked the same way against its client: revoking the
 * client ends its tokens.
 */
@Injectable()
export class AccountActivity {
  private readonly accountsCache = new Map<string, { ok: boolean; validAfter?: number; until: number }>();
  private readonly sessions = new Map<string, { ended: boolean; until: number }>();
  private readonly disabledListeners: ((accountId: string) => void)[] = [];
  private readonly endedListeners: ((accountId: string, sessionId?: string) => void)[] = [];
  private readonly clientsCache = new Map<string, { ok: boolean; until: number }>();
  private readonly revokedListeners: ((clientId: string) => void)[] = [];

  constructor(
    @Optional() @Inject(ACCOUNT_STATUS) private readonly accounts?: AccountStatus,
    @Optional() @Inject(CLIENT_STATUS) private readonly clients?: ClientStatus,
  ) {
    clients?.onRevoked?.((id) => {
      this.clientsCache.set(id, { ok: false, until: Number.MAX_SAFE_INTEGER });
      for (const l of this.revokedListeners) l(id);
    });
    accounts?.onDisabled?.((id) => {
      this.accountsCache.set(id, { ok: false, until: Number.MAX_SAFE_INTEGER });
      for (const l of this.disabledListeners) l(id);
    });
    accounts?.onSessionsEnded?.((id, sessionId) => {
      if (sessionId) this.sessions.set(sessionId, { ended: true, until: Number.MAX_SAFE_INTEGER });
      else this.accountsCache.delete(id);
      for (const l of this.endedListeners) l(id, sessionId);
    });
  }

  /** Told when an account is disabled in this process (live sockets of it are closed). */
  onDisabled(listener: (accountId: string) => void): void {
    this.disabledListeners.push(listener);
  }

  /** Told when a system client is revoked in this process (its live sockets are closed). */
  onClientRevoked(listener: (clientId: string) => void): void {
    this.revokedListeners.push(listener);
  }

  /** Told when an account's sessions end in this process (all, or the one named). */
  onSessionsEnded(listener: (accountId: string, sessionId?: string) => void): void {
    this.endedListeners.push(listener);
  }

  /** Why this token may no longer act (account disabled, session ended, client revoked), or undefined when it may. */
  async refusal(p: Principal): Promise<string | undefined> {
    if (p.role === 'system') return (await this.clientActive(p.subject)) ? undefined : 'client revoked';
    if (!this.accounts) return undefined;
    const account = await this.account(p.subject);
    if (!account.ok) return 'account disabled';
    if (account.validAfter !== undefined && (p.issuedAtMs ?? 0) < account.validAfter) return 'session ended';
    if (p.sessionId && (await this.sessionEnded(p.sessionId))) return 'session ended';
    return undefined;
  }

  private async account(id: string): Promise<{ ok: boolean; validAfter?: number }> {
    const hit = this.accountsCache.get(id);
    if (hit && hit.until > Date.now()) return hit;
    const state = this.accounts ? await this.accounts.accessState(id) : { active: true };
    if (this.accountsCache.size > 10000) this.accountsCache.clear();
    const entry = {
      ok: state.active,
      ...(state.validAfter !== undefined ? { validAfter: state.validAfter } : {}),
      until: Date.now() + CACHE_MS,
    };
    this.accountsCache.set(id, entry);
    return entry;
  }

  private async clientActive(clientId: string): Promise<boolean> {
    if (!this.clients) return true;
    const hit = this.clientsCache.get(clientId);
    if (hit && hit.until > Date.now()) return hit.ok;
    const ok = await this.clients.isActive(clientId);
    if (this.clientsCache.size > 10000) this.clientsCache.clear();
    this.clientsCache.set(clientId, { ok, until: ok ? Date.now() + CACHE_MS : Number.MAX_SAFE_INTEGER });
    return ok;
  }

  private async sessionEnded(sessionId: string): Promise<boolean> {
    const hit = this.sessions.get(sessionId);
    if (hit && hit.until > Date.now()) return hit.ended;
    const ended = (await this.accounts?.isSessionEnded?.(sessionId)) ?? false;
    if (this.sessions.size > 10000) this.sessions.clear();
    this.sessions.set(sessionId, { ended, until: ended ? Number.MAX_SAFE_INTEGER : Date.now() + CACHE_MS });
    return ended;
  }
}
