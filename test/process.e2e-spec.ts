import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN } from './support/test-app';

const ROOT = join(__dirname, '..');
const MAIN = join(ROOT, 'dist/apps/platform/src/main.js');

interface Started {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; stderr: string; stdout: string }>;
}

/** Runs the built platform (what `npm start` runs) as its own process, on the embedded engine. */
function runPlatform(env: Record<string, string>): Started {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL'));
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { ...clean, LOG_LEVEL: 'warn', ...env } });
  let stderr = '';
  let stdout = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, stdout })),
  );
  return { child, exited };
}

async function waitForHealth(url: string, timeoutMs = 60000): Promise<number> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const res = await fetch(`${url}/health`).catch(() => undefined);
    if (res?.status === 200) return 200;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}/health not 200 within ${timeoutMs} ms`);
}

function freePort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

describe('the platform process (dist, as `npm start` runs it)', () => {
  beforeAll(() => {
    // Builds only when sources changed since the last build (stamp in dist/).
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts/run.mjs'), 'build'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error('build failed');
  }, 300000);

  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://root@localhost/x' }],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }],
    ['ADMIN_PASSWORD', { ADMIN_USERNAME: 'admin' }],
  ])('stops with a message naming %s when its value is bad', async (name, env) => {
    const { exited } = runPlatform({ DATA_DIR: join(tmpdir(), 'never-used'), ...env });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toContain(name);
    expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('starts on DATA_DIR, finishes an in-flight request on SIGTERM, stops accepting, and exits 0', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mh-proc-'));
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const { child, exited } = runPlatform({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      ADMIN_USERNAME: ADMIN.username,
      ADMIN_PASSWORD: ADMIN.password,
    });
    try {
      expect(await waitForHealth(url)).toBe(200);
      expect(existsSync(join(dataDir, '.mekong.lock'))).toBe(true);

      // A sign-in whose body is still arriving when SIGTERM comes.
      const body = new URLSearchParams({
        grant_type: 'password',
        username: ADMIN.username,
        password: ADMIN.password,
      }).toString();
      const inFlight = new Promise<number>((resolve, reject) => {
        const req = request(
          `${url}/auth/token`,
          {
            method: 'POST',
            headers: {
              'Content-Type': 'application/x-www-form-urlencoded',
              'Content-Length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => {
          child.kill('SIGTERM');
          setTimeout(() => req.end(body.slice(10)), 500);
        }, 200);
      });
      expect(await inFlight).toBe(200);
      // no new connections once shutdown began
      await expect(fetch(`${url}/health`)).rejects.toThrow();
      const { code } = await exited;
      expect(code).toBe(0);
      // the database was closed cleanly: the DATA_DIR lock is released
      expect(existsSync(join(dataDir, '.mekong.lock'))).toBe(false);
    } finally {
      child.kill('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
