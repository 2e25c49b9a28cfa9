import {
  AdminInitiateAuthCommand,
  CreateUserPoolClientCommand,
  DescribeUserPoolClientCommand,
  GetTokensFromRefreshTokenCommand,
  GetUserCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { Amplify } from 'aws-amplify';
import { fetchAuthSession, signIn, signOut } from 'aws-amplify/auth';
import { useTestPool } from './support/test-pool.js';

const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

describe('refresh as Cognito does it now: GetTokensFromRefreshToken, refresh-token rotation, REFRESH_TOKEN_AUTH', () => {
  const pool = useTestPool();

  const passwordSignIn = async (clientId: string, username = 'alice', password = 'Alice-pass-1') => {
    const { AuthenticationResult } = await pool.sdk.send(
      new InitiateAuthCommand({
        ClientId: clientId,
        AuthFlow: 'USER_PASSWORD_AUTH',
        AuthParameters: { USERNAME: username, PASSWORD: password },
      }),
    );
    return AuthenticationResult!;
  };
  const refresh = (clientId: string, refreshToken: string) =>
    pool.sdk.send(new GetTokensFromRefreshTokenCommand({ ClientId: clientId, RefreshToken: refreshToken }));

  it('gives tokens of a sign-in a session: jti, origin_jti, event_id, auth_time and the API scope', async () => {
    const tokens = await passwordSignIn(pool.backendClientId);
    const access = claims(tokens.AccessToken!);
    expect(access).toMatchObject({
      token_use: 'access',
      username: 'alice',
      client_id: pool.backendClientId,
      scope: 'aws.cognito.signin.user.admin',
      origin_jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      jti: expect.stringMatching(/^[0-9a-f-]{36}$/),
      event_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      auth_time: expect.any(Number),
    });
    expect(claims(tokens.IdToken!)).toMatchObject({ token_use: 'id', origin_jti: access.origin_jti, event_id: access.event_id });
    expect(tokens.RefreshToken!.split('.')).toHaveLength(5);
    await expect(pool.sdk.send(new GetUserCommand({ AccessToken: tokens.AccessToken }))).resolves.toMatchObject({ Username: 'alice' });
  });

  it("refreshes an Amplify 6 session (fetchAuthSession with forceRefresh), keeping the session's origin_jti and auth_time", async () => {
    Amplify.configure({
      Auth: { Cognito: { userPoolId: pool.userPoolId, userPoolClientId: pool.backendClientId, userPoolEndpoint: pool.endpoint } },
    });
    const result = await signIn({ username: 'alice', password: 'Alice-pass-1', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    expect(result.isSignedIn).toBe(true);
    const first = (await fetchAuthSession()).tokens!;
    const second = (await fetchAuthSession({ forceRefresh: true })).tokens!;
    expect(second.accessToken.toString()).not.toBe(first.accessToken.toString());
    expect(second.accessToken.payload).toMatchObject({
      origin_jti: first.accessToken.payload.origin_jti,
      auth_time: first.accessToken.payload.auth_time,
      username: 'alice',
    });
    expect(second.accessToken.payload.jti).not.toBe(first.accessToken.payload.jti);
    expect(second.accessToken.payload.event_id).not.toBe(first.accessToken.payload.event_id);
    await signOut();
  });

  it('rotates with the web-rotating client through Amplify: a new refresh token with each refresh', async () => {
    Amplify.configure({
      Auth: { Cognito: { userPoolId: pool.userPoolId, userPoolClientId: pool.webRotatingClientId, userPoolEndpoint: pool.endpoint } },
    });
    await signIn({ username: 'alice', password: 'Alice-pass-1', options: { authFlowType: 'USER_PASSWORD_AUTH' } });
    const first = (await fetchAuthSession()).tokens!;
    const refreshed = (await fetchAuthSession({ forceRefresh: true })).tokens!;
    const again = (await fetchAuthSession({ forceRefresh: true })).tokens!;
    expect(new Set([first, refreshed, again].map((tokens) => tokens.accessToken.payload.origin_jti)).size).toBe(1);
    expect(again.accessToken.payload.client_id).toBe(pool.webRotatingClientId);
    await signOut();
  });

  it('keeps a rotated-out refresh token working for the grace period only, then refuses it', async () => {
    const { ClientId: clientId } = (
      await pool.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.userPoolId,
          ClientName: 'rotating-5s',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
          RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 5 },
        }),
      )
    ).UserPoolClient!;
    const described = await pool.sdk.send(new DescribeUserPoolClientCommand({ UserPoolId: pool.userPoolId, ClientId: clientId }));
    expect(described.UserPoolClient?.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 5 });

    const first = (await passwordSignIn(clientId!)).RefreshToken!;
    const second = (await refresh(clientId!, first)).AuthenticationResult!;
    expect(second.RefreshToken).toEqual(expect.any(String));
    expect(second.RefreshToken).not.toBe(first);
    // A retry within the grace period still works...
    await expect(refresh(clientId!, first)).resolves.toMatchObject({ AuthenticationResult: { AccessToken: expect.any(String) } });
    pool.advanceClock(5_001);
    // ...and not after it; the newest refresh token keeps working.
    await expect(refresh(clientId!, first)).rejects.toMatchObject({ name: 'RefreshTokenReuseException' });
    const latest = (await refresh(clientId!, second.RefreshToken!)).AuthenticationResult!;
    expect(claims(latest.AccessToken!).origin_jti).toBe(claims(second.AccessToken!).origin_jti);
  });

  it('refuses the rotated-out refresh token at once with a grace period of 0', async () => {
    const { ClientId: clientId } = (
      await pool.sdk.send(
        new CreateUserPoolClientCommand({
          UserPoolId: pool.userPoolId,
          ClientName: 'rotating-0s',
          ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
          RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 0 },
        }),
      )
    ).UserPoolClient!;
    const first = (await passwordSignIn(clientId!)).RefreshToken!;
    await refresh(clientId!, first);
    await expect(refresh(clientId!, first)).rejects.toMatchObject({ name: 'RefreshTokenReuseException' });
  });

  it('answers GetTokensFromRefreshToken without a new refresh token for a client that does not rotate', async () => {
    const tokens = await passwordSignIn(pool.backendClientId);
    const refreshed = (await refresh(pool.backendClientId, tokens.RefreshToken!)).AuthenticationResult!;
    expect(refreshed.RefreshToken).toBeUndefined();
    expect(claims(refreshed.AccessToken!).origin_jti).toBe(claims(tokens.AccessToken!).origin_jti);
  });

  it('keeps REFRESH_TOKEN_AUTH for clients without rotation, and refuses it for clients with rotation', async () => {
    const plain = await passwordSignIn(pool.backendClientId);
    const viaInitiate = await pool.sdk.send(
      new InitiateAuthCommand({
        ClientId: pool.backendClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: plain.RefreshToken! },
      }),
    );
    expect(claims(viaInitiate.AuthenticationResult!.AccessToken!).origin_jti).toBe(claims(plain.AccessToken!).origin_jti);
    const viaAdmin = await pool.sdk.send(
      new AdminInitiateAuthCommand({
        UserPoolId: pool.userPoolId,
        ClientId: pool.backendClientId,
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        AuthParameters: { REFRESH_TOKEN: plain.RefreshToken! },
      }),
    );
    expect(viaAdmin.AuthenticationResult?.AccessToken).toEqual(expect.any(String));

    const rotating = await passwordSignIn(pool.webRotatingClientId);
    await expect(
      pool.sdk.send(
        new InitiateAuthCommand({
          ClientId: pool.webRotatingClientId,
          AuthFlow: 'REFRESH_TOKEN_AUTH',
          AuthParameters: { REFRESH_TOKEN: rotating.RefreshToken! },
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it("refuses a refresh token of another client, and one that is not the pool's", async () => {
    const tokens = await passwordSignIn(pool.backendClientId);
    await expect(refresh(pool.webRotatingClientId, tokens.RefreshToken!)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Invalid Refresh Token',
    });
    await expect(refresh(pool.backendClientId, 'not-a-refresh-token')).rejects.toMatchObject({ name: 'NotAuthorizedException' });
  });
});
