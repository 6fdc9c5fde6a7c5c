// Unit tests sit beside the code (*.spec.ts). Integration tests live in test/ (see test/jest.integration.config.js).
const { pathsToModuleNameMapper } = require('./scripts/jest-paths.js');
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/scripts', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', require('./scripts/swc-jest.json')] },
  moduleNameMapper: pathsToModuleNameMapper(),
};
