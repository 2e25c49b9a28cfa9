import { FakePool } from '../support/fake-pool.js';
import { call, type JsonResponse } from '../support/http.js';
import { OwnPostgres } from '../support/own-postgres.js';
import { TcpProxy } from '../support/tcp-proxy.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  const result = await work();
  return [result, Date.now() - started];
}

/** Answers of `attempt` until one has `status`; all of them, to check what came before. */
async function until(status: number, limitMs: number, attempt: () => Promise<JsonResponse>): Promise<JsonResponse[]> {
  const answers: JsonResponse[] = [];
  await waitFor(
    async () => {
      answers.push(await attempt());
      expect(answers.at(-1)!.status).toBe(status);
    },
    { timeout: limitMs, interval: 100, message: `an answer ${status}` },
  );
  return answers;
}

/** A user the fake pool knows (GetUser answers with these attributes), and an access token of theirs. */
function newUser(pool: FakePool, name: string): { sub: string; token: string } {
  const claims = pool.claims();
  const sub = claims.sub as string;
  pool.attributes.set(sub, { email: `${name}@example.com`, email_verified: 'true', given_name: name });
  return { sub, token: pool.mint({ sub, username: name }) };
}

describe('A PostgreSQL outage', () => {
  const pool = new FakePool();
  let postgres: OwnPostgres;
  let db: TestDatabase;

  beforeAll(async () => {
    await pool.start();
    postgres = await OwnPostgres.start();
    db = await createTestDatabase(postgres.url);
  });
  afterAll(async () => {
    await postgres?.remove();
    await pool.stop();
  });

  describe('stopped and started again', () => {
    let sut: TestApp;
    const me = (token: string, init: { method?: string; body?: unknown } = {}) => call(`${sut.url}/api/v1/me`, { token, ...init });

    beforeAll(async () => {
      // GetUser calls are counted below; the background session rechecks would add their own.
      sut = await startTestApp({ db, env: { ...pool.env(), USER_CACHE_FALLBACK_SECONDS: '0', TOKEN_RECHECK_SECONDS: '0' } });
    });
    afterAll(async () => {
      await postgres.startAgain();
      await sut.close();
    });

    it('answers 503 database_unavailable within seconds, never 500, and recovers by itself', async () => {
      const known = newUser(pool, 'known');
      expect((await me(known.token)).status).toBe(200);

      await postgres.stop();
      const newcomer = newUser(pool, 'newcomer');
      const [first, firstMs] = await timed(() => me(newcomer.token));
      expect(first.status).toBe(503);
      expect(first.body).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'database_unavailable',
        message: expect.any(String),
      });
      expect(first.headers.get('retry-after')).toBe('5');
      expect(firstMs).toBeLessThan(4000);

      // With the notification connection down, cached rows live USER_CACHE_FALLBACK_SECONDS (0 here): the known user needs the database too.
      for (const answer of [await me(known.token), await me(known.token, { method: 'PATCH', body: { firstName: 'Lost' } })]) {
        expect(answer.status).toBe(503);
        expect(answer.body.code).toBe('database_unavailable');
      }
      const ready = await call(`${sut.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        statusCode: 503,
        code: 'not_ready',
        message: expect.stringContaining('database'),
        checks: { database: { status: 'down' }, keys: { status: 'up' } },
      });
      expect(JSON.stringify(ready.body)).not.toContain(String(postgres.port)); // no host or port published
      expect((await call(`${sut.url}/health/live`)).status).toBe(200);

      await postgres.startAgain();
      const answers = await until(200, 15_000, () => me(newcomer.token));
      expect(answers.every((answer) => answer.status === 503 || answer.status === 200)).toBe(true);
      expect(answers.at(-1)!.body).toMatchObject({ sub: newcomer.sub, email: 'newcomer@example.com' });
      expect((await call(`${sut.url}/health/ready`)).status).toBe(200);
      expect((await me(known.token)).body.firstName).toBe('known'); // the refused PATCH changed nothing
      await expect(db.query('SELECT count(*)::int AS n FROM users WHERE sub = $1', [newcomer.sub])).resolves.toEqual([{ n: 1 }]);
    });

    it('leaves no half-written row when it cuts off first requests of new users', async () => {
      const users = Array.from({ length: 20 }, (_unused, index) => newUser(pool, `cut-${index}`));
      pool.getUserDelayMs = 2000; // their first requests are in flight (reading the pool) when PostgreSQL stops
      const getUsersBefore = pool.getUserRequests;
      try {
        const answers = Promise.all(users.map((user) => me(user.token)));
        await waitFor(() => expect(pool.getUserRequests - getUsersBefore).toBe(users.length), {
          message: "every new user's GetUser to be in flight",
        });
        await postgres.stop();
        for (const answer of await answers) {
          expect(answer.status).toBe(503);
          expect(answer.body.code).toBe('database_unavailable');
        }
      } finally {
        pool.getUserDelayMs = 0;
        await postgres.startAgain();
      }
      const subs = users.map((user) => user.sub);
      const partial = 'SELECT count(*)::int AS n FROM users WHERE sub = ANY($1) AND (email IS NULL OR profile_synced_at IS NULL)';
      await expect(db.query(partial, [subs])).resolves.toEqual([{ n: 0 }]);

      await until(200, 15_000, () => me(users[0].token));
      const again = await Promise.all(users.map((user) => me(user.token)));
      expect(again.map((answer) => answer.status)).toEqual(users.map(() => 200));
      await expect(db.query(partial, [subs])).resolves.toEqual([{ n: 0 }]);
      await expect(db.query('SELECT count(*)::int AS n FROM users WHERE sub = ANY($1)', [subs])).resolves.toEqual([{ n: users.length }]);
    });
  });

  describe('hanging (a network partition)', () => {
    let proxy: TcpProxy;
    let sut: TestApp;

    beforeAll(async () => {
      proxy = await TcpProxy.start(postgres.port);
      const url = new URL(db.url);
      url.port = String(proxy.port);
      sut = await startTestApp({ db: { ...db, url: url.toString() }, env: pool.env() });
    });
    afterAll(async () => {
      proxy.thaw();
      await sut.close();
      await proxy.stop();
    });

    it('answers 503 within seconds instead of hanging, and recovers when the network does', async () => {
      const known = newUser(pool, 'partitioned');
      expect((await call(`${sut.url}/api/v1/me`, { token: known.token })).status).toBe(200);

      proxy.freeze();
      const newcomer = newUser(pool, 'stranded');
      const [[answer, answerMs], [ready, readyMs]] = await Promise.all([
        timed(() => call(`${sut.url}/api/v1/me`, { token: newcomer.token })),
        timed(() => call(`${sut.url}/health/ready`)),
      ]);
      expect(answer.status).toBe(503);
      expect(answer.body.code).toBe('database_unavailable');
      expect(answerMs).toBeLessThan(7000); // the 5 s query timeout
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ code: 'not_ready', checks: { database: { status: 'down' } } });
      expect(readyMs).toBeLessThan(4000); // the readiness ping gives up after 2 s

      proxy.thaw();
      const answers = await until(200, 15_000, () => call(`${sut.url}/api/v1/me`, { token: newcomer.token }));
      expect(answers.every((each) => each.status === 503 || each.status === 200)).toBe(true);
      expect((await call(`${sut.url}/health/ready`)).status).toBe(200);
    });
  });
});
