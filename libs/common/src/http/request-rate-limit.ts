import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectThrottlerStorage, type ThrottlerStorage } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.tokens';
import { DomainError } from './domain-error';

const WINDOW_MS = 60_000;

/** Health checks and metrics are never limited (load balancers and scrapers poll them). */
export function exemptFromRateLimit(url: string | undefined): boolean {
  const u = url ?? '';
  return u === '/health' || u === '/metrics' || u.startsWith('/health?');
}

/**
 * The per-account request limit (RATE_LIMIT_PER_ACCOUNT a minute, over all routes), applied by the
 * AuthGuard once it knows who is calling: an authenticated request counts against its verified
 * principal — the account, or the system client — however many tokens that principal holds, over
 * all routes; a request without a valid token (public routes, missing, expired or forged tokens)
 * counts against its client address (taken from trusted proxy hops only) and route. A token string never keys
 * a bucket, so forged tokens make no buckets of their own. The per-address limit runs before it,
 * ahead of any token work (rate-limit.ts).
 */
@Injectable()
export class RequestRateLimit {
  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts one request of `principal` (kind and id, e.g. account + subject); throws 429 past the limit. */
  async consumePrincipal(kind: 'account' | 'client', id: string): Promise<void> {
    await this.consume(`${kind}:${id}`);
  }

  /**
   * Counts one unauthenticated request from `address` to `route` (as before this limit moved into
   * the guard: per address and route, so sign-in and discovery do not starve each other); throws 429
   * past the limit.
   */
  async consumeAnonymous(address: string | undefined, route: string, url: string | undefined): Promise<void> {
    if (exemptFromRateLimit(url)) return;
    await this.consume(`anonymous:${route}:${String(address)}`);
  }

  private async consume(key: string): Promise<void> {
    const limit = this.config.rateLimit.perAccount;
    const hashed = createHash('sha256').update(`account-limit:${key}`).digest('hex');
    const { isBlocked, timeToBlockExpire } = await this.storage.increment(
      hashed,
      WINDOW_MS,
      limit,
      WINDOW_MS,
      'account',
    );
    if (isBlocked) {
      throw new DomainError(
        'TOO_MANY_REQUESTS',
        429,
        'Too many requests; slow down / Quá nhiều yêu cầu, vui lòng thử lại sau',
        { 'Retry-After': String(Math.max(1, timeToBlockExpire)) },
      );
    }
  }
}
