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

const project = (name) => ({
  displayName: name,
  testMatch: [`<rootDir>/test/${name}/**/*.test.ts`],
  transform,
  testEnvironment: 'node',
  // Integration and e2e files boot servers; each has its own database and queue prefix.
  // Servers start only when a suite that needs them runs: `npm run test:unit` needs none.
  ...(name === 'unit'
    ? {}
    : {
        slowTestThreshold: 30,
        globalSetup: '<rootDir>/test/support/global-setup.ts',
        globalTeardown: '<rootDir>/test/support/global-teardown.ts',
        setupFilesAfterEnv: ['<rootDir>/test/support/server-suite-timeout.ts'],
      }),
});

module.exports = {
  projects: [project('unit'), project('integration'), project('e2e')],
};
