// Three tiers, all run by `npm test`: unit specs beside the code (no services, seconds), e2e specs
// against the real stack (PostgreSQL, the Cognito emulator, Chromium), and fault specs that stop,
// hang or restart those parts; beside them, the local pool package's own specs against pools of
// their own. `npm run test:unit` (or test:e2e, test:fault, test:local-cognito) runs one.

// Tests only need the code transpiled (`npm run typecheck` checks the types, specs included): SWC
// does that without a TypeScript program per worker, which was most of a cold unit run under ts-jest.
const swcOptions = {
  jsc: {
    target: 'es2023',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
};

const common = {
  testEnvironment: 'node',
  rootDir: '.',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // Written by test/support/esm-only.mjs: ESM-only packages re-bundled as CommonJS for the
    // require() of jwks-rsa (jose) and @fastify/static (content-disposition).
    '^(jose|content-disposition)$': '<rootDir>/node_modules/.cache/jest/$1.cjs',
  },
  transform: { '^.+\\.ts$': ['@swc/jest', swcOptions] },
};

const withStack = {
  ...common,
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
};

/** @type {import('jest').Config} */
export default {
  testTimeout: 30_000,
  maxWorkers: 2,
  projects: [
    {
      ...common,
      displayName: 'unit',
      roots: ['<rootDir>/src', '<rootDir>/dev', '<rootDir>/scripts', '<rootDir>/packages/local-cognito/src'],
      testRegex: '.*\\.spec\\.ts$',
      globalSetup: '<rootDir>/test/support/esm-only.mjs',
    },
    { ...withStack, displayName: 'e2e', roots: ['<rootDir>/test'], testRegex: '^(?!.*/fault/).*\\.e2e-spec\\.ts$' },
    // The local pool's package: its own pools, started by each spec (no backend, no database).
    {
      ...common,
      displayName: 'local-cognito',
      roots: ['<rootDir>/packages/local-cognito/test'],
      testRegex: '.*\\.e2e-spec\\.ts$',
    },
    { ...withStack, displayName: 'fault', roots: ['<rootDir>/test/fault'], testRegex: '.*\\.e2e-spec\\.ts$' },
  ],
};
