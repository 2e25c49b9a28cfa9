import identity from 'amazon-cognito-identity-js';
import type { CognitoUserSession } from 'amazon-cognito-identity-js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getClientToken } from '../testing/local-pool.mjs';
import { claims, hostedUiSignIn, oauthPost } from './support/hosted-ui.js';
import { POOL_START_TIMEOUT_MS, startTestPool, type TestPool } from './support/test-pool.js';

const { AuthenticationDetails, CognitoUser, CognitoUserPool } = identity;

// A hook as a team would write its Lambda: async, `handler` export, event in, event out; it also records each event.
const HOOK = `
import { appendFileSync } from 'node:fs';
export const handler = async (event) => {
  appendFileSync(process.env.HOOK_EVENTS_FILE, JSON.stringify(event) + '\\n');
  if (event.userName === 'admin') throw new Error('admins sign in elsewhere');
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: { claimsToAddOrOverride: { tenant: 'acme', sub: 'forged', iss: 'https://evil' }, claimsToSuppress: ['email', 'token_use'] },
      accessTokenGeneration: {
        claimsToAddOrOverride: { tenant: 'acme', origin_jti: 'forged', client_id: 'forged' },
        claimsToSuppress: ['auth_time'],
        scopesToAdd: ['orders/read'],
        scopesToSuppress: event.version === '3' ? [] : ['aws.cognito.signin.user.admin'],
      },
      groupOverrideDetails: { groupsToOverride: ['editors'], iamRolesToOverride: [], preferredRole: null },
    },
  };
  return event;
};
`;

