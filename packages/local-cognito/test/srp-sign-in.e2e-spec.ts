import identity from 'amazon-cognito-identity-js';
import type { CognitoUserSession } from 'amazon-cognito-identity-js';
import { AdminCreateUserCommand } from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { createUser } from '../testing/local-pool.mjs';
import { SRP_TEST_TIMEOUT_MS, useTestPool } from './support/test-pool.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = identity;

/** amazon-cognito-identity-js's default flow, unchanged but for the pool's endpoint: USER_SRP_AUTH, then PASSWORD_VERIFIER. */
describe('SRP sign-in (USER_SRP_AUTH) with amazon-cognito-identity-js', () => {
  const pool = useTestPool();

  const userOf = (clientId: string, username: string) =>
    new CognitoUser({
      Username: username,
      Pool: new CognitoUserPool({ UserPoolId: pool.userPoolId, ClientId: clientId, endpoint: pool.endpoint }),
    });
  const srpSignIn = (clientId: string, username: string, password: string) => {
    const user = userOf(clientId, username);
    return new Promise<{ user: identity.CognitoUser; session: CognitoUserSession }>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: (session) => resolve({ user, session }),
        onFailure: reject,
      }),
    );
  };

  it(
    "signs a seeded user in through the web client, with the pool's issuer, and refreshes the session",
    async () => {
      const { user, session } = await srpSignIn(pool.webClientId, 'alice', 'Alice-pass-1');
      expect(session.getAccessToken().payload).toMatchObject({
        username: 'alice',
        client_id: pool.webClientId,
        token_use: 'access',
        iss: `${pool.endpoint}/${pool.userPoolId}`,
      });
      const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
        user.refreshSession(session.getRefreshToken(), (error: unknown, next: CognitoUserSession) =>
          error ? reject(error) : resolve(next),
        ),
      );
      expect(refreshed.getAccessToken().getJwtToken()).not.toBe(session.getAccessToken().getJwtToken());
      expect(refreshed.getAccessToken().payload).toMatchObject({ username: 'alice' });
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'signs in a user created by the test-suite helper, with its groups',
    async () => {
      const username = `srp-${randomUUID().slice(0, 8)}`;
      await createUser({ username, password: 'Srp-pass-1', groups: ['admin'] }, { stackFile: pool.stackFile });
      const { session } = await srpSignIn(pool.backendClientId, username, 'Srp-pass-1');
      expect(session.getAccessToken().payload['cognito:groups']).toEqual(['admin']);
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'refuses a wrong password and an unknown user as Cognito does',
    async () => {
      const incorrect = { code: 'NotAuthorizedException', message: 'Incorrect username or password.' };
      await expect(srpSignIn(pool.webClientId, 'alice', 'Not-her-pass-1')).rejects.toMatchObject(incorrect);
      await expect(srpSignIn(pool.webClientId, 'nobody-here', 'Whatever-1')).rejects.toMatchObject(incorrect);
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'refuses SRP through a client that does not allow it',
    async () => {
      await expect(srpSignIn(pool.serviceClientId, 'alice', 'Alice-pass-1')).rejects.toMatchObject({
        code: 'InvalidParameterException',
        message: 'USER_SRP_AUTH flow not enabled for this client',
      });
    },
    SRP_TEST_TIMEOUT_MS,
  );

  it(
    'asks a user with a temporary password for a new one after SRP, as Cognito does, then signs in',
    async () => {
      const username = `temp-${randomUUID().slice(0, 8)}`;
      await pool.sdk.send(
        new AdminCreateUserCommand({
          UserPoolId: pool.userPoolId,
          Username: username,
          TemporaryPassword: 'Temp-pass-1',
          MessageAction: 'SUPPRESS',
        }),
      );
      const user = userOf(pool.webClientId, username);
      const session = await new Promise<CognitoUserSession>((resolve, reject) => {
        user.authenticateUser(new AuthenticationDetails({ Username: username, Password: 'Temp-pass-1' }), {
          onSuccess: resolve,
          onFailure: reject,
          newPasswordRequired: () => user.completeNewPasswordChallenge('Final-pass-1', {}, { onSuccess: resolve, onFailure: reject }),
        });
      });
      expect(session.getAccessToken().payload).toMatchObject({ username });
      await expect(srpSignIn(pool.webClientId, username, 'Final-pass-1')).resolves.toMatchObject({ session: expect.anything() });
    },
    // Two SRP exchanges.
    2 * SRP_TEST_TIMEOUT_MS,
  );
});
