// Integration tests run against the real local stack (npm run stack -- up). Never timed assertions.
const { pathsToModuleNameMapper } = require('../scripts/jest-paths.js');
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.e2e-spec.ts', '**/*.int-spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', require('../scripts/swc-jest.json')] },
  moduleNameMapper: pathsToModuleNameMapper(),
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  // The files on the background services last, one after the other, so the six start once.
  testSequencer: '<rootDir>/test/support/background-services.js',
  setupFilesAfterEnv: ['<rootDir>/test/support/after-each-file.ts'],
  testTimeout: 600000,
  maxWorkers: 1,
  // A file that fails half-way can leave a kafkajs client or an HTTP agent open; the run must still end
  // (children are killed by after-each-file; the stack itself is stopped by scripts/test.sh).
  forceExit: true,
};
