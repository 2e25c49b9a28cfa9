import { randomUUID } from 'node:crypto';
import { GlobalSignOutCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '@backend/local-cognito';
import { decodeJwt } from 'jose';
import { createPoolUser, signIn } from '../support/cognito.js';
import { FakePool } from '../support/fake-pool.js';
import { call } from '../support/http.js';
import { RevokedSessions } from '../../src/users/revoked-sessions.js';
import { ServerProcess } from '../support/server-process.js';
import { testStack } from '../support/stack-env.js';
import { emulatorEnv, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

/** Calls each instance until it answers `status`; how long that took. */
async function bothAnswer(urls: string[], token: string, status: number, limitMs: number): Promise<number> {
  const started = Date.now();
  const pending = new Set(urls);
  await waitFor(
    async () => {
      for (const url of pending) if ((await call(`${url}/api/v1/me`, { token })).status === status) pending.delete(url);
      expect([...pending]).toEqual([]);
    },
    { timeout: limitMs, message: `both instances to answer ${status}` },
  );
  return Date.now() - started;
}

/** Propagation times, printed so a run shows them. */
function report(what: string, ms: number, totalMs?: number): void {
  expect(ms).toBeLessThan(1000);
  console.log(`${what}: ${ms} ms${totalMs === undefined ? '' : ` (${totalMs} ms including the call)`}`);
}

describe('Two instances on one database', () => {
  let db: TestDatabase;
  let first: TestApp;
  let second: ServerProcess;

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await startTestApp({ db });
    second = await ServerProcess.start({ ...emulatorEnv(), DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.close();
    await db?.drop();
  });

  it('create one row for the first requests of a new user spread over both', async () => {
    const user = await createPoolUser({ attributes: { email: 'spread@example.com', email_verified: 'true', given_name: 'Spread' } });
    const { accessToken } = await signIn(user.username, user.password);
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_unused, index) => call(`${index % 2 ? second.url : first.url}/api/v1/me`, { token: accessToken })),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(60).fill(200));
    expect(new Set(answers.map((answer) => answer.body.id)).size).toBe(1);
    const rows = await db.query(
      'SELECT count(*)::int AS n, min(email) AS email, min(first_name) AS "firstName" FROM users WHERE username = $1',
      [user.username],
    );
    expect(rows).toEqual([{ n: 1, email: 'spread@example.com', firstName: 'Spread' }]);
  });

  it('refuse a deactivated user on both within 1 s, and let them back in as fast', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    const urls = [first.url, second.url];
    await bothAnswer(urls, accessToken, 200, 1000);

    // Written straight to the database (as psql would): the trigger announces it all the same.
    await db.query('UPDATE users SET is_active = false WHERE username = $1', [user.username]);
    report('deactivation (SQL) honoured by both', await bothAnswer(urls, accessToken, 403, 1000));
    const refused = await call(`${second.url}/api/v1/me`, { token: accessToken });
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'account_disabled' });

    await db.query('UPDATE users SET is_active = true WHERE username = $1', [user.username]);
    report('reactivation (SQL) honoured by both', await bothAnswer(urls, accessToken, 200, 1000));
  });

  describe('admin changes on the first, honoured by the second within 1 s', () => {
    let adminToken: string;
    const admin = (path: string, method: string, body?: unknown) =>
      call(`${first.url}/api/v1/admin/users${path}`, { method, body, token: adminToken });

    async function member() {
      const user = await createPoolUser();
      const { accessToken } = await signIn(user.username, user.password);
      // Both instances have the row cached (their cache lifetime is minutes).
      const id = (await call(`${first.url}/api/v1/me`, { token: accessToken })).body.id as string;
      await bothAnswer([first.url, second.url], accessToken, 200, 1000);
      return { ...user, id, token: accessToken };
    }

    beforeAll(async () => {
      adminToken = (await signIn('admin')).accessToken;
    });

    it('deactivation and reactivation', async () => {
      const user = await member();
      expect((await admin(`/${user.id}`, 'PATCH', { isActive: false })).status).toBe(200);
      report('admin deactivation honoured by the second', await bothAnswer([second.url], user.token, 403, 1000));
      expect((await admin(`/${user.id}`, 'PATCH', { isActive: true })).status).toBe(200);
      report('admin reactivation honoured by the second', await bothAnswer([second.url], user.token, 200, 1000));
    });

    it('sign out everywhere (the user on the first instance)', async () => {
      const user = await member();
      const started = Date.now();
      expect((await call(`${first.url}/api/v1/me/sign-out-everywhere`, { method: 'POST', token: user.token })).status).toBe(200);
      report('revocation honoured by the second', await bothAnswer([second.url], user.token, 401, 1000), Date.now() - started);
      expect((await call(`${second.url}/api/v1/me`, { token: user.token })).body.code).toBe('token_revoked');
      const { accessToken } = await signIn(user.username, user.password);
      expect((await call(`${second.url}/api/v1/me`, { token: accessToken })).status).toBe(200);
    });

    it('erasure', async () => {
      const user = await member();
      expect((await admin(`/${user.id}`, 'DELETE')).status).toBe(200);
      report('erasure honoured by the second', await bothAnswer([second.url], user.token, 401, 1000));
      const [row] = await db.query('SELECT email, username FROM users WHERE id = $1', [user.id]);
      expect(row).toEqual({ email: null, username: null });
    });
  });
});

