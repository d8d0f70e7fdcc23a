/** The fault tests on the production layout (`npm run test:faults`); see test/faults/stack.ts. */
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/faults/global-teardown.ts',
  // One at a time: the faults stop the shared PostgreSQL and Temporal server.
  maxWorkers: 1,
  testTimeout: 900000,
  verbose: true,
};
