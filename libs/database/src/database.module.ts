import { DynamicModule, Global, Inject, Module, type Provider } from '@nestjs/common';
import { HealthRegistry, StartupTasks } from '@mekong/common';
import { DataSource } from 'typeorm';
import { type ContextDatabase, contextDataSourceOptions, runContextMigrations } from './context-database';
import { DatabaseEngine } from './database-engine';
import { databaseHealth, MigrationState } from './database.health';

/** Injection token of a context's DataSource. */
export function dataSourceToken(context: string): string {
  return `mekong:datasource:${context}`;
}

@Global()
@Module({})
class DatabaseCoreModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseCoreModule,
      providers: [
        DatabaseEngine,
        MigrationState,
        {
          provide: 'mekong:database-health',
          inject: [DatabaseEngine, MigrationState, HealthRegistry],
          useFactory: (engine: DatabaseEngine, migrations: MigrationState, registry: HealthRegistry) => {
            registry.register(databaseHealth(engine));
            registry.register(migrations);
            return true;
          },
        },
      ],
      exports: [DatabaseEngine, MigrationState],
    };
  }
}

/** One instance per application, however many contexts import it. */
const DATABASE_CORE = DatabaseCoreModule.forRoot();

/** Injects a context's DataSource into a repository class. */
export const InjectDataSource = (context: string): ParameterDecorator => Inject(dataSourceToken(context));

/**
 * Gives a bounded context its DataSource: `DatabaseModule.forContext(IDENTITY_DATABASE)`.
 * Connects at module init; the context's migrations run as a startup task after the server
 * listens (so /health reports 503 meanwhile).
 */
@Module({})
export class DatabaseModule {
  static forContext(context: ContextDatabase): DynamicModule {
    const provider: Provider = {
      provide: dataSourceToken(context.name),
      inject: [DatabaseEngine, MigrationState, StartupTasks],
      useFactory: async (engine: DatabaseEngine, migrations: MigrationState, startup: StartupTasks) => {
        const target = await engine.connectionTarget();
        const dataSource = new DataSource(contextDataSourceOptions(context, target, engine.poolSize));
        await dataSource.initialize();
        engine.track(dataSource);
        migrations.expect(context.schema);
        startup.register({
          name: `migrations:${context.schema}`,
          order: 0,
          run: async () =>
            migrations.done(context.schema, await runContextMigrations(dataSource, context.schema)),
        });
        return dataSource;
      },
    };
    return {
      module: DatabaseModule,
      imports: [DATABASE_CORE],
      providers: [provider],
      exports: [provider],
    };
  }
}
