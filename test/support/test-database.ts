import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

export interface TestDatabase {
  readonly engine: 'postgresql' | 'pglite';
  /** Environment variables that point a deployable at this database. */
  readonly env: Record<string, string>;
  drop(): Promise<void>;
}

/** The server URL tests run against (CI: the local PostgreSQL service); undefined: PGlite. */
export const SERVER_URL = process.env.DATABASE_URL;

/** A fresh PostgreSQL database on the test server, dropped afterwards. */
export async function freshPostgres(serverUrl: string): Promise<TestDatabase> {
  const name = `mh_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgresql',
    env: { DATABASE_URL: url.toString() },
    async drop() {
      const c = new Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

/** A fresh DATA_DIR for the embedded engine, removed afterwards. */
export function freshPglite(): TestDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'mh-test-'));
  return {
    engine: 'pglite',
    env: { DATA_DIR: dir },
    drop() {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  };
}

/** A fresh database on the engine under test: DATABASE_URL's server when set, else PGlite. */
export function freshDatabase(): Promise<TestDatabase> {
  return SERVER_URL ? freshPostgres(SERVER_URL) : Promise.resolve(freshPglite());
}
