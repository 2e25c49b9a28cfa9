import identity from 'amazon-cognito-identity-js';
import type { CognitoUserSession } from 'amazon-cognito-identity-js';
import { randomUUID } from 'node:crypto';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '../dev/local/local-pool.js';
import { createPoolUser } from './support/cognito.js';
import { call } from './support/http.js';
import { SRP_TEST_TIMEOUT_MS, srpSignIn as srpSignInTo, userPool } from './support/srp.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const { AuthenticationDetails, CognitoUser } = identity;

const testPool = () => ({ userPoolId: testStack().userPoolId, endpoint: testStack().emulatorEndpoint });
const srpSignIn = (clientId: string, username: string, password: string) => srpSignInTo(testPool(), clientId, username, password);

describe('SRP sign-in (USER_SRP_AUTH) against the local pool with amazon-cognito-identity-js', () => {
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

  it(
    'refuses a wrong password and an unknown user as Cognito does',
    async () => {
      await expect(srpSignIn(testStack().webClientId, 'alice', 'Not-her-pass-1')).rejects.toMatchObject({
        code: 'NotAuthorizedException',
        message: 'Incorrect username or password.',
      });
      await expect(srpSignIn(testStack().webClientId, 'nobody-here', 'Whatever-1')).rejects.toMatchObject({
        code: 'NotAuthorizedException',
      });
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'refuses SRP through a client that does not allow it',
    async () => {
      await expect(srpSignIn(testStack().serviceClientId, 'alice', 'Alice-pass-1')).rejects.toMatchObject({
        code: 'InvalidParameterException',
        message: 'USER_SRP_AUTH flow not enabled for this client',
      });
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'asks a user with a temporary password for a new one after SRP, as Cognito does, then signs in',
    async () => {
      const stack = testStack();
      const username = `temp-${randomUUID().slice(0, 8)}`;
      const cognito = emulatorClient(stack.emulatorEndpoint);
      await cognito.send(
        new AdminCreateUserCommand({
          UserPoolId: stack.userPoolId,
          Username: username,
          TemporaryPassword: 'Temp-pass-1',
          MessageAction: 'SUPPRESS',
        }),
      );
      cognito.destroy();

      const user = new CognitoUser({ Username: username, Pool: userPool(testPool(), stack.webClientId) });
      const session = await new Promise<CognitoUserSession>((resolve, reject) => {
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: 'Temp-pass-1' }), {
          onSuccess: resolve,
          onFailure: reject,
          newPasswordRequired: () => user.completeNewPasswordChallenge('Final-pass-1', {}, { onSuccess: resolve, onFailure: reject }),
        });
      });
      expect((await me(session.getAccessToken().getJwtToken())).status).toBe(200);
      await expect(srpSignIn(stack.webClientId, username, 'Final-pass-1')).resolves.toMatchObject({ session: expect.anything() });
    },
    SRP_TEST_TIMEOUT_MS,
  );
});
