import { createPublicKey, type JsonWebKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { getClientToken } from '@backend/local-cognito/testing';
import { signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { runScript } from './support/run-command.js';
import { testStack } from './support/stack-env.js';
import { basicAuth, tokenRequest as tokenRequestTo } from './support/token-endpoint.js';
import { writeStackFile } from './support/stack-file.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The test run's pool's token endpoint. */
const tokenRequest = (form: Record<string, string>, authorization?: string) =>
  tokenRequestTo(testStack().emulatorEndpoint, form, authorization);

describe('Client credentials at the local pool (POST /oauth2/token, grant_type=client_credentials)', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it("issues the service client a machine token with Cognito's claims, signed by a key of the pool's JWKS", async () => {
    const { serviceClientId, serviceClientSecret, emulatorEndpoint, userPoolId } = testStack();
    const response = await tokenRequest({ grant_type: 'client_credentials' }, basicAuth(serviceClientId, serviceClientSecret));
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ access_token: expect.any(String), expires_in: 3600, token_type: 'Bearer' });

    const token = response.body.access_token as string;
    const { header, payload } = jwt.decode(token, { complete: true }) as { header: jwt.JwtHeader; payload: Record<string, unknown> };
    expect(header).toMatchObject({ alg: 'RS256', kid: 'CognitoLocal' });
    expect(Object.keys(payload).sort()).toEqual([
      'auth_time',
      'client_id',
      'exp',
      'iat',
      'iss',
      'jti',
      'scope',
      'sub',
      'token_use',
      'version',
    ]);
    expect(payload).toMatchObject({
      sub: serviceClientId,
      client_id: serviceClientId,
      scope: 'backend/users.read',
      token_use: 'access',
      iss: `${emulatorEndpoint}/${userPoolId}`,
      version: 2,
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(3600);

    const jwks = (await call<{ keys: Array<JsonWebKey & { kid: string }> }>(`${emulatorEndpoint}/${userPoolId}/.well-known/jwks.json`))
      .body;
    const jwk = jwks.keys.find((key) => key.kid === header.kid)!;
    expect(() =>
      jwt.verify(token, createPublicKey({ key: jwk, format: 'jwk' }), {
        algorithms: ['RS256'],
        issuer: `${emulatorEndpoint}/${userPoolId}`,
      }),
    ).not.toThrow();
  });

  it('opens the users API as a machine client, and is refused on the routes for people', async () => {
    const alice = await call<{ id: string; sub: string }>(`${sut.url}/api/v1/me`, { token: (await signIn('alice')).accessToken });
    expect(alice.status).toBe(200);
    const { accessToken } = await getClientToken({ stackFile: writeStackFile() });

    const found = await call<{ items: Array<{ id: string; username: string }> }>(`${sut.url}/api/v1/users?sub=${alice.body.sub}`, {
      token: accessToken,
    });
    expect(found.status).toBe(200);
    expect(found.body.items).toEqual([expect.objectContaining({ id: alice.body.id, username: 'alice' })]);

    const me = await call<{ code: string }>(`${sut.url}/api/v1/me`, { token: accessToken });
    expect(me.status).toBe(403);
    expect(me.body.code).toBe('user_token_required');
  });

  it('accepts the client secret in the form body too (client_secret_post), and a scope it is allowed', async () => {
    const { serviceClientId, serviceClientSecret } = testStack();
    const response = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: serviceClientId,
      client_secret: serviceClientSecret,
      scope: 'backend/users.read',
    });
    expect(response.status).toBe(200);
  });

  it('refuses a wrong secret, an unknown client and a client without a secret with invalid_client', async () => {
    const { serviceClientId, webClientId } = testStack();
    for (const authorization of [
      basicAuth(serviceClientId, 'not-the-secret'),
      basicAuth('unknownclient123', 'whatever'),
      basicAuth(webClientId, ''),
      undefined,
    ]) {
      const response = await tokenRequest({ grant_type: 'client_credentials' }, authorization);
      expect(response.status).toBe(400);
      expect(response.body).toEqual({ error: 'invalid_client' });
    }
  });

  it('refuses a scope the client is not allowed, and a grant the pool does not know', async () => {
    const { serviceClientId, serviceClientSecret } = testStack();
    const scope = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'backend/users.write' },
      basicAuth(serviceClientId, serviceClientSecret),
    );
    expect(scope.status).toBe(400);
    expect(scope.body).toEqual({ error: 'invalid_scope' });
    const grant = await tokenRequest({ grant_type: 'password' }, basicAuth(serviceClientId, serviceClientSecret));
    expect(grant.status).toBe(400);
    expect(grant.body).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('is what `npm run token -- --client service` prints, from the stack file', async () => {
    const result = await runScript('token', ['--client', 'service', '--json'], { LOCAL_STACK_FILE: writeStackFile() });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const printed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(printed).toMatchObject({ client: 'service', tokenType: 'Bearer', expiresIn: 3600, scope: 'backend/users.read' });
    expect(jwt.decode(printed.accessToken as string)).toMatchObject({ sub: testStack().serviceClientId });

    const unknown = await runScript('token', ['--client', 'billing'], { LOCAL_STACK_FILE: writeStackFile() });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr.trim()).toBe('The local pool has one machine client, "service" (got "billing").');
  });

  it('against a configured pool, names the variables it needs', async () => {
    const result = await runScript('token', ['--client', 'service'], {
      COGNITO_USER_POOL_ID: 'us-east-1_Abc',
      COGNITO_REGION: 'us-east-1',
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/COGNITO_DOMAIN .*COGNITO_SERVICE_CLIENT_ID .*COGNITO_SERVICE_CLIENT_SECRET/);
  });
});
