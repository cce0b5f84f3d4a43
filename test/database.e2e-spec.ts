import {
  type ConnectionTarget,
  contextDataSourceOptions,
  EmbeddedPostgres,
  revertContextMigration,
  runContextMigrations,
} from '@mekong/database';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CONTEXT_DATABASES } from '../apps/platform/src/context-databases';
import { freshPostgres, SERVER_URL } from './support/test-database';

/** The PostgreSQL server to compare with: DATABASE_URL, else this kind of machine's local service. */
const COMPARE_URL =
  SERVER_URL ?? process.env.COMPARE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

interface EngineUnderTest {
  readonly name: 'pglite' | 'postgresql';
  readonly target: ConnectionTarget;
  stop(): Promise<void>;
}

async function pglite(): Promise<EngineUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'mh-db-'));
  const engine = new EmbeddedPostgres(dir);
  const target = await engine.start();
  return {
    name: 'pglite',
    target,
    async stop() {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgres(serverUrl: string): Promise<EngineUnderTest> {
  const db = await freshPostgres(serverUrl);
  return { name: 'postgresql', target: { url: db.env.DATABASE_URL as string }, stop: () => db.drop() };
}

/** Applies every context's migrations and describes the resulting schema. */
async function migrateAndDescribe(
  target: ConnectionTarget,
): Promise<{ applied: number; rerun: number; shape: string[] }> {
  let applied = 0;
  let rerun = 0;
  const shape: string[] = [];
  for (const context of CONTEXT_DATABASES) {
    const ds = new DataSource(contextDataSourceOptions(context, target, 2));
    await ds.initialize();
    try {
      applied += await runContextMigrations(ds, context.schema);
      rerun += await runContextMigrations(ds, context.schema);
      const cols: { table_name: string; column_name: string; data_type: string; is_nullable: string }[] =
        await ds.query(
          `SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
         WHERE table_schema = $1 ORDER BY table_name, column_name`,
          [context.schema],
        );
      shape.push(
        ...cols.map(
          (c) => `${context.schema}.${c.table_name}.${c.column_name}:${c.data_type}:${c.is_nullable}`,
        ),
      );
      const idx: { indexname: string }[] = await ds.query(
        `SELECT indexname FROM pg_indexes WHERE schemaname = $1 ORDER BY indexname`,
        [context.schema],
      );
      shape.push(...idx.map((i) => `${context.schema}#${i.indexname}`));
    } finally {
      await ds.destroy();
    }
  }
  return { applied, rerun, shape };
}

describe('database: the same migrations on PGlite and PostgreSQL', () => {
  const engines: EngineUnderTest[] = [];
  afterAll(async () => {
    for (const e of engines) await e.stop();
  });

  it('applies every context migration on the embedded engine, idempotently, with the extensions search needs', async () => {
    const e = await pglite();
    engines.push(e);
    const { applied, rerun, shape } = await migrateAndDescribe(e.target);
    expect(applied).toBeGreaterThanOrEqual(3);
    expect(rerun).toBe(0);
    expect(shape).toContain('identity.account.username:text:NO');
    expect(shape).toContain('identity#UQ_account_username');
    const ds = new DataSource(contextDataSourceOptions(CONTEXT_DATABASES[1]!, e.target, 1));
    await ds.initialize();
    const [row] = (await ds.query(
      `SELECT unaccent('Nguyễn Văn Ánh') AS plain, similarity('nguyen', 'nguyen van') > 0 AS trgm`,
    )) as {
      plain: string;
      trgm: boolean;
    }[];
    await ds.destroy();
    expect(row).toEqual({ plain: 'Nguyen Van Anh', trgm: true });
  });

  // Needs a PostgreSQL server (DATABASE_URL, or the local service); without one it fails, never skips.
  it('produces the same schema on PostgreSQL as on PGlite', async () => {
    const a = await pglite();
    const b = await postgres(COMPARE_URL);
    engines.push(a, b);
    const [onPglite, onPostgres] = await Promise.all([
      migrateAndDescribe(a.target),
      migrateAndDescribe(b.target),
    ]);
    expect(onPostgres.applied).toBe(onPglite.applied);
    expect(onPostgres.shape).toEqual(onPglite.shape);
  });

  it('reverts a context migration with its down() and re-applies it', async () => {
    const e = await pglite();
    engines.push(e);
    await migrateAndDescribe(e.target);
    const identity = CONTEXT_DATABASES[0]!;
    const ds = new DataSource(contextDataSourceOptions(identity, e.target, 1));
    await ds.initialize();
    const count = (identity.migrations as unknown[]).length;
    for (let i = 0; i < count; i++) await revertContextMigration(ds, identity.schema);
    const gone: unknown[] = await ds.query(
      `SELECT 1 FROM information_schema.tables WHERE table_schema = 'identity' AND table_name = 'account'`,
    );
    expect(gone).toHaveLength(0);
    expect(await runContextMigrations(ds, identity.schema)).toBe(count);
    await ds.destroy();
  });
});

describe('database: transactions on the embedded engine are serialised', () => {
  let e: EngineUnderTest;
  let a: Client;
  let b: Client;
  const connect = async (): Promise<Client> => {
    const target = e.target as { host: string; port: number; username: string; database: string };
    const c = new Client({
      host: target.host,
      port: target.port,
      user: target.username,
      database: target.database,
    });
    await c.connect();
    return c;
  };
  const settled = async <T>(p: Promise<T>, ms: number): Promise<boolean> => {
    let done = false;
    void p.then(() => (done = true)).catch(() => (done = true));
    await new Promise((r) => setTimeout(r, ms));
    return done;
  };

  beforeAll(async () => {
    e = await pglite();
    a = await connect();
    b = await connect();
    await a.query('CREATE TABLE note (id int PRIMARY KEY, body text)');
  });
  afterAll(async () => {
    await a?.end();
    await b?.end();
    await e?.stop();
  });

  it('makes a second connection wait for an open transaction, then see only what was committed', async () => {
    await a.query('BEGIN');
    await a.query(`INSERT INTO note VALUES (1, 'uncommitted')`);
    const read = b.query<{ n: string }>('SELECT count(*) AS n FROM note');
    // B is held back while A's transaction is open: it never observes the uncommitted row.
    expect(await settled(read, 400)).toBe(false);
    await a.query('COMMIT');
    expect((await read).rows[0]?.n).toBe('1');
  });

  it('after a rollback the waiting connection sees nothing of it', async () => {
    await a.query('BEGIN');
    await a.query(`INSERT INTO note VALUES (2, 'rolled back')`);
    const read = b.query<{ ids: number[] }>('SELECT array_agg(id ORDER BY id) AS ids FROM note');
    expect(await settled(read, 400)).toBe(false);
    await a.query('ROLLBACK');
    expect((await read).rows[0]?.ids).toEqual([1]);
  });

  it('refuses a second engine on the same DATA_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mh-lock-'));
    const first = new EmbeddedPostgres(dir);
    await first.start();
    try {
      await expect(new EmbeddedPostgres(dir).start()).rejects.toThrow(/already open in this process/);
    } finally {
      await first.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
