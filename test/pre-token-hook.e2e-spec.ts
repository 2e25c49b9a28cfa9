import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient, freePort, startLocalPool, type RunningLocalPool } from '@backend/local-cognito';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// A team's pre-token-generation trigger, run by the local pool as Cognito runs the Lambda.
const HOOK = `
export default (event) => ({
  ...event,
  response: {
    claimsAndScopeOverrideDetails: {
      accessTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', sub: 'forged' }, scopesToAdd: ['orders/read'] },
    },
  },
});
`;

describe('A local pool with a pre-token-generation hook (LOCAL_PRE_TOKEN_HOOK) in front of the API', () => {
  let dir: string;
  let pool: RunningLocalPool;
  let sut: TestApp;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pre-token-hook-api-'));
    writeFileSync(join(dir, 'hook.mjs'), HOOK);
    pool = await startLocalPool({ dir: join(dir, 'pool'), port: await freePort(), preTokenHook: join(dir, 'hook.mjs') });
    sut = await startTestApp({
      env: {
        COGNITO_ENDPOINT: pool.endpoint,
        COGNITO_REGION: pool.region,
        COGNITO_USER_POOL_ID: pool.userPoolId,
        COGNITO_CLIENT_IDS: `${pool.backendClientId},${pool.webClientId}`,
      },
    });
  }, 120_000);
  afterAll(async () => {
    await sut?.close();
    await pool?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gives the hook's claim and scope to a token that still opens /api/v1/me", async () => {
    const sdk = emulatorClient(pool.endpoint);
    const { AuthenticationResult } = await sdk.send(
      new InitiateAuthCommand({
        ClientId: pool.backendClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: 'alice', PASSWORD: 'Alice-pass-1' },
      }),
    );
    sdk.destroy();
    const token = AuthenticationResult!.AccessToken!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ tenant: 'acme', username: 'alice', scope: 'aws.cognito.signin.user.admin orders/read' });
    expect(claims.sub).not.toBe('forged');

    const me = await call(`${sut.url}/api/v1/me`, { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ sub: claims.sub, username: 'alice' });
  });
});
