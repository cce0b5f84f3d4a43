export * from './operation-outcome';
export * from './compartment';
export * from './search/index-types';
export * from './search';
export * from './validation';
export * from './summary';
export * from './follow-up';