/** The pre-token-generation hook (LOCAL_PRE_TOKEN_HOOK) seen through amazon-cognito-identity-js and the token endpoint. */
describe('pre-token-generation hook', () => {
  let pool: TestPool;
  let dir: string;
  let eventsFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pre-token-hook-'));
    eventsFile = join(dir, 'events.ndjson');
    writeFileSync(eventsFile, '');
    process.env.HOOK_EVENTS_FILE = eventsFile;
    writeFileSync(join(dir, 'hook.mjs'), HOOK);
    pool = await startTestPool({ preTokenHook: join(dir, 'hook.mjs') });
  }, POOL_START_TIMEOUT_MS);
  afterAll(async () => {
    await pool?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const events = async (): Promise<Array<Record<string, unknown>>> => {
    const { readFileSync } = await import('node:fs');
    return readFileSync(eventsFile, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  };
  const signIn = (username: string, password: string) => {
    const user = new CognitoUser({
      Username: username,
      Pool: new CognitoUserPool({ UserPoolId: pool.userPoolId, ClientId: pool.backendClientId, endpoint: pool.endpoint }),
    });
    user.setAuthenticationFlowType('USER_PASSWORD_AUTH');
    return new Promise<{ user: identity.CognitoUser; session: CognitoUserSession }>((resolve, reject) =>
      user.authenticateUser(new AuthenticationDetails({ Username: username, Password: password }), {
        onSuccess: (session) => resolve({ user, session }),
        onFailure: reject,
      }),
    );
  };

  it('adds a claim and a scope, suppresses a claim and a scope, overrides groups, and leaves protected claims alone', async () => {
    const { session } = await signIn('alice', 'Alice-pass-1');
    const access = session.getAccessToken().payload;
    const id = session.getIdToken().payload;
    expect(access).toMatchObject({ tenant: 'acme', scope: 'orders/read', 'cognito:groups': ['editors'], client_id: pool.backendClientId });
    expect(access.auth_time).toEqual(expect.any(Number)); // protected: the hook's suppression is ignored
    expect(access.origin_jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(id).toMatchObject({ tenant: 'acme', token_use: 'id', 'cognito:groups': ['editors'] });
    expect(id.email).toBeUndefined();
    expect(id.sub).toBe(access.sub);
    expect(id.sub).not.toBe('forged');
    expect(String(id.iss)).toBe(`${pool.endpoint}/${pool.userPoolId}`);

    const [event] = await events();
    expect(event).toMatchObject({
      version: '2',
      triggerSource: 'TokenGeneration_Authentication',
      userPoolId: pool.userPoolId,
      userName: 'alice',
      callerContext: { clientId: pool.backendClientId },
      request: {
        userAttributes: { email: expect.any(String), sub: access.sub },
        groupConfiguration: { groupsToOverride: [], iamRolesToOverride: [], preferredRole: null },
        scopes: ['aws.cognito.signin.user.admin'],
      },
      response: { claimsAndScopeOverrideDetails: null },
    });
  });

  it('runs again on a refresh (TokenGeneration_RefreshTokens), keeping the session', async () => {
    const { user, session } = await signIn('alice', 'Alice-pass-1');
    const refreshed = await new Promise<CognitoUserSession>((resolve, reject) =>
      user.refreshSession(session.getRefreshToken(), (error: Error | null, next: CognitoUserSession) =>
        error ? reject(error) : resolve(next),
      ),
    );
    expect(refreshed.getAccessToken().payload).toMatchObject({ tenant: 'acme', origin_jti: session.getAccessToken().payload.origin_jti });
    expect((await events()).at(-1)).toMatchObject({ triggerSource: 'TokenGeneration_RefreshTokens', userName: 'alice' });
  });

  it('fails the sign-in as Cognito fails it when the hook throws', async () => {
    await expect(signIn('admin', 'Admin-pass-1')).rejects.toMatchObject({
      code: 'UserLambdaValidationException',
      message: 'PreTokenGeneration failed with error admins sign in elsewhere.',
    });
  });

  it('runs for the Hosted UI too: TokenGeneration_HostedAuth for the authorization code, TokenGeneration_RefreshTokens for its refresh', async () => {
    const signedIn = await hostedUiSignIn(pool.endpoint, pool.webClientId, 'alice', 'Alice-pass-1');
    const access = claims(signedIn.body.access_token);
    // The scopes the sign-in asked for, less the one the hook suppresses, plus the one it adds.
    expect(access).toMatchObject({
      tenant: 'acme',
      scope: 'openid email orders/read',
      'cognito:groups': ['editors'],
      client_id: pool.webClientId,
    });
    expect(access.origin_jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(claims(signedIn.body.id_token)).toMatchObject({ tenant: 'acme', 'cognito:groups': ['editors'] });
    expect((await events()).at(-1)).toMatchObject({
      triggerSource: 'TokenGeneration_HostedAuth',
      userName: 'alice',
      callerContext: { clientId: pool.webClientId },
    });

    const refreshed = await oauthPost(pool.endpoint, 'token', {
      grant_type: 'refresh_token',
      client_id: pool.webClientId,
      refresh_token: String(signedIn.body.refresh_token),
    });
    expect(claims(refreshed.body.access_token)).toMatchObject({ tenant: 'acme', origin_jti: access.origin_jti });
    expect((await events()).at(-1)).toMatchObject({
      triggerSource: 'TokenGeneration_RefreshTokens',
      callerContext: { clientId: pool.webClientId },
    });

    await expect(hostedUiSignIn(pool.endpoint, pool.webClientId, 'admin', 'Admin-pass-1')).resolves.toMatchObject({
      status: 400,
      body: { error: 'invalid_request', error_description: 'PreTokenGeneration failed with error admins sign in elsewhere.' },
    });
  });

  it('gets a version 3 event for client-credentials tokens', async () => {
    const { accessToken } = await getClientToken({ stackFile: pool.stackFile });
    const access = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(access).toMatchObject({ tenant: 'acme', client_id: pool.serviceClientId });
    expect(access['cognito:groups']).toBeUndefined();
    expect(String(access.scope).split(' ').sort()).toEqual(['backend/users.read', 'orders/read']);
    expect((await events()).at(-1)).toMatchObject({
      version: '3',
      triggerSource: 'TokenGeneration_ClientCredentials',
      callerContext: { clientId: pool.serviceClientId },
      request: { scopes: ['backend/users.read'] },
    });
  });
});
