import { AdminDeleteUserCommand, AdminDisableUserCommand, AdminUserGlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { fetchAuthSession, signIn as amplifySignIn, signOut as amplifySignOut } from 'aws-amplify/auth';
import { decodeJwt } from 'jose';
import { emulatorClient } from '@backend/local-cognito';
import { registry } from '../src/metrics/metrics.js';
import { createPoolUser, signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { configureAmplify } from './support/amplify.js';
import { ServerProcess } from './support/server-process.js';
import { testStack } from './support/stack-env.js';
import { emulatorEnv, startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

/** Long enough for a few recheck periods of one second on a busy machine. */
const REFUSED_WITHIN = { timeout: 8000, interval: 200 };

describe('Background rechecks with the pool (TOKEN_RECHECK_SECONDS=1), on two instances', () => {
  let db: TestDatabase;
  let sut: TestApp;
  // Asks the pool nothing: whatever it refuses, it learnt from the first instance's rechecks.
  let other: ServerProcess;
  const cognito = emulatorClient(testStack().emulatorEndpoint);
  const poolUser = (username: string) => ({ UserPoolId: testStack().userPoolId, Username: username });

  beforeAll(async () => {
    db = await createTestDatabase();
    sut = await startTestApp({ db, env: { TOKEN_RECHECK_SECONDS: '1' } });
    other = await ServerProcess.start({ ...emulatorEnv(), DATABASE_URL: db.url, LOG_LEVEL: 'warn', TOKEN_RECHECK_SECONDS: '0' });
    configureAmplify();
  });
  afterEach(async () => {
    // A failed case must not leave Amplify signed in for the next one.
    await amplifySignOut().catch(() => undefined);
  });
  afterAll(async () => {
    cognito.destroy();
    await other?.stop();
    await sut?.close();
    await db?.drop();
  });

  const me = (token: string) => call(`${sut.url}/api/v1/me`, { token });
  const meOnOther = (token: string) => call(`${other.url}/api/v1/me`, { token });

  /** The first instance refuses the token with `code` within a few periods, the second within a second of it. */
  async function refusedOnBoth(token: string, code: string): Promise<void> {
    await waitFor(async () => expect((await me(token)).body.code).toBe(code), REFUSED_WITHIN);
    await waitFor(async () => expect((await meOnOther(token)).body.code).toBe(code), {
      timeout: 1000,
      interval: 50,
      message: `the second instance to answer ${code}`,
    });
  }

  async function rechecks(outcome: string): Promise<number> {
    const metric = await registry.getSingleMetric('token_rechecks_total')?.get();
    return metric?.values.find((value) => value.labels.outcome === outcome)?.value ?? 0;
  }

  /** Signs in as an SPA does with Amplify (USER_AUTH with a password): a sign-in session of the web client. */
  async function spaSignIn(username: string, password: string): Promise<string> {
    const result = await amplifySignIn({ username, password, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD' } });
    expect(result.isSignedIn).toBe(true);
    return (await fetchAuthSession()).tokens!.accessToken.toString();
  }

  /**
   * A new pool user with a token the API has served and the pool has once found valid: the session's
   * first check comes with a request a period after the token was issued.
   */
  async function checkedUser(): Promise<{ username: string; password: string; accessToken: string }> {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    const valid = await rechecks('valid');
    await waitFor(
      async () => {
        expect((await me(accessToken)).status).toBe(200);
        expect(await rechecks('valid')).toBeGreaterThan(valid);
      },
      { timeout: 5000, interval: 200 },
    );
    expect((await meOnOther(accessToken)).status).toBe(200);
    return { ...user, accessToken };
  }

  it("refuses every session of an SPA that signed out everywhere (Amplify signOut({ global: true }), the pool's GlobalSignOut)", async () => {
    const user = await createPoolUser();
    const spaToken = await spaSignIn(user.username, user.password);
    const { accessToken: otherToken } = await signIn(user.username, user.password);
    for (const token of [spaToken, otherToken])
      for (const answer of [await me(token), await meOnOther(token)]) expect(answer.status).toBe(200);

    await amplifySignOut({ global: true });
    const revoked = await rechecks('revoked');
    for (const token of [spaToken, otherToken]) await refusedOnBoth(token, 'token_revoked');
    expect(await rechecks('revoked')).toBeGreaterThan(revoked);
    // A new sign-in is a new session, which the pool accepts.
    expect((await me((await signIn(user.username, user.password)).accessToken)).status).toBe(200);
  });

  it('refuses the one session whose refresh token an SPA revoked (Amplify signOut(), RevokeToken); the other session keeps working', async () => {
    const user = await createPoolUser();
    const spaToken = await spaSignIn(user.username, user.password);
    const { accessToken: keptToken } = await signIn(user.username, user.password);
    expect(decodeJwt(spaToken).origin_jti).not.toEqual(decodeJwt(keptToken).origin_jti);
    for (const token of [spaToken, keptToken])
      for (const answer of [await me(token), await meOnOther(token)]) expect(answer.status).toBe(200);

    await amplifySignOut();
    await refusedOnBoth(spaToken, 'token_revoked');
    // The kept session is rechecked again, and found valid, after the other was refused.
    const valid = await rechecks('valid');
    await waitFor(
      async () => {
        expect((await me(keptToken)).status).toBe(200);
        expect(await rechecks('valid')).toBeGreaterThan(valid);
      },
      { ...REFUSED_WITHIN, message: 'a recheck of the kept session' },
    );
    expect((await me(keptToken)).status).toBe(200);
    expect((await meOnOther(keptToken)).status).toBe(200);
    expect((await me(spaToken)).body.code).toBe('token_revoked');
  });

  it('refuses the sessions of a person an administrator signed out (AdminUserGlobalSignOut)', async () => {
    const user = await checkedUser();
    await cognito.send(new AdminUserGlobalSignOutCommand(poolUser(user.username)));
    await refusedOnBoth(user.accessToken, 'token_revoked');
    expect((await me(user.accessToken)).status).toBe(401);
  });

  it('deactivates a person the pool disabled (AdminDisableUser: 403 account_disabled)', async () => {
    const user = await checkedUser();
    const disabled = await rechecks('disabled');
    await cognito.send(new AdminDisableUserCommand(poolUser(user.username)));
    await refusedOnBoth(user.accessToken, 'account_disabled');
    expect((await me(user.accessToken)).status).toBe(403);
    expect(await rechecks('disabled')).toBeGreaterThan(disabled);
  });

  it('refuses the tokens of a person deleted from the pool (AdminDeleteUser: 401 token_revoked)', async () => {
    const user = await checkedUser();
    await cognito.send(new AdminDeleteUserCommand(poolUser(user.username)));
    await refusedOnBoth(user.accessToken, 'token_revoked');
    expect((await me(user.accessToken)).status).toBe(401);
  });
});
