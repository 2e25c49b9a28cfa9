import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { FakePool, newKey } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

function b64(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('Token rules, with tokens really signed by a pool of our own', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let me: string;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: { ...pool.env(), JWT_CLOCK_SKEW_SECONDS: '30' } });
    me = `${sut.url}/api/v1/me`;
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  async function expectRefused(token: string, code: string): Promise<void> {
    const response = await call(me, { token });
    expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', code });
    expect(response.status).toBe(401);
    const challenge = response.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
    // The message helps a developer without echoing the token back.
    for (const part of [token, ...token.split('.')].filter((piece) => piece.length > 8)) {
      expect(JSON.stringify(response.body)).not.toContain(part);
      expect(challenge).not.toContain(part);
    }
  }

  it('accepts a valid access token and creates the user', async () => {
    const sub = randomUUID();
    const response = await call(me, { token: pool.mint({ sub, 'cognito:groups': ['staff'] }) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sub, groups: ['staff'], isActive: true });
  });

  // Every rule is a unit case in src/auth/cognito-jwt.strategy.spec.ts; through the server, one refusal of each kind.
  it('refuses bad tokens with 401, the error format and an RFC 6750 challenge, never echoing the token', async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(pool.mint({ exp: now - 600 }), 'token_expired');
    await expectRefused(pool.mint({ iat: now + 600 }), 'token_not_yet_valid');
    await expectRefused(pool.mint({ iss: 'https://cognito-idp.us-test-1.amazonaws.com/us-test-1_Other' }), 'token_wrong_issuer');
    await expectRefused(pool.mint({ client_id: 'another-client' }), 'token_wrong_client');
    await expectRefused(pool.mint({ token_use: 'id' }), 'token_wrong_use');
    await expectRefused(pool.mint({}, { key: newKey(), kid: pool.key.kid }), 'token_invalid');
    await expectRefused(`${b64({ alg: 'none', kid: pool.key.kid })}.${b64(pool.claims())}.sig`, 'token_invalid');
    await expectRefused(`${Buffer.from('not json').toString('base64url')}.${b64({})}.x`, 'token_malformed');
  });

  it('refuses times the pool never sends: exp, iat, nbf and auth_time that are not numbers', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claim of ['exp', 'iat', 'nbf', 'auth_time']) {
      for (const value of ['abc', String(now + 3600), '9999999999', null, [now], { n: now }, true]) {
        await expectRefused(pool.mint({ [claim]: value }), 'token_invalid');
      }
    }
  });

  it('accepts aud, whatever it holds, while COGNITO_AUDIENCE is unset', async () => {
    for (const aud of [undefined, 'https://other.example.com', ['https://a.example.com', 'urn:b']]) {
      expect((await call(me, { token: pool.mint({ aud }) })).status).toBe(200);
    }
  });

  it('refuses a text iat after a sign-out everywhere, which it would otherwise slip past', async () => {
    const sub = randomUUID();
    const token = pool.mint({ sub });
    expect((await call(`${me}/sign-out-everywhere`, { method: 'POST', token })).status).toBe(200);
    await expectRefused(pool.mint({ sub, iat: 'abc' }), 'token_invalid');
    await expectRefused(token, 'token_revoked');
  });

  it('never fetches keys from header hints (jku, x5u) and refuses an embedded jwk', async () => {
    const attackerKey = newKey();
    let attackerHits = 0;
    const attacker: Server = createServer((_request, response) => {
      attackerHits++;
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          keys: [{ ...attackerKey.publicKey.export({ format: 'jwk' }), kid: attackerKey.kid, alg: 'RS256', use: 'sig' }],
        }),
      );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(attacker.address() as { port: number }).port}/jwks.json`;
    try {
      await expectRefused(pool.mint({}, { key: attackerKey, header: { jku: url, x5u: url } }), 'token_invalid');
      const jwk = attackerKey.publicKey.export({ format: 'jwk' });
      await expectRefused(pool.mint({}, { key: attackerKey, header: { jwk } }), 'token_invalid');
      await expectRefused(pool.mint({}, { key: attackerKey, kid: pool.key.kid, header: { jku: url, jwk } }), 'token_invalid');
      expect(attackerHits).toBe(0);
    } finally {
      await new Promise((resolve) => attacker.close(resolve));
    }
  });

  it('reads the token from the Authorization header only, never from the query or a cookie', async () => {
    const token = pool.mint();
    expect((await call(me, { headers: { authorization: `bearer ${token}` } })).status).toBe(200);
    expect((await call(me, { headers: { authorization: `Basic ${token}` } })).body.code).toBe('token_malformed');
    const fromQuery = await call(`${me}?access_token=${token}`);
    expect(fromQuery.body.code).toBe('token_missing');
    const fromCookie = await call(me, { headers: { cookie: `access_token=${token}` } });
    expect(fromCookie.body.code).toBe('token_missing');
    expect(fromCookie.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });
});

describe('COGNITO_AUDIENCE (tokens bound to this API, RFC 8707)', () => {
  const audience = 'https://api.example.com';
  const pool = new FakePool();
  let sut: TestApp;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: { ...pool.env(), COGNITO_AUDIENCE: audience } });
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  const me = (aud: unknown) => call(`${sut.url}/api/v1/me`, { token: pool.mint({ aud }) });

  it('accepts a token whose aud names it, as a string or in a list', async () => {
    expect((await me(audience)).status).toBe(200);
    expect((await me(['urn:other', audience])).status).toBe(200);
  });

  it('refuses with 401 token_wrong_audience a token without aud, or with another one', async () => {
    for (const aud of [
      undefined,
      'https://other.example.com',
      `${audience}/`,
      'HTTPS://API.EXAMPLE.COM',
      [],
      ['urn:other'],
      7,
      { audience },
    ]) {
      const response = await me(aud);
      expect([JSON.stringify(aud), response.status, response.body.code]).toEqual([JSON.stringify(aud), 401, 'token_wrong_audience']);
      expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    }
  });

  it('holds machine tokens to it as well', async () => {
    const users = `${sut.url}/api/v1/users`;
    expect((await call(users, { token: pool.mintMachine('backend/users.read', { aud: audience }) })).status).toBe(200);
    expect((await call(users, { token: pool.mintMachine('backend/users.read') })).body.code).toBe('token_wrong_audience');
  });
});
