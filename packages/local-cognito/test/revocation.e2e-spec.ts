import {
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminUserGlobalSignOutCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  InitiateAuthCommand,
  RevokeTokenCommand,
  UpdateUserAttributesCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { createUser } from '../testing/local-pool.mjs';
import { POOL_START_TIMEOUT_MS, useTestPool } from './support/test-pool.js';

const REVOKED = { name: 'NotAuthorizedException', message: 'Access Token has been revoked' };

describe('revocation as Cognito does it: RevokeToken, global sign-outs, disabled and deleted users', () => {
  const pool = useTestPool();

  const newUser = async () => {
    const username = `revoke-${randomUUID().slice(0, 8)}`;
    await createUser(
      { username, password: 'Revoke-pass-1', attributes: { email: `${username}@example.com` } },
      { stackFile: pool.stackFile },
    );
    return username;
  };
  const signIn = async (username: string, clientId = pool.backendClientId) =>
    (
      await pool.sdk.send(
        new InitiateAuthCommand({
          ClientId: clientId,
          AuthFlow: 'USER_PASSWORD_AUTH',
          AuthParameters: { USERNAME: username, PASSWORD: 'Revoke-pass-1' },
        }),
      )
    ).AuthenticationResult!;
  const getUser = (accessToken: string) => pool.sdk.send(new GetUserCommand({ AccessToken: accessToken }));
  const refresh = (refreshToken: string, clientId = pool.backendClientId) =>
    pool.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }));

  it("RevokeToken revokes the refresh token and every access token of its session, and no other session's", async () => {
    const username = await newUser();
    const one = await signIn(username);
    const refreshed = (await refresh(one.RefreshToken!)).AuthenticationResult!;
    const other = await signIn(username);

    await pool.sdk.send(new RevokeTokenCommand({ ClientId: pool.backendClientId, Token: one.RefreshToken }));
    await expect(getUser(one.AccessToken!)).rejects.toMatchObject(REVOKED);
    await expect(getUser(refreshed.AccessToken!)).rejects.toMatchObject(REVOKED);
    await expect(
      pool.sdk.send(
        new UpdateUserAttributesCommand({ AccessToken: one.AccessToken, UserAttributes: [{ Name: 'given_name', Value: 'X' }] }),
      ),
    ).rejects.toMatchObject(REVOKED);
    await expect(refresh(one.RefreshToken!)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Refresh Token has been revoked',
    });
    await expect(getUser(other.AccessToken!)).resolves.toMatchObject({ Username: username });
  });

  it('GlobalSignOut revokes every session of the user', async () => {
    const username = await newUser();
    const one = await signIn(username);
    const two = await signIn(username, pool.webRotatingClientId);
    await pool.sdk.send(new GlobalSignOutCommand({ AccessToken: one.AccessToken }));
    await expect(getUser(one.AccessToken!)).rejects.toMatchObject(REVOKED);
    await expect(getUser(two.AccessToken!)).rejects.toMatchObject(REVOKED);
    await expect(refresh(two.RefreshToken!, pool.webRotatingClientId)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    // A new sign-in is a new session.
    await expect(getUser((await signIn(username)).AccessToken!)).resolves.toMatchObject({ Username: username });
  });

  it('AdminUserGlobalSignOut revokes every session of the user; an unknown user is UserNotFoundException', async () => {
    const username = await newUser();
    const tokens = await signIn(username);
    await pool.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: username }));
    await expect(getUser(tokens.AccessToken!)).rejects.toMatchObject(REVOKED);
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(
      pool.sdk.send(new AdminUserGlobalSignOutCommand({ UserPoolId: pool.userPoolId, Username: 'nobody-here' })),
    ).rejects.toMatchObject({ name: 'UserNotFoundException' });
  });

  it('AdminDisableUser: "User is disabled." for its tokens, its refresh and its sign-in; enabled again, only a new sign-in works', async () => {
    const username = await newUser();
    const tokens = await signIn(username);
    await pool.sdk.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
    const disabled = { name: 'NotAuthorizedException', message: 'User is disabled.' };
    await expect(getUser(tokens.AccessToken!)).rejects.toMatchObject(disabled);
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
    await expect(signIn(username)).rejects.toMatchObject(disabled);

    await pool.sdk.send(new AdminEnableUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
    await expect(getUser(tokens.AccessToken!)).rejects.toMatchObject(REVOKED);
    await expect(getUser((await signIn(username)).AccessToken!)).resolves.toMatchObject({ Username: username });
  });

  it('AdminDeleteUser: its tokens answer UserNotFoundException, its refresh token is refused', async () => {
    const username = await newUser();
    const tokens = await signIn(username);
    await pool.sdk.send(new AdminDeleteUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
    await expect(getUser(tokens.AccessToken!)).rejects.toMatchObject({ name: 'UserNotFoundException' });
    await expect(refresh(tokens.RefreshToken!)).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('refuses an access token that is not the pool’s', async () => {
    await expect(getUser('eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });

  it('answers an operation it does not implement with HTTP 400, a __type and a message naming it, never a 500', async () => {
    for (const target of ['ListDevices', 'GetUserAuthFactors', 'NoSuchOperation']) {
      const response = await fetch(`${pool.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
        body: JSON.stringify({ AccessToken: 'x' }),
      });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { __type: string; message: string };
      expect(body.__type).toEqual(expect.any(String));
      expect(body.message).toContain(target);
    }
    const flow = await fetch(`${pool.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth' },
      body: JSON.stringify({ ClientId: pool.backendClientId, AuthFlow: 'CUSTOM_AUTH', AuthParameters: { USERNAME: 'alice' } }),
    });
    expect(flow.status).toBe(400);
    expect(((await flow.json()) as { message: string }).message).toContain('InitiateAuth');
  });

  it(
    'keeps sessions and revocations across a restart of the pool',
    async () => {
      const username = await newUser();
      const kept = await signIn(username);
      const revoked = await signIn(username);
      await pool.sdk.send(new RevokeTokenCommand({ ClientId: pool.backendClientId, Token: revoked.RefreshToken }));

      await pool.restart();
      await expect(refresh(kept.RefreshToken!)).resolves.toMatchObject({ AuthenticationResult: { AccessToken: expect.any(String) } });
      await expect(refresh(revoked.RefreshToken!)).rejects.toMatchObject({ message: 'Refresh Token has been revoked' });
      await expect(getUser(revoked.AccessToken!)).rejects.toMatchObject(REVOKED);
      await expect(getUser(kept.AccessToken!)).resolves.toMatchObject({ Username: username });
    },
    POOL_START_TIMEOUT_MS,
  );
});
