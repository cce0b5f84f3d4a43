import { Controller, Get, Header, HttpStatus, Res, ServiceUnavailableException } from '@nestjs/common';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { Response } from 'express';
import { Public } from '../http/public.decorator';
import { ComponentHealth, HealthRegistry } from './health-registry';
import { StartupTasks } from './startup-tasks';

export type OverallStatus = 'ok' | 'degraded' | 'starting' | 'error';

export interface HealthReport {
  status: OverallStatus;
  components: Record<string, ComponentHealth>;
}

/**
 * GET /health (API.md "Running"): 503 until the database is migrated and the APIs serve; then 200
 * with each component's state, `degraded` when a non-critical component (media workers) is down.
 * Critical components go through terminus so the standard info/error/details stay available.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly terminus: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly registry: HealthRegistry,
    private readonly startup: StartupTasks,
  ) {}

  @Public()
  @Get()
  @Header('Cache-Control', 'no-store')
  async check(@Res({ passthrough: true }) res: Response): Promise<HealthReport> {
    const components: Record<string, ComponentHealth> = {};
    const contributors = this.registry.all();
    const probe = async (name: string, check: () => Promise<ComponentHealth>): Promise<ComponentHealth> => {
      try {
        return await check();
      } catch (err) {
        return { status: 'down', error: err instanceof Error ? err.message : String(err) };
      }
    };

    let criticalOk = true;
    try {
      await this.terminus.check(
        contributors
          .filter((c) => c.critical)
          .map((c) => async () => {
            const h = await probe(c.name, () => c.check());
            components[c.name] = h;
            const session = this.indicator.check(c.name);
            return h.status === 'up' ? session.up() : session.down({ state: h.status });
          }),
      );
    } catch (err) {
      if (!(err instanceof ServiceUnavailableException)) throw err;
      criticalOk = false;
    }
    let degraded = false;
    for (const c of contributors.filter((x) => !x.critical)) {
      const h = await probe(c.name, () => c.check());
      components[c.name] = h;
      if (h.status !== 'up') degraded = true;
    }

    const readiness = this.startup.readiness;
    const status: OverallStatus =
      readiness === 'starting'
        ? 'starting'
        : readiness === 'failed' || !criticalOk
          ? 'error'
          : degraded
            ? 'degraded'
            : 'ok';
    if (status === 'starting' || status === 'error') res.status(HttpStatus.SERVICE_UNAVAILABLE);
    const startup = this.startup.failureReason;
    if (startup) components.startup = { status: 'down', error: startup };
    return { status, components };
  }
}
