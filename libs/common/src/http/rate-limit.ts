import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';
import { exemptFromRateLimit } from './request-rate-limit';

interface TrackedRequest {
  ip?: string;
  url?: string;
}

/**
 * The per-address limit (ASVS 2.2.1 / OWASP API4), checked first on every request, before any token
 * work: RATE_LIMIT_PER_ADDRESS a minute per route and client address (taken from trusted proxy hops
 * only). The per-account limit needs the verified principal, so the AuthGuard applies it
 * (RequestRateLimit). Health checks and metrics are exempt. Sign-in failures have their own,
 * stricter, database-backed limit.
 */
export function rateLimits(config: AppConfig): ThrottlerModuleOptions {
  const exempt = (ctx: { switchToHttp(): { getRequest<T>(): T } }): boolean =>
    exemptFromRateLimit(ctx.switchToHttp().getRequest<TrackedRequest>().url);
  return {
    throttlers: [
      {
        name: 'address',
        ttl: 60_000,
        limit: config.rateLimit.perAddress,
        skipIf: exempt,
        getTracker: (req: Record<string, unknown>) => String((req as unknown as TrackedRequest).ip),
      },
    ],
    errorMessage: 'Too many requests; slow down / Quá nhiều yêu cầu, vui lòng thử lại sau',
  };
}
