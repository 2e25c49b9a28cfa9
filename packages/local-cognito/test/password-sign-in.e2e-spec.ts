import {
  AdminCreateUserCommand,
  AdminInitiateAuthCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { createUser, getTokens } from '../testing/local-pool.mjs';
import { useTestPool } from './support/test-pool.js';

const INCORRECT = { name: 'NotAuthorizedException', message: 'Incorrect username or password.' };

describe('password sign-in (USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH), refused as Cognito refuses it', () => {
  const pool = useTestPool();
  let sdk: CognitoIdentityProviderClient;

  beforeAll(() => {
    sdk = pool.sdk;
  });

  const adminSignIn = (username: string, password: string) =>
    sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId,
        ClientId: pool.backendClientId,
        AuthFlow: 'ADMIN_USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
  const userSignIn = (username: string, password: string) =>
    sdk.send(
      new InitiateAuthCommand({
        ClientId: pool.backendClientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );

  it('signs a seeded user in with the right password', async () => {
    const result = await adminSignIn('alice', 'Alice-pass-1');
    expect(result.AuthenticationResult).toMatchObject({ AccessToken: expect.any(String), RefreshToken: expect.any(String) });
    await expect(userSignIn('alice', 'Alice-pass-1')).resolves.toMatchObject({ AuthenticationResult: expect.anything() });
  });

  it('answers a wrong password and an unknown user alike: NotAuthorizedException, "Incorrect username or password."', async () => {
    await expect(adminSignIn('alice', 'Not-her-pass-1')).rejects.toMatchObject(INCORRECT);
    await expect(adminSignIn('nobody-here', 'Whatever-1')).rejects.toMatchObject(INCORRECT);
    await expect(userSignIn('alice', 'Not-her-pass-1')).rejects.toMatchObject(INCORRECT);
    await expect(userSignIn('nobody-here', 'Whatever-1')).rejects.toMatchObject(INCORRECT);
  });

  it('checks the password before asking a user with a temporary password for a new one', async () => {
    const username = `temp-${randomUUID().slice(0, 8)}`;
    await sdk.send(
      new AdminCreateUserCommand({
        UserPoolId: pool.userPoolId,
        Username: username,
        TemporaryPassword: 'Temp-pass-1',
        MessageAction: 'SUPPRESS',
      }),
    );
    await expect(userSignIn(username, 'Wrong-pass-1')).rejects.toMatchObject(INCORRECT);
    await expect(userSignIn(username, 'Temp-pass-1')).resolves.toMatchObject({ ChallengeName: 'NEW_PASSWORD_REQUIRED' });
  });

  it("the test-suite helper's getTokens fails with the same code and message", async () => {
    const options = { stackFile: pool.stackFile };
    const username = `helper-${randomUUID().slice(0, 8)}`;
    await createUser({ username, password: 'Helper-pass-1' }, options);
    for (const [name, password] of [
      [username, 'Wrong-pass-1'],
      ['nobody-here', 'Whatever-1'],
    ]) {
      await expect(getTokens(name, password, options)).rejects.toMatchObject({
        name: 'LocalPoolError',
        code: 'NotAuthorizedException',
        message: expect.stringContaining('Incorrect username or password.'),
      });
    }
    await expect(getTokens(username, 'Helper-pass-1', options)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });
});
