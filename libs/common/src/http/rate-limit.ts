import { createHash } from 'node:crypto';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { AppConfig } from '../config/app-config';

interface TrackedRequest {
  ip?: string;
  headers: Record<string, string | string[] | undefined>;
  url?: string;
}

/**
 * Two limits on every authenticated API (ASVS 2.2.1 / OWASP API4): per account — keyed by the
 * bearer token, so it holds before the token is verified — and per client address. Health checks
 * and metrics are exempt. Sign-in failures have their own, stricter, database-backed limit.
 */
export function rateLimits(config: AppConfig): ThrottlerModuleOptions {
  const exempt = (ctx: { switchToHttp(): { getRequest<T>(): T } }): boolean => {
    const url = ctx.switchToHttp().getRequest<TrackedRequest>().url ?? '';
    return url === '/health' || url === '/metrics' || url.startsWith('/health?');
  };
  return {
    throttlers: [
      {
        name: 'account',
        ttl: 60_000,
        limit: config.rateLimit.perAccount,
        skipIf: exempt,
        getTracker: (req: Record<string, unknown>) => {
          const auth = (req as unknown as TrackedRequest).headers.authorization;
          const key =
            typeof auth === 'string' && auth
              ? auth
              : `anonymous:${String((req as unknown as TrackedRequest).ip)}`;
          return createHash('sha256').update(key).digest('hex');
        },
      },
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
