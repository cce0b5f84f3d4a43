import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  APP_CONFIG,
  type AppConfig,
  type ComponentHealth,
  HealthRegistry,
  StartupTasks,
} from '@mekong/common';
import type * as MediasoupModule from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { MEDIA_CODECS, MediaRoom } from './media-room';
import { resolveWorkerBinary, WORKER_INSTALL_HINT } from './worker-binary';

type Mediasoup = typeof MediasoupModule;

/**
 * The media plane's adapter over mediasoup 3.8.4 — the only place that loads mediasoup, so an
 * upgrade touches one file. One worker per core (MEDIA_WORKERS overrides); a worker that dies is
 * replaced. Without a usable worker binary the platform still runs and /health says how to fix it.
 */
@Injectable()
export class MediaWorkerPool implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('MediaWorkerPool');
  private readonly workers: ms.Worker[] = [];
  private mediasoup?: Mediasoup;
  private problem?: string;
  private closing = false;
  private next = 0;
  /** Replacements of dead workers still starting. */
  private readonly replacing = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: HealthRegistry,
    private readonly startup: StartupTasks,
  ) {}

  onModuleInit(): void {
    this.registry.register({
      name: 'mediaWorkers',
      critical: false,
      check: () => Promise.resolve(this.health()),
    });
    this.startup.register({ name: 'media:workers', order: 20, run: () => this.start() });
  }

  /** Starts the workers; never throws — a missing binary degrades the service instead. */
  async start(): Promise<void> {
    const wanted = this.config.media.workers;
    if (wanted === 0) {
      this.problem = 'media workers disabled (MEDIA_WORKERS=0)';
      return;
    }
    const binary = resolveWorkerBinary(this.config.media.workerBin);
    if (!binary.usable) {
      this.problem = `mediasoup worker binary not found or not executable at ${binary.path}`;
      this.logger.warn(`${this.problem}; video visits are unavailable — ${WORKER_INSTALL_HINT}`);
      return;
    }
    // mediasoup 3.8.4 reads MEDIASOUP_WORKER_BIN when its module loads, so set it first.
    process.env.MEDIASOUP_WORKER_BIN = binary.path;
    try {
      this.mediasoup ??= await import('mediasoup');
      for (let i = 0; i < wanted; i++) this.workers.push(await this.spawn());
      this.problem = undefined;
    } catch (err) {
      this.problem = `mediasoup worker failed to start: ${err instanceof Error ? err.message : String(err)}`;
      this.logger.error(this.problem);
    }
  }

  /**
   * The least recently picked live worker (round robin) for a new room's router; while a dead
   * worker's replacement is starting and no other is alive, waits for the replacement.
   */
  async pick(): Promise<ms.Worker> {
    if (this.workers.length === 0 && this.replacing.size > 0) await Promise.race(this.replacing);
    if (this.workers.length === 0) throw new Error(this.problem ?? 'no media workers');
    const worker = this.workers[this.next % this.workers.length] as ms.Worker;
    this.next++;
    return worker;
  }

  /** A router for a new room on the next worker (one router per room). */
  async createRoom(events: ConstructorParameters<typeof MediaRoom>[2]): Promise<MediaRoom> {
    const router = await (await this.pick()).createRouter({ mediaCodecs: MEDIA_CODECS });
    return new MediaRoom(
      router,
      { listenIp: this.config.media.listenIp, announcedIp: this.config.media.announcedIp },
      events,
    );
  }

  /** Worker process ids (operations and tests: what a crash would take down). */
  pids(): number[] {
    return this.workers.map((w) => w.pid);
  }

  /** Workers are running, or a dead one's replacement is on its way. */
  get available(): boolean {
    return this.workers.length > 0 || this.replacing.size > 0;
  }

  health(): ComponentHealth {
    if (this.workers.length > 0) {
      return { status: 'up', workers: this.workers.length, pids: this.workers.map((w) => w.pid) };
    }
    return { status: 'down', error: this.problem ?? 'media workers not started', fix: WORKER_INSTALL_HINT };
  }

  onApplicationShutdown(): void {
    this.closing = true;
    for (const w of this.workers.splice(0)) w.close();
  }

  private async spawn(): Promise<ms.Worker> {
    const mediasoup = this.mediasoup as Mediasoup;
    // MEDIASOUP_LOG_TAGS (e.g. "simulcast,bwe,rtcp") and MEDIASOUP_LOG_LEVEL (debug|warn|error):
    // the worker's own log, printed by mediasoup's `debug` loggers (DEBUG=mediasoup:*) — diagnosis.
    const tags = (process.env.MEDIASOUP_LOG_TAGS ?? '').split(',').filter(Boolean) as ms.WorkerLogTag[];
    const level = process.env.MEDIASOUP_LOG_LEVEL as ms.WorkerLogLevel | undefined;
    const worker = await mediasoup.createWorker({
      logLevel: level && ['debug', 'warn', 'error', 'none'].includes(level) ? level : 'warn',
      logTags: tags,
      rtcMinPort: 40000,
      rtcMaxPort: 49999,
    });
    worker.on('died', (error: Error) => {
      this.logger.error(`mediasoup worker ${worker.pid} died: ${error.message}; replacing it`);
      const index = this.workers.indexOf(worker);
      if (index >= 0) this.workers.splice(index, 1);
      if (this.closing) return;
      const replacement: Promise<void> = this.spawn()
        .then((w) => {
          this.workers.push(w);
        })
        .catch((err: unknown) => {
          this.problem = `could not replace media worker: ${String(err)}`;
          this.logger.error(this.problem);
        })
        .finally(() => this.replacing.delete(replacement));
      this.replacing.add(replacement);
    });
    return worker;
  }
}
