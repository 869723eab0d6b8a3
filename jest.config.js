/**
 * Three projects: unit (no servers), integration (real MongoDB and Redis, the real app on port 0)
 * and e2e (a real browser). TypeScript is transpiled by SWC; `npm run check` type-checks.
 * @type {import('jest').Config}
 */
const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' }, sourceMaps: 'inline' },
  ],
};

const project = (name, testTimeout) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform,
  testEnvironment: 'node',
  // Integration and e2e files boot servers; each has its own database and queue prefix.
  ...(name === 'unit' ? {} : { slowTestThreshold: 30 }),
  testTimeout,
});

module.exports = {
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  projects: [project('unit', 10_000), project('integration', 60_000), project('e2e', 120_000)],
};
