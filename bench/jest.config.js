/** `npm run bench`: benchmarks run through jest only for its TypeScript transform; they assert nothing about time. */
const base = require('../jest.config.js');
module.exports = {
  ...base,
  rootDir: '..',
  roots: ['<rootDir>/bench'],
  testRegex: '.*\\.bench\\.ts$',
  testTimeout: 3_600_000,
  maxWorkers: 1,
};
