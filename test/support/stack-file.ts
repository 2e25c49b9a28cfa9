import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LocalStackInfo } from '../../dev/local/local-stack.js';
import { LOCAL_ADMIN_GROUP, SEED_USERS } from '@backend/local-cognito';
import { testStack } from './stack-env.js';

/**
 * Writes a stack file like the one `npm start` writes, describing the test run's emulator, so that
 * the token command and the test-suite helper find it as they find the local stack's.
 */
export function writeStackFile(overrides: Partial<LocalStackInfo> = {}): string {
  const stack = testStack();
  const info: LocalStackInfo = {
    endpoint: stack.emulatorEndpoint,
    region: stack.region,
    userPoolId: stack.userPoolId,
    backendClientId: stack.backendClientId,
    webClientId: stack.webClientId,
    webRotatingClientId: stack.webRotatingClientId,
    serviceClientId: stack.serviceClientId,
    serviceClientSecret: stack.serviceClientSecret,
    apiUrl: 'http://localhost:8000',
    adminGroup: LOCAL_ADMIN_GROUP,
    users: SEED_USERS.map(({ username, password, groups }) => ({ username, password, groups })),
    ...overrides,
  };
  const file = join(mkdtempSync(join(tmpdir(), 'stack-file-')), 'local-stack.json');
  writeFileSync(file, JSON.stringify(info, null, 2));
  return file;
}
