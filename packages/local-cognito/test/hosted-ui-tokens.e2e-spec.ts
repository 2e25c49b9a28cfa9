import {
  AdminDisableUserCommand,
  GetUserCommand,
  GlobalSignOutCommand,
  RevokeTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomUUID } from 'node:crypto';
import { createUser } from '../testing/local-pool.mjs';
import { claims, hostedUiSignIn, oauthPost } from './support/hosted-ui.js';
import { useTestPool } from './support/test-pool.js';

const UUID = /^[0-9a-f-]{36}$/;

/** Tokens of the Hosted UI's /oauth2/token as Cognito issues them: sessions, refresh with rotation, revocation. */
describe('Hosted UI tokens (/oauth2/token, /oauth2/revoke) as Cognito issues them', () => {
  const pool = useTestPool();

  const refresh = (clientId: string, refreshToken: unknown) =>
    oauthPost(pool.endpoint, 'token', { grant_type: 'refresh_token', client_id: clientId, refresh_token: String(refreshToken) });
  const getUser = (accessToken: unknown) => pool.sdk.send(new GetUserCommand({ AccessToken: String(accessToken) }));

  it('gives the authorization-code grant a session (origin_jti, jti, event_id, auth_time) that refreshes keep', async () => {
    const signedIn = await hostedUiSignIn(pool.endpoint, pool.webClientId, 'alice', 'Alice-pass-1');
    expect(signedIn).toMatchObject({
      status: 200,
      body: { token_type: 'Bearer', expires_in: expect.any(Number), access_token: expect.any(String), id_token: expect.any(String) },
    });
    const access = claims(signedIn.body.access_token);
    expect(access).toMatchObject({
      token_use: 'access',
      username: 'alice',
      client_id: pool.webClientId,
      origin_jti: expect.stringMatching(UUID),
      jti: expect.stringMatching(UUID),
      event_id: expect.stringMatching(UUID),
      auth_time: expect.any(Number),
    });
    expect(claims(signedIn.body.id_token)).toMatchObject({ token_use: 'id', origin_jti: access.origin_jti, event_id: access.event_id });
    // The session's own refresh token, shaped as Cognito's.
    expect(String(signedIn.body.refresh_token).split('.')).toHaveLength(5);

    const refreshed = await refresh(pool.webClientId, signedIn.body.refresh_token);
    expect(refreshed.status).toBe(200);
    // Without rotation, the refresh token stays the one to use.
    expect(refreshed.body.refresh_token).toBeUndefined();
    const next = claims(refreshed.body.access_token);
    expect(next).toMatchObject({ origin_jti: access.origin_jti, auth_time: access.auth_time, username: 'alice' });
    expect(next.jti).not.toBe(access.jti);
    expect(next.event_id).not.toBe(access.event_id);
    await expect(getUser(refreshed.body.access_token)).resolves.toMatchObject({ Username: 'alice' });
  });

  it('grants the scopes the app asked for (all its client allows when it names none), kept through refreshes; refuses others', async () => {
    const asked = await hostedUiSignIn(pool.endpoint, pool.webClientId, 'alice', 'Alice-pass-1', 'openid email');
    expect(claims(asked.body.access_token).scope).toBe('openid email');
    // Without the API scope, the token cannot call the user-pools API, as on Cognito.
    await expect(getUser(asked.body.access_token)).rejects.toMatchObject({
      name: 'NotAuthorizedException',
      message: 'Access Token does not have required scopes',
    });
    const refreshed = await refresh(pool.webClientId, asked.body.refresh_token);
    expect(claims(refreshed.body.access_token).scope).toBe('openid email');

    const all = await hostedUiSignIn(pool.endpoint, pool.webClientId, 'alice', 'Alice-pass-1', '');
    expect(claims(all.body.access_token).scope).toBe('openid email profile aws.cognito.signin.user.admin');

    // `phone` is not among the web client's scopes: the authorization request goes back with invalid_scope.
    const refused = await hostedUiSignIn(pool.endpoint, pool.webClientId, 'alice', 'Alice-pass-1', 'openid phone');
    expect(refused.location).toMatch(/[?&]error=invalid_scope&/);
  });

  it('rotates refresh tokens on the web-rotating client: the old one works for the grace period, then is refused', async () => {
    const signedIn = await hostedUiSignIn(pool.endpoint, pool.webRotatingClientId, 'alice', 'Alice-pass-1');
    const first = signedIn.body.refresh_token;
    const rotated = await refresh(pool.webRotatingClientId, first);
    expect(rotated).toMatchObject({ status: 200, body: { refresh_token: expect.any(String) } });
    expect(rotated.body.refresh_token).not.toBe(first);
    expect(claims(rotated.body.access_token).origin_jti).toBe(claims(signedIn.body.access_token).origin_jti);

    // A client's retry within the grace period (10 s) still works.
    await expect(refresh(pool.webRotatingClientId, first)).resolves.toMatchObject({ status: 200 });
    pool.advanceClock(11_000);
    await expect(refresh(pool.webRotatingClientId, first)).resolves.toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await expect(refresh(pool.webRotatingClientId, rotated.body.refresh_token)).resolves.toMatchObject({ status: 200 });
    // A refresh token is its client's.
    await expect(refresh(pool.webClientId, rotated.body.refresh_token)).resolves.toMatchObject({
      status: 400,
      body: { error: 'invalid_grant' },
    });
  });

  it('revokes the session at /oauth2/revoke and with RevokeToken: its refresh token refused, GetUser refusing its access token', async () => {
    for (const revoke of [
      (token: unknown) => oauthPost(pool.endpoint, 'revoke', { token: String(token), client_id: pool.webClientId }),
      (token: unknown) => pool.sdk.send(new RevokeTokenCommand({ Token: String(token), ClientId: pool.webClientId })),
    ]) {
      const { body } = await hostedUiSignIn(pool.endpoint, pool.webClientId, 'alice', 'Alice-pass-1');
      await getUser(body.access_token);
      await revoke(body.refresh_token);
      await expect(refresh(pool.webClientId, body.refresh_token)).resolves.toMatchObject({
        status: 400,
        body: { error: 'invalid_grant', error_description: 'Refresh Token has been revoked' },
      });
      await expect(getUser(body.access_token)).rejects.toMatchObject({
        name: 'NotAuthorizedException',
        message: 'Access Token has been revoked',
      });
    }
    await expect(oauthPost(pool.endpoint, 'revoke', { token: 'a.b.c', client_id: pool.webClientId })).resolves.toMatchObject({
      status: 400,
      body: { error: 'unsupported_token_type' },
    });
    await expect(oauthPost(pool.endpoint, 'revoke', { token: 'x', client_id: 'no-such-client' })).resolves.toMatchObject({
      status: 400,
      body: { error: 'invalid_client' },
    });
  });

  it('ends Hosted UI sessions with a global sign-out, and keeps a disabled user out of the Hosted UI', async () => {
    const username = `hosted-${randomUUID().slice(0, 8)}`;
    await createUser(
      { username, password: 'Hosted-pass-1', attributes: { email: `${username}@example.com` } },
      { stackFile: pool.stackFile },
    );
    const { body } = await hostedUiSignIn(pool.endpoint, pool.webClientId, username, 'Hosted-pass-1');
    await pool.sdk.send(new GlobalSignOutCommand({ AccessToken: String(body.access_token) }));
    await expect(refresh(pool.webClientId, body.refresh_token)).resolves.toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    await expect(getUser(body.access_token)).rejects.toMatchObject({ message: 'Access Token has been revoked' });

    await pool.sdk.send(new AdminDisableUserCommand({ UserPoolId: pool.userPoolId, Username: username }));
    const refused = await hostedUiSignIn(pool.endpoint, pool.webClientId, username, 'Hosted-pass-1');
    expect(refused.status).toBe(400);
    expect(refused.page).toContain('User is disabled.');
  });
});
