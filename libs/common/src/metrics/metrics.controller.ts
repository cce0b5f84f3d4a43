import { Controller, Get, Header, Inject, Req, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG } from '../config/config.tokens';
import type { AppConfig } from '../config/app-config';
import { Public } from '../http/public.decorator';
import { MetricsService } from './metrics.service';

/**
 * Prometheus scrape endpoint. With METRICS_TOKEN set it requires `Authorization: Bearer <token>`;
 * without it the endpoint is closed (401) — metrics are never anonymous.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: MetricsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(@Req() req: Request): Promise<string> {
    const expected = this.config.metricsToken;
    const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '');
    const ok =
      expected !== undefined &&
      given.length === expected.length &&
      timingSafeEqual(Buffer.from(given), Buffer.from(expected));
    if (!ok) throw new UnauthorizedException('A valid METRICS_TOKEN bearer is required');
    req.res?.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
