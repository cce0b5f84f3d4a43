export * from './consultation.module';
export * from './consultation.database';
export * from './media/media-worker-pool';
export * from './media/worker-binary';
