// Two tiers: fast pure unit specs, and module/e2e specs against real PostgreSQL + Redis.
// Type checking is `npm run lint`'s job; tests transpile per file (about twice as fast).
const tsJest = ['ts-jest', { tsconfig: 'tsconfig.spec.json', diagnostics: false }];
const common = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  transform: { '^.+\\.ts$': tsJest },
  testEnvironment: 'node',
  setupFiles: ['reflect-metadata'],
};
module.exports = {
  // Per-project testTimeout is ignored by Jest; module tests wait on real queues.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'int',
      // Every /api/v1 answer a test receives is checked against the app's OpenAPI document,
      // compiled once per worker (the environment shares one cache across a worker's files).
      moduleNameMapper: { '^supertest$': '<rootDir>/test/support/contract-supertest.ts' },
      testEnvironment: '<rootDir>/test/support/int-test-environment.ts',
      testMatch: ['<rootDir>/src/**/*.int-spec.ts', '<rootDir>/test/e2e/**/*.e2e-spec.ts', '<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
