import { createPoolUser, signIn } from '../support/cognito.js';
import { call } from '../support/http.js';
import { ServerProcess } from '../support/server-process.js';
import { emulatorEnv, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** Polls both instances until each answers `status`; how long that took. */
async function bothAnswer(urls: string[], token: string, status: number, limitMs: number): Promise<number> {
  const started = Date.now();
  const pending = new Set(urls);
  while (pending.size > 0) {
    if (Date.now() - started > limitMs) throw new Error(`${[...pending].join(', ')} still not answering ${status} after ${limitMs}ms`);
    for (const url of pending) {
      if ((await call(`${url}/api/v1/me`, { token })).status === status) pending.delete(url);
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  return Date.now() - started;
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

  it('refuse a deactivated user on both within 5 s, and let them back in as fast', async () => {
    const user = await createPoolUser();
    const { accessToken } = await signIn(user.username, user.password);
    const urls = [first.url, second.url];
    await bothAnswer(urls, accessToken, 200, 1000);

    await db.query('UPDATE users SET is_active = false WHERE username = $1', [user.username]);
    expect(await bothAnswer(urls, accessToken, 403, 5000)).toBeLessThan(5000);
    const refused = await call(`${second.url}/api/v1/me`, { token: accessToken });
    expect(refused.body).toMatchObject({ statusCode: 403, code: 'account_disabled' });

    await db.query('UPDATE users SET is_active = true WHERE username = $1', [user.username]);
    expect(await bothAnswer(urls, accessToken, 200, 5000)).toBeLessThan(5000);
  });
});
