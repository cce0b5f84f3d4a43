import type { DataSourceOptions, EntitySchema, MixedList } from 'typeorm';
import { type DataSource, MigrationExecutor, type QueryRunner } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

/** A bounded context's database: its own schema, entities and committed migrations. */
export interface ContextDatabase {
  /** The context's name; also the DataSource's name. */
  readonly name: string;
  /** The PostgreSQL schema the context owns (its migrations table lives there too). */
  readonly schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function | string>;
}

/** Where to connect: a URL (PostgreSQL) or the embedded engine's socket. */
export type ConnectionTarget =
  | { readonly url: string }
  | { readonly host: string; readonly port: number; readonly username: string; readonly database: string };

/**
 * The single DataSource definition of a context, used by Nest and the migration CLI alike.
 * `synchronize` is off: schemas change only through committed migrations.
 */
export function contextDataSourceOptions(
  context: ContextDatabase,
  target: ConnectionTarget,
  poolSize: number,
): DataSourceOptions {
  const options: PostgresConnectionOptions = {
    type: 'postgres',
    ...target,
    name: context.name,
    schema: context.schema,
    entities: context.entities,
    migrations: context.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    installExtensions: false,
    uuidExtension: 'pgcrypto',
    applicationName: `mekong-${context.name}`,
    extra: { max: poolSize },
  };
  return options;
}

/**
 * Applies a context's pending migrations under an advisory lock, so two replicas starting at
 * once do not race. Lock and migrations share one connection (a pool of one cannot deadlock).
 * Creates the schema first: the migrations table lives inside it.
 */
export async function runContextMigrations(dataSource: DataSource, schema: string): Promise<number> {
  return withMigrationLock(dataSource, schema, async (runner) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    return (await executor.executePendingMigrations()).length;
  });
}

/** Reverts the context's last applied migration with its down(). */
export async function revertContextMigration(dataSource: DataSource, schema: string): Promise<void> {
  await withMigrationLock(dataSource, schema, async (runner) => {
    const executor = new MigrationExecutor(dataSource, runner);
    executor.transaction = 'each';
    await executor.undoLastMigration();
  });
}

async function withMigrationLock<T>(
  dataSource: DataSource,
  schema: string,
  work: (runner: QueryRunner) => Promise<T>,
): Promise<T> {
  const runner = dataSource.createQueryRunner();
  const key = `mekong:migrate:${schema}`;
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
    try {
      await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      return await work(runner);
    } finally {
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
    }
  } finally {
    await runner.release();
  }
}
