import { Inject, Injectable, Optional } from '@nestjs/common';

/** Optional: whether an account may still act (the issuer knows; deployables apart rely on token expiry). */
export const ACCOUNT_STATUS = Symbol('ACCOUNT_STATUS');

export interface AccountStatus {
  isActive(accountId: string): Promise<boolean>;
  /** Called with an account id when it is disabled in this process (other replicas: within the cache time). */
  onDisabled?(listener: (accountId: string) => void): void;
}

/**
 * Whether an account may still act, cached a few seconds for every request and socket event:
 * disabling an account takes effect at once in this process and within 5 s in others.
 */
@Injectable()
export class AccountActivity {
  private readonly cache = new Map<string, { ok: boolean; until: number }>();
  private readonly disabledListeners: ((accountId: string) => void)[] = [];

  constructor(@Optional() @Inject(ACCOUNT_STATUS) private readonly accounts?: AccountStatus) {
    accounts?.onDisabled?.((id) => {
      this.cache.set(id, { ok: false, until: Number.MAX_SAFE_INTEGER });
      for (const l of this.disabledListeners) l(id);
    });
  }

  /** Told when an account is disabled in this process (live sockets of it are closed). */
  onDisabled(listener: (accountId: string) => void): void {
    this.disabledListeners.push(listener);
  }

  async isActive(accountId: string): Promise<boolean> {
    if (!this.accounts) return true;
    const hit = this.cache.get(accountId);
    if (hit && hit.until > Date.now()) return hit.ok;
    const ok = await this.accounts.isActive(accountId);
    if (this.cache.size > 10000) this.cache.clear();
    this.cache.set(accountId, { ok, until: Date.now() + 5000 });
    return ok;
  }
}
