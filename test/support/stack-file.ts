import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStackInfo } from '../../dev/local/local-stack.js';
import { LOCAL_ADMIN_GROUP, SEED_USERS, STAFF_SEED_USERS } from '@backend/local-cognito';
import { testStack } from './stack-env.js';

/**
 * Writes a stack file like the one `npm start` writes, describing the test run's emulator, so that
 * the token command and the test-suite helper find it as they find the local stack's.
 */
export function writeStackFile(overrides: Partial<LocalStackInfo> = {}): string {
  const stack = testStack();
  const seeded = (users: typeof SEED_USERS) => users.map(({ username, password, groups }) => ({ username, password, groups }));
  const common = { endpoint: stack.emulatorEndpoint, region: stack.region, adminGroup: LOCAL_ADMIN_GROUP };
  const first = {
    ...common,
    userPoolId: stack.userPoolId,
    backendClientId: stack.backendClientId,
    webClientId: stack.webClientId,
    webRotatingClientId: stack.webRotatingClientId,
    serviceClientId: stack.serviceClientId,
    serviceClientSecret: stack.serviceClientSecret,
    users: seeded(SEED_USERS),
  };
  const info: LocalStackInfo = {
    ...first,
    apiUrl: 'http://localhost:8000',
    pools: { default: first, staff: { ...common, ...stack.staff, users: seeded(STAFF_SEED_USERS) } },
    ...overrides,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'stack-file-')), 'local-stack.json');
  writeFileSync(file, JSON.stringify(info, null, 2));
  return file;
}
