/** Jest: unit specs beside the code (*.spec.ts), e2e tests in test/ (*.e2e-spec.ts). */
const swc = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/apps/portal/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: { '^@mekong/(.*)$': '<rootDir>/libs/$1/src' },
  testTimeout: 120000,
  maxWorkers: 2,
  // A worker whose memory grew past this after a test file is replaced (Nest apps of earlier files
  // are not all collected in a long-lived worker; CI saw workers reach 4 GB and crash).
  workerIdleMemoryLimit: '1500MB',
};
