import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export interface EmbeddedConnection {
  /** Directory holding the unix socket (pg treats a host starting with / as a socket dir). */
  readonly host: string;
  readonly port: number;
  readonly username: string;
  readonly database: string;
}

type WorkerMessage =
  { type: 'ready' } | { type: 'failed'; error: string } | { type: 'stopped'; error?: string };

/**
 * The embedded engine: PGlite under `<dataDir>/pgdata`, served by pglite-socket on a unix socket
 * in a private (0700) temporary directory — no TCP port, so no other user of the machine can
 * reach the unauthenticated socket. A lock file keeps two processes off the same DATA_DIR.
 */
export class EmbeddedPostgres {
  private worker?: Worker;
  private socketDir?: string;
  private lockFile?: string;

  constructor(
    private readonly dataDir: string,
    private readonly maxConnections = 16,
  ) {}

  async start(): Promise<EmbeddedConnection> {
    mkdirSync(this.dataDir, { recursive: true });
    this.acquireLock();
    this.socketDir = mkdtempSync(join(tmpdir(), 'mekong-pg-'));
    const port = 5432;
    const worker = new Worker(join(__dirname, 'pglite-host.worker.mjs'), {
      workerData: {
        dataDir: join(this.dataDir, 'pgdata'),
        socketPath: join(this.socketDir, `.s.PGSQL.${port}`),
        maxConnections: this.maxConnections,
      },
    });
    this.worker = worker;
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage): void => {
        if (m.type === 'ready') resolve();
        else if (m.type === 'failed') reject(new Error(`embedded database failed to start: ${m.error}`));
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`embedded database worker exited (${code})`)));
    });
    return { host: this.socketDir, port, username: 'postgres', database: 'postgres' };
  }

  /** Stops the socket server and closes PGlite cleanly (flushes to DATA_DIR). Idempotent. */
  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10000);
        worker.on('message', (m: WorkerMessage) => {
          if (m.type === 'stopped') {
            clearTimeout(timer);
            resolve();
          }
        });
        worker.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        worker.postMessage({ type: 'stop' });
      });
      await worker.terminate();
    }
    if (this.socketDir) rmSync(this.socketDir, { recursive: true, force: true });
    this.socketDir = undefined;
    this.releaseLock();
  }

  private acquireLock(): void {
    const file = join(this.dataDir, '.mekong.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx', 0o600);
        writeFileSync(fd, String(process.pid));
        closeSync(fd);
        this.lockFile = file;
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = Number(readFileSync(file, 'utf8'));
        if (holder && holder !== process.pid && isAlive(holder)) {
          throw new Error(
            `DATA_DIR ${this.dataDir} is in use by process ${holder}; stop it or choose another DATA_DIR`,
          );
        }
        if (holder === process.pid) {
          throw new Error(`DATA_DIR ${this.dataDir} is already open in this process`);
        }
        rmSync(file, { force: true }); // stale lock of a process that is gone
      }
    }
    throw new Error(`could not lock DATA_DIR ${this.dataDir}`);
  }

  private releaseLock(): void {
    if (this.lockFile) rmSync(this.lockFile, { force: true });
    this.lockFile = undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
