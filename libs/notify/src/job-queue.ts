import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { APP_CONFIG, type AppConfig, StartupTasks } from '@mekong/common';
import { InjectDataSource, rowsOf } from '@mekong/database';
import PgBoss from 'pg-boss';
import type { DataSource, EntityManager } from 'typeorm';
import { NOTIFY_CONTEXT } from './notify.database';

export type JobHandler<T> = (data: T, job: { id: string }) => Promise<void>;

interface PgPool {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
}

/** pg-boss over a connection of ours: `{ executeSql }` answering `{ rows }`. */
function adapter(run: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>): PgBoss.Db {
  return { executeSql: (text: string, values?: unknown[]) => run(text, values) } as PgBoss.Db;
}

/**
 * How often and how long a failed job is tried again, for how many days a waiting job is kept, how
 * long a job may run before it counts as lost (`expireInSeconds`: a job running when the process was
 * killed is retried once this has passed), and how many of the queue's jobs run at once.
 */
export type RetryPolicy = PgBoss.RetryOptions &
  Pick<PgBoss.RetentionOptions, 'retentionDays'> &
  Pick<PgBoss.ExpirationOptions, 'expireInSeconds'> & {
    /** Jobs fetched and run together per poll (default 1 at a time, 4 per poll). */
    readonly concurrency?: number;
  };

const DEFAULT_RETRY: RetryPolicy = { retryLimit: 8, retryDelay: 5, retryBackoff: true };

/**
 * Durable jobs in PostgreSQL (pg-boss, schema `jobs`): no Redis, the embedded engine included.
 * Jobs survive restarts; a job can be enqueued inside a caller's transaction (`em`) so it exists
 * exactly when the change that needs it commits. Handlers must be idempotent (a job may run again
 * after a crash); the notification service deduplicates what people receive.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('JobQueue');
  private boss?: PgBoss;
  private readonly handlers = new Map<string, JobHandler<never>>();
  private readonly policies = new Map<string, RetryPolicy>();
  private readonly crons: { name: string; cron: string }[] = [];
  private readonly pollSeconds: number;

  constructor(
    @InjectDataSource(NOTIFY_CONTEXT) private readonly db: DataSource,
    private readonly startup: StartupTasks,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.pollSeconds = config.scheduling.jobPollSeconds;
  }

  /**
   * Registers a worker; it starts with the queue (after migrations). A failed job is retried
   * 8 times with exponential backoff (≈ 20 minutes in all) unless `policy` says otherwise.
   */
  work<T>(name: string, handler: JobHandler<T>, policy: RetryPolicy = {}): void {
    this.handlers.set(name, handler as JobHandler<never>);
    this.policies.set(name, policy);
  }

  /** A recurring job (cron in Asia/Ho_Chi_Minh). */
  cron(name: string, cron: string): void {
    this.crons.push({ name, cron });
  }

  onApplicationBootstrap(): void {
    this.startup.register({ name: 'job-queue', order: 10, run: () => this.start() });
  }

  private async start(): Promise<void> {
    const pool = (this.db.driver as unknown as { master: PgPool }).master;
    const boss = new PgBoss({
      db: adapter((text, values) => pool.query(text, values)),
      schema: 'jobs',
      supervise: true,
      // Expiry (a job lost with a killed process goes back to retry) is applied by maintenance:
      // every 5 polls, at most a minute, instead of pg-boss's 2 minutes.
      maintenanceIntervalSeconds: Math.max(1, Math.min(60, Math.round(this.pollSeconds * 5))),
      schedule: this.crons.length > 0,
      migrate: true,
    });
    boss.on('error', (err) => this.logger.error(`job queue: ${err.message}`));
    await boss.start();
    this.boss = boss;
    for (const name of this.handlers.keys()) {
      // pg-boss asserts on keys present, even undefined: only the ones set.
      const policy: Record<string, unknown> = { ...DEFAULT_RETRY, ...this.policies.get(name) };
      delete policy.concurrency; // ours, not pg-boss's
      for (const key of Object.keys(policy)) if (policy[key] === undefined) delete policy[key];
      await boss.createQueue(name, { name, ...policy });
      await boss.updateQueue(name, { name, ...policy }); // a changed policy reaches an existing queue
    }
    this.schedulePoll(0);
    for (const c of this.crons) await boss.schedule(c.name, c.cron, {}, { tz: 'Asia/Ho_Chi_Minh' });
  }

  private timer?: NodeJS.Timeout;
  private polling?: Promise<void>;

  /**
   * Our own poll loop over fetch/complete/fail (instead of pg-boss's `work`), so shutdown is
   * exact: the timer is cleared and the running tick awaited — nothing polls after close.
   */
  private schedulePoll(delayMs: number): void {
    if (!this.boss) return;
    this.timer = setTimeout(() => {
      this.polling = this.pollOnce().then(
        (more) => {
          this.polling = undefined;
          // A full batch means more are waiting (a morning batch): fetch again at once.
          this.schedulePoll(more ? 0 : this.pollSeconds * 1000);
        },
        () => {
          this.polling = undefined;
          this.schedulePoll(this.pollSeconds * 1000);
        },
      );
    }, delayMs);
  }

  /** One round over the queues; true when some queue gave a full batch. */
  private async pollOnce(): Promise<boolean> {
    let more = false;
    for (const [name, handler] of this.handlers) {
      const boss = this.boss;
      if (!boss) return false;
      const concurrency = this.policies.get(name)?.concurrency ?? 1;
      const batchSize = concurrency > 1 ? concurrency : 4;
      let jobs: PgBoss.Job<Record<string, unknown>>[];
      try {
        jobs = await boss.fetch<Record<string, unknown>>(name, { batchSize });
      } catch (err) {
        this.logger.warn(`job queue ${name}: ${err instanceof Error ? err.message : String(err)}`);
        continue;
      }
      if (jobs.length === batchSize) more = true;
      const run = async (job: PgBoss.Job<Record<string, unknown>>): Promise<void> => {
        try {
          await handler(job.data as never, { id: job.id });
          await boss.complete(name, job.id);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          this.logger.warn(`job ${name} ${job.id} failed: ${message}`);
          await boss.fail(name, job.id, { message }).catch(() => undefined);
        }
      };
      if (concurrency > 1) await Promise.all(jobs.map(run));
      else for (const job of jobs) await run(job);
    }
    return more;
  }

  /**
   * Enqueues a job, inside `em`'s transaction when given. `startAfter` delays it; `key` makes a
   * second enqueue with the same key while the first is pending a no-op.
   */
  async send(
    name: string,
    data: object,
    opts: { startAfter?: Date; key?: string; em?: EntityManager } = {},
  ): Promise<string | null> {
    const boss = this.boss;
    if (!boss) throw new Error('The job queue has not started yet');
    const em = opts.em;
    const retentionDays = this.policies.get(name)?.retentionDays;
    return boss.send(name, data, {
      // pg-boss's own default (14 days) would win over the queue's retention: given per job.
      ...(retentionDays ? { retentionDays } : {}),
      ...(opts.startAfter ? { startAfter: opts.startAfter } : {}),
      ...(opts.key ? { singletonKey: opts.key } : {}),
      ...(em
        ? {
            db: adapter(async (text, values) => {
              return { rows: rowsOf(await em.query(text, values)) };
            }),
          }
        : {}),
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = undefined;
    if (this.timer) clearTimeout(this.timer);
    // Let the running tick finish (handlers are short); an interrupted job is retried later.
    await this.polling;
    await boss?.stop({ graceful: true, wait: true, timeout: 5000 });
  }
}
