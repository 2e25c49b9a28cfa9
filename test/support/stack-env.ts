/** The ids of a second local pool (`staff`, with its user sam), in the same local Cognito as the first. */
export interface TestStackPool {
  userPoolId: string;
  backendClientId: string;
  webClientId: string;
  webRotatingClientId: string;
  serviceClientId: string;
  serviceClientSecret: string;
}

/** What the global setup started, handed to every test file through environment variables. */
export interface TestStack {
  /** Connection string of a database on the test server with rights to create databases. */
  adminDatabaseUrl: string;
  /** The local pool's endpoint (its front; the emulator sits behind it), as `npm start` runs it. */
  emulatorEndpoint: string;
  region: string;
  userPoolId: string;
  backendClientId: string;
  webClientId: string;
  /** The web client's twin with refresh-token rotation (grace period 10 s). */
  webRotatingClientId: string;
  /** The confidential client of the client-credentials grant. */
  serviceClientId: string;
  serviceClientSecret: string;
  /** The local pool `staff` (its user sam is in its own admin group), at emulatorEndpoint too. */
  staff: TestStackPool;
  /** A port free at setup whose origins (localhost and 127.0.0.1) are registered Hosted UI callbacks of the web client. */
  devServerPort: number;
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
