import { randomUUID } from 'node:crypto';
import { FakePool } from '../support/fake-pool.js';
import { ServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { waitFor } from '../support/wait-for.js';

interface Outcome {
  requestId: string;
  status?: number;
  /** Why no answer came: the error code of the connection. */
  failure?: string;
  sentAfterSignal: boolean;
  answeredAfterSignal: boolean;
}

function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? String(error);
}

describe('Graceful shutdown', () => {
  const pool = new FakePool();
  let db: TestDatabase;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    await pool.start();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
    await pool.stop();
  });

  it('on SIGTERM under load, stops accepting, finishes every request in flight, closes the pool and exits 0', async () => {
    // GetUser calls are counted below; the background session rechecks would add their own.
    server = await ServerProcess.start({
      ...pool.env(),
      NODE_ENV: 'test',
      DATABASE_URL: db.url,
      LOG_LEVEL: 'info',
      TOKEN_RECHECK_SECONDS: '0',
    });
    const url = `${server.url}/api/v1/me`;
    const outcomes: Outcome[] = [];
    let signalledAt = Number.POSITIVE_INFINITY;

    const request = async (token: string): Promise<Outcome> => {
      const requestId = randomUUID();
      const sentAfterSignal = Date.now() > signalledAt;
      let outcome: Outcome;
      try {
        const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });
        await response.arrayBuffer();
        outcome = { requestId, status: response.status, sentAfterSignal, answeredAfterSignal: Date.now() > signalledAt };
      } catch (error) {
        outcome = { requestId, failure: failureOf(error), sentAfterSignal, answeredAfterSignal: false };
      }
      outcomes.push(outcome);
      return outcome;
    };

    // Users the server already knows: fast requests on kept-alive connections, as a load balancer sends them.
    const regulars = Array.from({ length: 10 }, () => pool.mint());
    for (const token of regulars) expect((await request(token)).status).toBe(200);
    let loading = true;
    const workers = Array.from({ length: 20 }, async (_unused, index) => {
      while (loading) {
        const outcome = await request(regulars[index % regulars.length]);
        if (outcome.failure) break; // the server no longer accepts connections
      }
    });

    await waitFor(() => expect(outcomes.length).toBeGreaterThanOrEqual(200), { timeout: 10_000, message: 'the load to be under way' });

    // New users: their first request reads the pool (slowly) and writes a row, so they are in flight at the signal.
    pool.getUserDelayMs = 700;
    const getUsersBefore = pool.getUserRequests;
    const newcomers = Array.from({ length: 10 }, (_unused, index) => {
      const claims = pool.claims();
      pool.attributes.set(claims.sub as string, { email: `newcomer-${index}@example.com`, email_verified: 'true' });
      return { sub: claims.sub as string, token: pool.mint({ sub: claims.sub }) };
    });
    const slow = newcomers.map((newcomer) => request(newcomer.token));
    await waitFor(() => expect(pool.getUserRequests - getUsersBefore).toBe(newcomers.length), {
      message: "every new user's GetUser to be in flight",
    });

    signalledAt = Date.now();
    server.signal('SIGTERM');
    const exitCode = await server.exited;
    loading = false;
    await Promise.all(workers);

    expect(exitCode).toBe(0);
    for (const outcome of await Promise.all(slow)) {
      expect(outcome).toMatchObject({ status: 200, answeredAfterSignal: true });
    }
    const rows = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users WHERE sub = ANY($1) AND email IS NOT NULL', [
      newcomers.map((newcomer) => newcomer.sub),
    ]);
    expect(rows).toEqual([{ n: newcomers.length }]);

    // Every request the server took in (it logged it) was answered 200. The others never reached it:
    // refused, or reset while still in the accept queue or on an idle connection being closed.
    const served = new Set(server.requestLogs().map((line) => line.reqId));
    const answered = outcomes.filter((outcome) => outcome.status !== undefined);
    expect(answered.every((outcome) => outcome.status === 200)).toBe(true);
    expect(answered.every((outcome) => served.has(outcome.requestId))).toBe(true);
    const unanswered = outcomes.filter((outcome) => outcome.status === undefined);
    expect(unanswered.every((outcome) => !served.has(outcome.requestId))).toBe(true);
    expect(answered.filter((outcome) => outcome.answeredAfterSignal).length).toBeGreaterThanOrEqual(newcomers.length);
    expect(answered.length).toBeGreaterThan(50); // there was load: the workers had kept requests coming

    const messages = server.logs().map((line) => line.msg);
    expect(messages).toContainEqual(expect.stringMatching(/^SIGTERM received/));
    expect(messages).toContainEqual(expect.stringMatching(/^Closed the HTTP server and the database pool/));
    await expect(fetch(url)).rejects.toThrow();
  });

  it('with SHUTDOWN_DRAIN_SECONDS, fails readiness (503 shutting_down) at SIGTERM while still serving, then closes and exits 0', async () => {
    await server?.stop();
    server = await ServerProcess.start({ ...pool.env(), NODE_ENV: 'test', DATABASE_URL: db.url, SHUTDOWN_DRAIN_SECONDS: '2' });
    const token = pool.mint();
    const me = () => fetch(`${server!.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await fetch(`${server.url}/health/ready`)).status).toBe(200);
    const signalledAt = Date.now();
    server.signal('SIGTERM');
    // The signal reaches the child a moment after kill() returns: wait for readiness to drop.
    const ready = await waitFor(
      async () => {
        const response = await fetch(`${server!.url}/health/ready`);
        const answer = { status: response.status, body: (await response.json()) as { code?: string } };
        if (answer.status !== 503) throw new Error(`readiness still ${answer.status}`);
        return answer;
      },
      { timeout: 1500, message: 'readiness to answer 503 after SIGTERM' },
    );
    expect(ready).toMatchObject({ status: 503, body: { code: 'shutting_down' } });
    expect((await me()).status).toBe(200);
    expect((await fetch(`${server.url}/health/live`)).status).toBe(200);
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeGreaterThanOrEqual(2000);
    await expect(me()).rejects.toThrow();
  });
});
