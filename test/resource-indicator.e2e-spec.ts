import { createHash, randomBytes } from 'node:crypto';
import { signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { testStack } from './support/stack-env.js';
import { basicAuth, tokenRequest } from './support/token-endpoint.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const AUDIENCE = 'https://api.example.com';
const VERIFIER = randomBytes(32).toString('base64url');
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');

const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** RFC 8707's resource parameter at the local pool's /oauth2/authorize and /oauth2/token, seen by an API with COGNITO_AUDIENCE. */
describe('Resource indicators (RFC 8707) at the local pool, against COGNITO_AUDIENCE', () => {
  let sut: TestApp;
  const stack = () => testStack();
  const machineToken = (form: Record<string, string> = {}) =>
    tokenRequest(
      stack().emulatorEndpoint,
      { grant_type: 'client_credentials', ...form },
      basicAuth(stack().serviceClientId, stack().serviceClientSecret),
    );

  beforeAll(async () => {
    sut = await startTestApp({ env: { COGNITO_AUDIENCE: AUDIENCE } });
  });
  afterAll(async () => {
    await sut.close();
  });

  it('gives a client-credentials token the resource as aud: the API accepts it, and refuses one without it', async () => {
    const alice = await signIn('alice');
    const sub = claims(alice.accessToken).sub as string;
    const withResource = await machineToken({ resource: AUDIENCE });
    expect(withResource.status).toBe(200);
    const token = withResource.body.access_token as string;
    expect(claims(token).aud).toBe(AUDIENCE);
    const found = await call(`${sut.url}/api/v1/users?sub=${sub}`, { token });
    expect(found.status).toBe(200);

    const without = await machineToken();
    const refused = await call(`${sut.url}/api/v1/users?sub=${sub}`, { token: without.body.access_token as string });
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('token_wrong_audience');
  });

  it.each([['not-a-uri'], ['https://api.example.com/#fragment']])('refuses resource=%s with invalid_target', async (resource) => {
    const answer = await machineToken({ resource });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe('invalid_target');
  });

  it('carries the resource of the authorization request into the authorization-code token, which opens /api/v1/me', async () => {
    const { emulatorEndpoint, webClientId, devServerPort } = stack();
    const redirectUri = `http://localhost:${devServerPort}/callback`;
    const request = {
      client_id: webClientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      scope: 'openid',
      state: 'xyz',
      resource: AUDIENCE,
    };
    const page = await fetch(`${emulatorEndpoint}/oauth2/authorize?${new URLSearchParams(request).toString()}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain(`name="resource" value="${AUDIENCE}"`);
    const posted = await fetch(`${emulatorEndpoint}/oauth2/authorize`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...request, username: 'alice', password: 'Alice-pass-1' }).toString(),
      redirect: 'manual',
    });
    expect(posted.status).toBe(302);
    const code = new URL(posted.headers.get('location')!).searchParams.get('code')!;
    const tokens = await tokenRequest(emulatorEndpoint, {
      grant_type: 'authorization_code',
      client_id: webClientId,
      code,
      redirect_uri: redirectUri,
      code_verifier: VERIFIER,
    });
    expect(tokens.body).toMatchObject({ access_token: expect.any(String) });
    const accessToken = tokens.body.access_token as string;
    expect(claims(accessToken).aud).toBe(AUDIENCE);
    const me = await call(`${sut.url}/api/v1/me`, { token: accessToken });
    expect(me.status).toBe(200);
  });

  it('answers an invalid resource at /oauth2/authorize with invalid_target on the redirect URI', async () => {
    const { emulatorEndpoint, webClientId, devServerPort } = stack();
    const redirectUri = `http://localhost:${devServerPort}/callback`;
    const query = new URLSearchParams({
      client_id: webClientId,
      response_type: 'code',
      redirect_uri: redirectUri,
      code_challenge: CHALLENGE,
      code_challenge_method: 'S256',
      state: 'abc',
      resource: 'relative/path',
    });
    const answer = await fetch(`${emulatorEndpoint}/oauth2/authorize?${query.toString()}`, { redirect: 'manual' });
    expect(answer.status).toBe(302);
    const location = new URL(answer.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get('error')).toBe('invalid_target');
    expect(location.searchParams.get('state')).toBe('abc');
  });
});
