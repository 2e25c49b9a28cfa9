import { randomUUID } from 'node:crypto';
import { createAdapter, HTTP_TIMEOUTS } from '../src/app.js';
import { MAX_JSON_DEPTH } from '../src/common/json-body-parser.js';
import { FakePool } from './support/fake-pool.js';
import { call, type JsonResponse } from './support/http.js';
import { rawRequest } from './support/raw-http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The error format of every refusal. */
const refusal = (statusCode: number, code: string) => ({ statusCode, code, error: expect.any(String), message: expect.any(String) });

function expectRefused(response: JsonResponse, statusCode: number, code = 'validation_failed'): void {
  expect({ status: response.status, body: response.body }).toEqual({ status: statusCode, body: refusal(statusCode, code) });
}

/** A token whose JOSE header we write ourselves; its signature is not even looked at. */
function tokenWithHeader(header: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part(header)}.${part({ sub: 'x' })}.${Buffer.from('sig').toString('base64url')}`;
}

describe('Hostile input', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let adminToken: string;
  let me: string;

  // Without last_seen_at: any request, refused or not, may mark the caller as seen (in the background).
  const rowOf = async (sub: string) => {
    const [{ last_seen_at: _seen, ...row }] = await sut.db.query<Record<string, unknown>>('SELECT * FROM users WHERE sub = $1', [sub]);
    return row;
  };
  const auditCount = async () => (await sut.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries'))[0].n;
  async function newUser(): Promise<{ token: string; sub: string; id: string }> {
    const sub = randomUUID();
    const token = pool.mint({ sub });
    const response = await call(me, { token });
    expect(response.status).toBe(200);
    return { token, sub, id: response.body.id as string };
  }

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
    me = `${sut.url}/api/v1/me`;
    adminToken = pool.mint({ 'cognito:groups': ['admin'] });
    expect((await call(me, { token: adminToken })).status).toBe(200);
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  describe('text PostgreSQL cannot store', () => {
    it.each([
      ['a NUL', '{"firstName":"Gra\\u0000ce"}'],
      ['a lone high surrogate', '{"lastName":"Hop\\ud800per"}'],
      ['a lone low surrogate', '{"linkedinAccount":"x\\udc00"}'],
      ['a NUL in a field name', '{"first\\u0000Name":"Grace"}'],
    ])('refuses %s in a body field of PATCH /api/v1/me with 400, saving nothing', async (_case, body) => {
      const { token, sub } = await newUser();
      const before = await rowOf(sub);
      expectRefused(await call(me, { method: 'PATCH', token, body }), 400);
      expect(await rowOf(sub)).toEqual(before);
    });

    it('keeps accepting text with emoji (surrogate pairs) and other scripts', async () => {
      const { token, sub } = await newUser();
      const response = await call(me, { method: 'PATCH', token, body: { firstName: 'Zoë 😀 李' } });
      expect(response.status).toBe(200);
      expect((await rowOf(sub)).first_name).toBe('Zoë 😀 李');
    });

    it('refuses a NUL in a body field of PATCH /api/v1/admin/users/:id, auditing nothing', async () => {
      const { id, sub } = await newUser();
      const [before, audits] = [await rowOf(sub), await auditCount()];
      const response = await call(`${sut.url}/api/v1/admin/users/${id}`, {
        method: 'PATCH',
        token: adminToken,
        body: { lastName: 'a\u0000' },
      });
      expectRefused(response, 400);
      expect(await rowOf(sub)).toEqual(before);
      expect(await auditCount()).toBe(audits);
    });

    it.each([
      ['a search term', '/api/v1/admin/users?search=a%00b'],
      ['a sort parameter', '/api/v1/admin/users?sort=%00'],
      ['an audit filter', '/api/v1/admin/audit?targetId=%00'],
      ['a path parameter', '/api/v1/admin/users/%00'],
    ])('refuses a NUL in %s with 400', async (_case, path) => {
      expectRefused(await call(`${sut.url}${path}`, { token: adminToken }), 400);
    });
  });

  describe('deeply nested JSON', () => {
    it.each([
      ['arrays', `{"firstName":${'['.repeat(5000)}${']'.repeat(5000)}}`],
      ['objects', `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`],
      ['brackets left open', '['.repeat(60_000)],
    ])('refuses thousands of nested %s with 400 before parsing them', async (_case, body) => {
      const { token, sub } = await newUser();
      const before = await rowOf(sub);
      expectRefused(await call(me, { method: 'PATCH', token, body }), 400);
      expect(await rowOf(sub)).toEqual(before);
    });

    it(`still parses bodies up to ${MAX_JSON_DEPTH} levels (and brackets inside strings do not count)`, async () => {
      const { token } = await newUser();
      const nested = `${'['.repeat(MAX_JSON_DEPTH - 1)}1${']'.repeat(MAX_JSON_DEPTH - 1)}`;
      const response = await call(me, { method: 'PATCH', token, body: `{"firstName":"${'['.repeat(50)}","x":${nested}}` });
      // Parsed: refused by validation for the unknown field, not for depth.
      expectRefused(response, 400);
      expect(response.body.message).toMatch(/property x should not exist/);
    });
  });

  describe('null for a NOT NULL column', () => {
    it('refuses textingOk: null on PATCH /api/v1/me with 400', async () => {
      const { token, sub } = await newUser();
      const before = await rowOf(sub);
      const response = await call(me, { method: 'PATCH', token, body: { textingOk: null } });
      expectRefused(response, 400);
      expect(response.body.message).toMatch(/textingOk must be a boolean/);
      expect(await rowOf(sub)).toEqual(before);
    });

    it.each(['isActive', 'textingOk'])('refuses %s: null on PATCH /api/v1/admin/users/:id with 400', async (field) => {
      const { id, sub } = await newUser();
      const before = await rowOf(sub);
      const response = await call(`${sut.url}/api/v1/admin/users/${id}`, { method: 'PATCH', token: adminToken, body: { [field]: null } });
      expectRefused(response, 400);
      expect(await rowOf(sub)).toEqual(before);
    });
  });

  describe('field names of JavaScript objects', () => {
    it.each(['constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__'])(
      'refuses an unknown body field named %s with 400',
      async (field) => {
        const { token, sub } = await newUser();
        const before = await rowOf(sub);
        expectRefused(await call(me, { method: 'PATCH', token, body: `{"firstName":"Eve","${field}":{}}` }), 400);
        expect(await rowOf(sub)).toEqual(before);
      },
    );

    it('refuses a query parameter named constructor with 400', async () => {
      expectRefused(await call(`${sut.url}/api/v1/admin/users?constructor=1`, { token: adminToken }), 400);
    });
  });

  describe('paging values', () => {
    it.each(['page=0x10', 'page=1e3', 'pageSize=1e1', 'pageSize=0b11', 'page=%201', 'page=1.0', 'page=', 'page=-1', 'page=1&page=2'])(
      'refuses %s with 400',
      async (query) => {
        expectRefused(await call(`${sut.url}/api/v1/admin/users?${query}`, { token: adminToken }), 400);
        expectRefused(await call(`${sut.url}/api/v1/admin/audit?${query}`, { token: adminToken }), 400);
      },
    );

    it('takes plain decimal digits', async () => {
      const response = await call(`${sut.url}/api/v1/admin/users?page=02&pageSize=10`, { token: adminToken });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ page: 2, pageSize: 10 });
    });
  });

  describe('token headers', () => {
    it.each([
      ['non-ASCII text in alg', { alg: 'RS256 😀 ẞ', kid: 'x' }],
      ['Latin-1 text in alg', { alg: 'RSé', kid: 'x' }],
      ['a line break in alg', { alg: 'RS256\r\nSet-Cookie: a=b', kid: 'x' }],
    ])('answers a token with %s with a 401 whose WWW-Authenticate is plain ASCII', async (_case, header) => {
      const response = await call(me, { token: tokenWithHeader(header) });
      expectRefused(response, 401, 'token_invalid');
      const challenge = response.headers.get('www-authenticate')!;
      expect(challenge).toMatch(/^Bearer realm="api", error="invalid_token", error_description="[\x20-\x7e]*"$/);
      expect(response.headers.get('set-cookie')).toBeNull();
    });
  });

  describe('two Authorization headers', () => {
    const head = (method: string, first: string, second: string) =>
      `${method} /api/v1/me HTTP/1.1\nHost: test\nConnection: close\nAuthorization: ${first}\nauthorization: ${second}\n`;

    it('refuses them with 401 even when both carry valid tokens', async () => {
      const { token } = await newUser();
      const response = await rawRequest(me, head('GET', `Bearer ${token}`, `Bearer ${adminToken}`));
      expect(response.status).toBe(401);
      expect(JSON.parse(response.body)).toEqual(refusal(401, 'token_malformed'));
      expect(response.headers).toMatch(/www-authenticate: Bearer realm="api", error="invalid_token"/i);
    });

    it('refuses a write with them and saves nothing', async () => {
      const { token, sub } = await newUser();
      const before = await rowOf(sub);
      const body = '{"firstName":"Mallory"}';
      const response = await rawRequest(
        me,
        `${head('PATCH', `Bearer ${token}`, 'Bearer x.y.z')}Content-Type: application/json\nContent-Length: ${body.length}\n`,
        { body },
      );
      expect(response.status).toBe(401);
      expect(await rowOf(sub)).toEqual(before);
    });

    it('still takes one header', async () => {
      const { token } = await newUser();
      const response = await rawRequest(me, `GET /api/v1/me HTTP/1.1\nHost: test\nConnection: close\nAuthorization: Bearer ${token}\n`);
      expect(response.status).toBe(200);
    });
  });

  describe('the database refusing data (the safety net)', () => {
    it('answers a NUL that reaches the database through a token claim with a 4xx, never a 500', async () => {
      const response = await call(me, { token: pool.mint({ username: 'nul\u0000name' }) });
      expect([400, 401]).toContain(response.status);
      expect(response.body).toEqual(refusal(response.status, expect.any(String) as unknown as string));
    });
  });
});

describe('Slow clients', () => {
  const pool = new FakePool();
  let sut: TestApp;
  const timeouts = { requestMs: 1500, headersMs: 1000, keepAliveMs: 72_000, checkEveryMs: 100 };

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env(), adapter: createAdapter(undefined, timeouts) });
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  it('gives the real server its timeouts when Node creates it (30 s for a whole request)', async () => {
    const { app } = await startTestApp({ env: pool.env(), db: sut.db });
    try {
      const server = app.getHttpServer() as unknown as { requestTimeout: number; headersTimeout: number };
      expect(server.requestTimeout).toBe(30_000);
      expect(server.headersTimeout).toBe(HTTP_TIMEOUTS.headersMs);
    } finally {
      await app.close();
    }
  });

  it('drops a request whose body trickles in longer than the request timeout', async () => {
    const token = pool.mint();
    const body = `{"firstName":"${'x'.repeat(98)}"}`;
    const head = `PATCH /api/v1/me HTTP/1.1\nHost: test\nAuthorization: Bearer ${token}\nContent-Type: application/json\nContent-Length: ${body.length}\n`;
    const response = await rawRequest(sut.url, head, { body, trickleEveryMs: 100 });
    expect(response.closedAfterMs).toBeGreaterThanOrEqual(timeouts.requestMs - 100);
    expect(response.closedAfterMs).toBeLessThan(timeouts.requestMs + 1000);
    expect([0, 408]).toContain(response.status);
  });

  it('drops a request whose headers trickle in longer than the headers timeout', async () => {
    const response = await rawRequest(sut.url, '', {
      body: `GET /api/v1/me HTTP/1.1\r\nHost: test\r\nX-Slow: ${'y'.repeat(100)}`,
      trickleEveryMs: 50,
    });
    expect(response.closedAfterMs).toBeLessThan(timeouts.headersMs + 1000);
    expect([0, 408]).toContain(response.status);
  });
});
