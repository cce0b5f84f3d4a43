export * from './context-database';
export * from './database-engine';
export * from './database.module';
export * from './embedded/embedded-postgres';
export * from './query-rows';
