import { AdminDisableUserCommand, GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '@backend/local-cognito';
import { registry } from '../src/metrics/metrics.js';
import { createPoolUser, signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('Background rechecks with the pool (TOKEN_RECHECK_SECONDS=1)', () => {
  let sut: TestApp;
  const cognito = emulatorClient(testStack().emulatorEndpoint);

  beforeAll(async () => {
    sut = await startTestApp({ env: { TOKEN_RECHECK_SECONDS: '1' } });
  });
  afterAll(async () => {
    cognito.destroy();
    await sut?.close();
  });

  const me = (token: string) => call(`${sut.url}/api/v1/me`, { token });

  async function rechecks(outcome: string): Promise<number> {
    const metric = await registry.getSingleMetric('token_rechecks_total')?.get();
    return metric?.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
  }

  it('refuses the sessions signed out at the pool (GlobalSignOut) within seconds', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    expect((await me(accessToken)).status).toBe(200);
    await waitFor(async () => expect(await rechecks('valid')).toBeGreaterThan(0), { timeout: 5000 });

    await cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    await waitFor(async () => expect((await me(accessToken)).body.code).toBe('token_revoked'), { timeout: 8000, interval: 200 });
    expect(await rechecks('revoked')).toBeGreaterThan(0);
    // A new sign-in is a new session, which the pool accepts.
    expect((await me((await signIn(user.username, user.password)).accessToken)).status).toBe(200);
  });

  it('deactivates a person the pool disabled (403 account_disabled)', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    expect((await me(accessToken)).status).toBe(200);
    await cognito.send(new AdminDisableUserCommand({ UserPoolId: testStack().userPoolId, Username: user.username }));
    await waitFor(async () => expect((await me(accessToken)).body.code).toBe('account_disabled'), { timeout: 8000, interval: 200 });
    expect(await rechecks('disabled')).toBeGreaterThan(0);
  });
});
