import { type ChildProcess, fork, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { api, BASE_ENV, systemToken } from './test-app';
import type { TestDatabase } from './test-database';

export { until } from './wait';

/**
 * The exactly-once harness of notification delivery, shared by test/notify-sms-kill and
 * bench/notify-sms: the built platform in a child process (test/support/notify-batch-child.cjs)
 * that can be killed with SIGKILL mid-delivery and started again on the same database.
 */

const ROOT = join(__dirname, '../..');

export function buildPlatform(): void {
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/run.mjs'), 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (build.status !== 0) throw new Error('build failed');
}

export interface BatchPlatform {
  readonly url: string;
  readonly child: ChildProcess;
  /** Enqueues reminders (one notification each) and resolves once they are committed. */
  enqueue(items: readonly { key: string; recipient: string }[]): Promise<void>;
  /** SIGKILL, and wait for the process to be gone. */
  kill(): Promise<void>;
  /** SIGTERM, and wait for the process to exit. */
  stop(): Promise<void>;
}

export async function startBatchPlatform(
  db: TestDatabase,
  env: Record<string, string>,
): Promise<BatchPlatform> {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const child = fork(join(__dirname, 'notify-batch-child.cjs'), [], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      ...process.env,
      ...BASE_ENV,
      ...db.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BATCH_LOG_LEVEL ?? 'error',
      ACCESS_TOKEN_TTL: '86400',
      ...env,
    },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) =>
      reject(new Error(`the platform exited (${String(code)}) before it was ready`)),
    );
    child.on('message', (m: { type?: string }) => {
      if (m?.type === 'ready') resolve();
    });
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    child,
    enqueue(items) {
      return new Promise<void>((resolve, reject) => {
        const onMessage = (m: { type?: string; message?: string }): void => {
          if (m?.type === 'enqueued') {
            child.off('message', onMessage);
            resolve();
          } else if (m?.type === 'error') {
            child.off('message', onMessage);
            reject(new Error(m.message));
          }
        };
        child.on('message', onMessage);
        child.send({ type: 'enqueue', items });
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A distinct valid Vietnamese mobile number (Viettel's 098) for recipient `i`. */
export function mobileOf(i: number): string {
  return `098${String(i).padStart(7, '0')}`;
}

/** `n` patients with a mobile number each (as the system client, 200 per transaction); their references. */
export async function createPatients(url: string, n: number): Promise<string[]> {
  const token = await systemToken(url);
  const refs: string[] = [];
  for (let from = 0; from < n; from += 200) {
    const count = Math.min(200, n - from);
    const res = await api(url, 'POST', '/fhir', token, {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: Array.from({ length: count }, (_, k) => {
        const i = from + k;
        return {
          request: { method: 'POST', url: 'Patient' },
          resource: {
            resourceType: 'Patient',
            name: [{ family: 'Nguyễn', given: [`Lan ${i}`] }],
            gender: i % 2 ? 'female' : 'male',
            birthDate: '1990-06-01', // an adult: no vaccination reminders of the platform's own
            telecom: [{ system: 'phone', value: mobileOf(i), use: 'mobile' }],
          },
        };
      }),
    });
    if (res.status !== 200) throw new Error(`patients from ${from}: ${res.status} ${await res.text()}`);
    const bundle = (await res.json()) as { entry: { response: { location: string } }[] };
    for (const e of bundle.entry)
      refs.push(e.response.location.split('/_history')[0]!.replace(/^.*?(Patient\/)/, '$1'));
  }
  return refs;
}
