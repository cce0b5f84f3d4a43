import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BASE_ENV, systemToken } from '../test/support/test-app';
import { type TestDatabase } from '../test/support/test-database';

/** Shared by the benchmarks: the built server in its own process, a closed-loop load driver, percentiles. */

export { systemToken };

/** Connections per context of the benchmarked server on PostgreSQL. */
export const BENCH_POOL_SIZE = 16;

export interface BenchServer {
  readonly url: string;
  readonly child: ChildProcess;
}

/**
 * The built platform in its own process, as deployed (the benchmark's clients must not share its
 * event loop), against `db`.
 */
export async function startServer(db: TestDatabase): Promise<BenchServer> {
  const root = join(__dirname, '..');
  const build = spawnSync(process.execPath, [join(root, 'scripts/run.mjs'), 'build'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('build failed');
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [join(root, 'dist/apps/platform/src/main.js')], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      ...BASE_ENV,
      ...db.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      // The embedded engine serves a few connections in all (every context has its own pool): its default.
      ...(db.engine === 'postgresql' ? { DB_POOL_SIZE: String(BENCH_POOL_SIZE) } : {}),
      LOG_LEVEL: 'warn',
      ACCESS_TOKEN_TTL: '86400',
      RATE_LIMIT_PER_ACCOUNT: '1000000',
      RATE_LIMIT_PER_ADDRESS: '1000000',
    },
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    const res = await fetch(`${url}/health`).catch(() => undefined);
    if (res?.status === 200) return { url, child };
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error('platform did not become healthy');
}

/** SIGTERM, and wait for the process to exit (it closes its pool before the database is dropped). */
export async function stopServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/**
 * `n` operations by `concurrency` clients, each starting its next operation as soon as its last
 * one finished; the rate over the whole run and each operation's latency (ms).
 */
export async function run(
  concurrency: number,
  n: number,
  op: (i: number) => Promise<void>,
): Promise<{ perSecond: number; latencies: number[]; seconds: number }> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t0 = performance.now();
        await op(i);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: n / seconds, latencies, seconds };
}

/** The `p` quantile (0–1) by the nearest rank below: sorted[floor(length × p)]; NaN for no samples. */
export const percentile = (xs: readonly number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN;

export const p95 = (xs: readonly number[]): number => percentile(xs, 0.95);

/** Headers of a FHIR JSON request with a bearer token. */
export const fhirHeaders = (token: string): Record<string, string> => ({
  Authorization: `Bearer ${token}`,
  'Content-Type': 'application/fhir+json',
});

/** Prints a table of rows (cells joined by " | ") after a blank line. */
export function printRows(rows: readonly (readonly string[])[]): void {
  process.stdout.write(`\n${rows.map((r) => r.join(' | ')).join('\n')}\n`);
}
