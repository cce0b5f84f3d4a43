import { DynamicModule, Global, Module, ValidationPipe } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import type { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.tokens';
import { HealthController } from './health/health.controller';
import { HealthRegistry } from './health/health-registry';
import { StartupTasks } from './health/startup-tasks';
import { HttpErrorFilter } from './http/http-exception.filter';
import { rateLimits } from './http/rate-limit';
import { RequestRateLimit } from './http/request-rate-limit';
import { loggerParams } from './logging/logging';
import { MetricsController } from './metrics/metrics.controller';
import { MetricsInterceptor } from './metrics/metrics.interceptor';
import { MetricsService } from './metrics/metrics.service';

export interface CommonModuleOptions {
  readonly config: AppConfig;
  /** The deployable's name, logged with every line. */
  readonly service: string;
}

/**
 * Platform basics every deployable imports once: validated configuration, pino logs with a
 * request id, /health, /metrics, the global validation pipe and error filter.
 */
@Global()
@Module({})
export class CommonModule {
  static forRoot(options: CommonModuleOptions): DynamicModule {
    return {
      module: CommonModule,
      imports: [
        LoggerModule.forRoot(loggerParams(options.config, options.service)),
        TerminusModule.forRoot({ logger: false }),
        ThrottlerModule.forRoot(rateLimits(options.config)),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: APP_CONFIG, useValue: options.config },
        HealthRegistry,
        StartupTasks,
        MetricsService,
        RequestRateLimit,
        // Registered before the auth guard: a flood from one address is refused before any token work
        // (the per-account limit, RequestRateLimit, is the auth guard's: it keys on the verified principal).
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_INTERCEPTOR, useClass: MetricsInterceptor },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
        {
          provide: APP_PIPE,
          useValue: new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }),
        },
      ],
      exports: [APP_CONFIG, HealthRegistry, StartupTasks, MetricsService, RequestRateLimit],
    };
  }
}
