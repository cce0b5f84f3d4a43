import 'reflect-metadata';
import { ConfigError, loadConfig } from '@mekong/common';
import {
  type ConnectionTarget,
  contextDataSourceOptions,
  EmbeddedPostgres,
  revertContextMigration,
  runContextMigrations,
} from '@mekong/database';
import { DataSource } from 'typeorm';
import { CONTEXT_DATABASES } from './context-databases';

/**
 * The deployment migrate command: `run` applies pending migrations of every context, `show`
 * lists whether any are pending, `revert <context>` undoes that context's last migration.
 */
async function main(): Promise<void> {
  const [command = 'show', contextName] = process.argv.slice(2);
  const config = loadConfig(process.env);
  let embedded: EmbeddedPostgres | undefined;
  let target: ConnectionTarget;
  if (config.database.url) {
    target = { url: config.database.url };
  } else {
    embedded = new EmbeddedPostgres(config.database.dataDir);
    target = await embedded.start();
  }
  try {
    for (const context of CONTEXT_DATABASES) {
      const ds = new DataSource(contextDataSourceOptions(context, target, 1));
      await ds.initialize();
      try {
        if (command === 'run') {
          const applied = await runContextMigrations(ds, context.schema);
          process.stdout.write(`${context.schema}: ${applied} migration(s) applied\n`);
        } else if (command === 'show') {
          const pending = await ds.showMigrations();
          process.stdout.write(`${context.schema}: ${pending ? 'pending migrations' : 'up to date'}\n`);
        } else if (command === 'revert' && contextName === context.name) {
          await revertContextMigration(ds, context.schema);
          process.stdout.write(`${context.schema}: last migration reverted\n`);
        } else if (command !== 'revert') {
          throw new Error(`unknown command ${command}; use run, show or revert <context>`);
        }
      } finally {
        await ds.destroy();
      }
    }
  } finally {
    await embedded?.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof ConfigError ? err.message : String(err)}\n`);
  process.exit(1);
});
