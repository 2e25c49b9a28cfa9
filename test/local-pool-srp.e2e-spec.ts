import type { CognitoUserSession } from 'amazon-cognito-identity-js';
import { createPoolUser } from './support/cognito.js';
import { call } from './support/http.js';
import { SRP_TEST_TIMEOUT_MS, srpSignIn as srpSignInTo } from './support/srp.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const testPool = () => ({ userPoolId: testStack().userPoolId, endpoint: testStack().emulatorEndpoint });
const srpSignIn = (clientId: string, username: string, password: string) => srpSignInTo(testPool(), clientId, username, password);

// The pool's own SRP cases (wrong password, temporary password, clients without SRP) are in packages/local-cognito/test.
describe('SRP sign-in (USER_SRP_AUTH) against the local pool with amazon-cognito-identity-js, tokens for this API', () => {
  let sut: TestApp;
  const me = (token: string) => call(`${sut.url}/api/v1/me`, { token });

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it(
    'signs a seeded user in through the web client, and the API answers /api/v1/me with the access token',
    async () => {
      const { session } = await srpSignIn(testStack().webClientId, 'alice', 'Alice-pass-1');
      const token = session.getAccessToken();
      expect(token.payload).toMatchObject({ username: 'alice', client_id: testStack().webClientId, token_use: 'access' });
      expect(token.payload.iss).toBe(`${testStack().emulatorEndpoint}/${testStack().userPoolId}`);
      const response = await me(token.getJwtToken());
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ username: 'alice', email: 'alice@example.com' });
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'signs in a user created by the test-suite helper, through the backend client, and refreshes the session',
    async () => {
      const created = await createPoolUser({ groups: ['admin'] });
      const { user, session } = await srpSignIn(testStack().backendClientId, created.username, created.password);
      expect(session.getAccessToken().payload['cognito:groups']).toEqual(['admin']);

      const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.refreshSession(session.getRefreshToken(), (error: unknown, next: CognitoUserSession) =>
          error ? reject(error) : resolve(next),
        ),
      );
      expect(refreshed.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken());
      const response = await me(refreshed.getAccessToken().getJwtToken());
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ username: created.username, groups: ['admin'] });
    },
    SRP_TEST_TIMEOUT_MS,
  );
});
