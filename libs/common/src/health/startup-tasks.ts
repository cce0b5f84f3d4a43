import { Injectable, Logger } from '@nestjs/common';

export interface StartupTask {
  readonly name: string;
  /** Lower runs first: migrations (0) before anything that needs the schema (10+). */
  readonly order: number;
  run(): Promise<void>;
}

export type Readiness = 'starting' | 'ready' | 'failed';

/**
 * Work that runs after the HTTP server listens (so /health can answer 503 meanwhile) and before
 * the deployable counts as ready: migrations, key setup, admin bootstrap, media workers.
 */
@Injectable()
export class StartupTasks {
  private readonly logger = new Logger('Startup');
  private readonly tasks: StartupTask[] = [];
  private state: Readiness = 'starting';
  private failure?: string;

  register(task: StartupTask): void {
    this.tasks.push(task);
  }

  get readiness(): Readiness {
    return this.state;
  }

  get failureReason(): string | undefined {
    return this.failure;
  }

  async runAll(): Promise<void> {
    try {
      for (const task of [...this.tasks].sort((a, b) => a.order - b.order)) {
        const started = Date.now();
        await task.run();
        this.logger.log(`${task.name} done in ${Date.now() - started} ms`);
      }
      this.state = 'ready';
    } catch (err) {
      this.state = 'failed';
      this.failure = err instanceof Error ? err.message : String(err);
      throw err;
    }
  }
}
