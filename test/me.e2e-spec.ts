import { signIn, createPoolUser } from './support/cognito.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe('/api/v1/me against the Cognito emulator', () => {
  let sut: TestApp;

  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(async () => {
    await sut.close();
  });

  it('refuses a request without a token', async () => {
    const response = await call(`${sut.url}/api/v1/me`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ statusCode: 401, error: 'Unauthorized', code: 'token_missing', message: expect.any(String) });
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="api"');
  });

  it('refuses a bad token on GET and PATCH', async () => {
    for (const method of ['GET', 'PATCH']) {
      const response = await call(`${sut.url}/api/v1/me`, { method, token: 'aaa.bbb.ccc', body: method === 'PATCH' ? {} : undefined });
      expect(response.status).toBe(401);
      expect(response.body.code).toMatch(/^token_/);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token", error_description="/);
    }
  });

  it('follows the seed flow: AdminInitiateAuth through the backend client, then the profile', async () => {
    const { accessToken } = await signIn('alice');
    const response = await call(`${sut.url}/api/v1/me`, { token: accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      username: 'alice',
      email: 'alice@example.com',
      emailVerified: true,
      firstName: 'Alice',
      lastName: 'Liddell',
      groups: [],
      isActive: true,
      textingOk: false,
      phone: null,
    });
    expect(response.body.id).toMatch(/^[0-9a-f-]{36}$/);
    const [row] = await sut.db.query('SELECT id, sub, email FROM users WHERE username = $1', ['alice']);
    expect(row).toEqual({ id: response.body.id, sub: response.body.sub, email: 'alice@example.com' });
  });

  it('answers on the trailing-slash path too, with the groups from the token', async () => {
    const { accessToken } = await signIn('admin');
    const response = await call(`${sut.url}/api/v1/me/`, { token: accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ username: 'admin', groups: ['admin'] });
  });

  it('refuses the emulator id token: only access tokens are accepted', async () => {
    const { idToken } = await signIn('alice');
    const response = await call(`${sut.url}/api/v1/me`, { token: idToken });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('token_wrong_use');
  });

  it('creates one row for 50 concurrent first requests of a new user', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    const responses = await Promise.all(Array.from({ length: 50 }, () => call(`${sut.url}/api/v1/me`, { token: accessToken })));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(new Set(responses.map((response) => response.body.id)).size).toBe(1);
    const rows = await sut.db.query('SELECT count(*)::int AS n FROM users WHERE username = $1', [user.username]);
    expect(rows).toEqual([{ n: 1 }]);
  });

  it('refuses a deactivated user with 403 account_disabled', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    expect((await call(`${sut.url}/api/v1/me`, { token: accessToken })).status).toBe(200);
    await sut.db.query('UPDATE users SET is_active = false WHERE username = $1', [user.username]);
    // The row cache lives minutes, but the database announces the change: honoured within a second.
    await waitFor(
      async () =>
        expect((await call(`${sut.url}/api/v1/me`, { token: accessToken })).body).toMatchObject({
          statusCode: 403,
          code: 'account_disabled',
        }),
      { timeout: 1000, message: 'the deactivation to be honoured' },
    );
  });
});
