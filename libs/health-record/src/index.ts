export * from './health-record.module';
export * from './health-record.database';
