/** What the global setup started, handed to every test file through environment variables. */
export interface TestStack {
  /** Connection string of a database on the test server with rights to create databases. */
  adminDatabaseUrl: string;
  emulatorEndpoint: string;
  region: string;
  userPoolId: string;
  backendClientId: string;
  webClientId: string;
}

const KEY = 'TEST_STACK';

export function publishStack(stack: TestStack): void {
  process.env[KEY] = JSON.stringify(stack);
}

export function testStack(): TestStack {
  const raw = process.env[KEY];
  if (!raw) throw new Error('TEST_STACK is not set: run the tests with `npm test` (jest runs test/support/global-setup.ts).');
  return JSON.parse(raw) as TestStack;
}