describe('Two instances: a background profile fill that ends after a deactivation', () => {
  const pool = new FakePool();
  let db: TestDatabase;
  let first: TestApp;
  let second: ServerProcess;

  beforeAll(async () => {
    await pool.start();
    db = await createTestDatabase();
    // This case counts the profile fill's GetUser calls; the background session rechecks make their own.
    first = await startTestApp({ db, env: { ...pool.env(), PROFILE_RETRY_SECONDS: '1', TOKEN_RECHECK_SECONDS: '0' } });
    second = await ServerProcess.start({
      ...emulatorEnv(),
      ...pool.env(),
      DATABASE_URL: db.url,
      LOG_LEVEL: 'warn',
      TOKEN_RECHECK_SECONDS: '0',
    });
  });
  afterAll(async () => {
    await second?.stop();
    await first?.close();
    await db?.drop();
    await pool.stop();
  });

  it('does not let the user back in', async () => {
    const sub = randomUUID();
    const token = pool.mint({ sub });
    const urls = [first.url, second.url];
    pool.getUserMode = 'fail'; // first sight without the pool's attributes: a retry is due later
    await bothAnswer(urls, token, 200, 1000);

    pool.getUserDelayMs = 800;
    const requestsBefore = pool.getUserRequests;
    // PROFILE_RETRY_SECONDS=1 on the first instance: its first request a second after the first sight starts a background retry.
    await waitFor(
      async () => {
        expect((await call(`${first.url}/api/v1/me`, { token })).status).toBe(200);
        expect(pool.getUserRequests).toBeGreaterThan(requestsBefore);
      },
      { timeout: 3000, message: 'a background retry of the profile fill' },
    );
    expect(pool.getUserRequests).toBe(requestsBefore + 1); // in flight now, answering (a failure) 800 ms after it began

    await db.query('UPDATE users SET is_active = false WHERE sub = $1', [sub]);
    report('deactivation during a background fill honoured by both', await bothAnswer(urls, token, 403, 1000));

    // The retry (started before the deactivation) ends now; the user must stay refused everywhere.
    await waitFor(() => expect(pool.getUserAnswers).toBe(pool.getUserRequests), { message: 'the retry to be answered' });
    const started = Date.now();
    while (Date.now() - started < 1000) {
      for (const url of urls) expect((await call(`${url}/api/v1/me`, { token })).status).toBe(403);
    }
  });
});

describe("Two instances: a session the pool revoked, found by one instance's recheck", () => {
  let db: TestDatabase;
  let first: TestApp;
  let second: ServerProcess;
  // Only the first asks the pool: whatever the second refuses, it learnt from the first.
  const secondEnv = () => ({ ...emulatorEnv(), DATABASE_URL: db.url, LOG_LEVEL: 'warn', TOKEN_RECHECK_SECONDS: '0' });

  beforeAll(async () => {
    db = await createTestDatabase();
    first = await startTestApp({ db, env: { TOKEN_RECHECK_SECONDS: '1' } });
    second = await ServerProcess.start(secondEnv());
  });
  afterAll(async () => {
    await second?.stop();
    await first?.close();
    await db?.drop();
  });

  it('is refused by the other within 1 s, and still after the other restarts', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    await bothAnswer([first.url, second.url], accessToken, 200, 1000);

    const cognito = emulatorClient(testStack().emulatorEndpoint);
    try {
      await cognito.send(new GlobalSignOutCommand({ AccessToken: accessToken }));
    } finally {
      cognito.destroy();
    }
    await waitFor(async () => expect((await call(`${first.url}/api/v1/me`, { token: accessToken })).body.code).toBe('token_revoked'), {
      timeout: 8000,
      interval: 100,
      message: "the first instance's recheck to refuse the session",
    });
    report("recheck's refusal honoured by the second", await bothAnswer([second.url], accessToken, 401, 1000));
    expect((await call(`${second.url}/api/v1/me`, { token: accessToken })).body.code).toBe('token_revoked');

    // Kept until the session's last token has expired: a restarted instance reads it back at start.
    const [row] = await db.query('SELECT expires_at FROM revoked_sessions WHERE session_id = $1', [decodeJwt(accessToken).origin_jti]);
    expect(new Date(row.expires_at as string).getTime()).toBe(Number(decodeJwt(accessToken).exp) * 1000);
    await second.stop();
    second = await ServerProcess.start(secondEnv());
    expect((await call(`${second.url}/api/v1/me`, { token: accessToken })).body.code).toBe('token_revoked');

    // A new sign-in is a new session.
    const again = (await signIn(user.username, user.password)).accessToken;
    await bothAnswer([first.url, second.url], again, 200, 1000);
  });

  it('forgets, in the table too, the sessions whose last token has expired', async () => {
    await db.query(
      `INSERT INTO revoked_sessions (session_id, expires_at) VALUES ('expired-session', now() - interval '1 second'), ('current-session', now() + interval '1 hour')`,
    );
    await first.app.get(RevokedSessions).sweep();
    const rows = await db.query<{ session_id: string }>(
      "SELECT session_id FROM revoked_sessions WHERE session_id IN ('expired-session', 'current-session')",
    );
    expect(rows.map((row) => row.session_id)).toEqual(['current-session']);
  });
});
