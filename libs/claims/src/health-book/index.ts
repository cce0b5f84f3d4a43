export * from './fields';
export { bookTables, healthBookJsonSchema, identityOf, recordsOf, visitOf } from './health-book';
export type { BookRecord, HealthBook } from './health-book';
export { HealthBookOperation } from './health-book-operation';
