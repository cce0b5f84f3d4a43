export * from './auth.module';
export * from './roles';
export * from './scopes';
export * from './oauth-error';
export * from './guard/auth.decorators';
export * from './guard/auth.guard';
export * from './services/token-verifier';
export * from './identity.database';
