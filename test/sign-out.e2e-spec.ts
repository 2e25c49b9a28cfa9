import { decodeJwt } from 'jose';
import { createPoolUser, signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

describe('POST /api/v1/me/sign-out: one sign-in session refused on every instance', () => {
  let db: TestDatabase;
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await startTestApp({ db });
    second = await startTestApp({ db });
  });
  afterAll(async () => {
    await Promise.all([first?.close(), second?.close()]);
    await db?.drop();
  });

  const me = (app: TestApp, token: string) => call(`${app.url}/api/v1/me`, { token });

  it('refuses the signed-out session everywhere, keeps the other session of the same person, and survives a restart', async () => {
    const user = await createPoolUser();
    const signedOut = (await signIn(user.username, user.password)).accessToken;
    const kept = (await signIn(user.username, user.password)).accessToken;
    expect(decodeJwt(signedOut).origin_jti).not.toEqual(decodeJwt(kept).origin_jti);
    for (const token of [signedOut, kept]) expect((await me(first, token)).status).toBe(200);
    expect((await me(second, signedOut)).status).toBe(200);

    const answer = await call(`${first.url}/api/v1/me/sign-out`, { method: 'POST', token: signedOut });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      refusedUntil: new Date(Number(decodeJwt(signedOut).exp) * 1000).toISOString(),
      message: expect.any(String),
    });

    const refused = await me(first, signedOut);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ statusCode: 401, code: 'token_revoked' });
    await waitFor(async () => expect((await me(second, signedOut)).body.code).toBe('token_revoked'), { timeout: 3000 });
    for (const app of [first, second]) expect((await me(app, kept)).status).toBe(200);

    // A new instance reads the refused sessions at start.
    const third = await startTestApp({ db });
    try {
      expect((await me(third, signedOut)).body.code).toBe('token_revoked');
      expect((await me(third, kept)).status).toBe(200);
    } finally {
      await third.close();
    }
    const [row] = await db.query('SELECT session_id, expires_at FROM revoked_sessions WHERE session_id = $1', [
      decodeJwt(signedOut).origin_jti,
    ]);
    expect(new Date(row.expires_at as string).getTime()).toBe(Number(decodeJwt(signedOut).exp) * 1000);
  });

  it('refuses a second sign-out with the signed-out token (401 token_revoked)', async () => {
    const { accessToken } = await signIn('alice');
    expect((await call(`${first.url}/api/v1/me/sign-out`, { method: 'POST', token: accessToken })).status).toBe(200);
    const again = await call(`${first.url}/api/v1/me/sign-out`, { method: 'POST', token: accessToken });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('token_revoked');
  });

  it('refuses a request without a token', async () => {
    const answer = await call(`${first.url}/api/v1/me/sign-out`, { method: 'POST' });
    expect(answer.status).toBe(401);
    expect(answer.body.code).toBe('token_missing');
  });
});
