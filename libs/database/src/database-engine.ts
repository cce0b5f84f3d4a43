import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mekong/common';
import type { DataSource } from 'typeorm';
import type { ConnectionTarget } from './context-database';
import { EmbeddedPostgres } from './embedded/embedded-postgres';

export type EngineKind = 'postgresql' | 'pglite';

/**
 * The database every context connects to: PostgreSQL from DATABASE_URL, else the embedded PGlite
 * engine under DATA_DIR (started once, on first use). Owns shutdown order: context DataSources
 * close first, then the embedded engine.
 */
@Injectable()
export class DatabaseEngine implements OnApplicationShutdown {
  private readonly logger = new Logger('DatabaseEngine');
  private embedded?: EmbeddedPostgres;
  private target?: Promise<ConnectionTarget>;
  private readonly dataSources: DataSource[] = [];

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get kind(): EngineKind {
    return this.config.database.url ? 'postgresql' : 'pglite';
  }

  get poolSize(): number {
    return this.config.database.poolSize;
  }

  connectionTarget(): Promise<ConnectionTarget> {
    this.target ??= this.resolveTarget();
    return this.target;
  }

  /** Registers a context DataSource for health checks and ordered shutdown. */
  track(dataSource: DataSource): void {
    this.dataSources.push(dataSource);
  }

  tracked(): readonly DataSource[] {
    return this.dataSources;
  }

  async onApplicationShutdown(): Promise<void> {
    for (const ds of this.dataSources.splice(0)) {
      if (ds.isInitialized) await ds.destroy();
    }
    if (this.embedded) {
      await this.embedded.stop();
      this.embedded = undefined;
    }
  }

  private async resolveTarget(): Promise<ConnectionTarget> {
    const url = this.config.database.url;
    if (url) return { url };
    this.embedded = new EmbeddedPostgres(this.config.database.dataDir);
    const target = await this.embedded.start();
    this.logger.log(`embedded PostgreSQL (PGlite) serving ${this.config.database.dataDir}`);
    return target;
  }
}
