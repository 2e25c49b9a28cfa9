import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { ServerProcess } from './support/server-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { waitFor } from './support/wait-for.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('Logs', () => {
  const pool = new FakePool();
  let db: TestDatabase;
  const servers: ServerProcess[] = [];

  async function startServer(env: Record<string, string>): Promise<ServerProcess> {
    const server = await ServerProcess.start({ ...pool.env(), NODE_ENV: 'test', DATABASE_URL: db.url, ...env });
    servers.push(server);
    return server;
  }

  beforeAll(async () => {
    await pool.start();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    await db?.drop();
    await pool.stop();
  });

  it('writes one JSON line per request with its id (echoed as x-request-id), status and duration, and never a token or a password', async () => {
    const server = await startServer({ LOG_LEVEL: 'trace' });
    const token = pool.mint();
    const forged = pool.mint({ client_id: 'someone-else' });
    const password = 'Sup3r-secret-passw0rd';

    const answers = [
      await call(`${server.url}/api/v1/me`, { token, headers: { 'x-request-id': 'trace-me-42' } }),
      await call(`${server.url}/api/v1/me`, { token: forged }),
      await call(`${server.url}/api/v1/me`, { token, method: 'PATCH', body: { password, firstName: 'Pat' } }),
      await call(`${server.url}/api/v1/me?access_token=${token}`),
      await call(`${server.url}/api/v1/nowhere`, { token, headers: { 'x-request-id': 'has spaces and is refused' } }),
      await call(`${server.url}/health/ready`, { headers: { cookie: `session=${token}` } }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 401, 400, 401, 404, 200]);
    expect(answers[0].headers.get('x-request-id')).toBe('trace-me-42');
    for (const answer of answers.slice(1)) expect(answer.headers.get('x-request-id')).toMatch(UUID);

    const paths = ['/api/v1/me', '/api/v1/me', '/api/v1/me', '/api/v1/me', '/api/v1/nowhere', '/health/ready'];
    for (const [index, answer] of answers.entries()) {
      const mine = await server.requestLogsOf(answer.headers.get('x-request-id')!);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ status: answer.status, path: paths[index], method: index === 2 ? 'PATCH' : 'GET' });
      expect(mine[0].responseTime).toEqual(expect.any(Number));
    }

    const everything = server.output.join('\n');
    for (const secret of [token, forged, ...token.split('.'), ...forged.split('.').slice(1), password]) {
      expect(everything).not.toContain(secret);
    }
    expect(everything).not.toMatch(/authorization|bearer /i);
  });

  it('logs at the level LOG_LEVEL sets', async () => {
    const server = await startServer({ LOG_LEVEL: 'warn' });
    expect((await call(`${server.url}/api/v1/me`, { token: pool.mint() })).status).toBe(200);
    expect((await call(`${server.url}/api/v1/me`)).status).toBe(401);
    // The new user's profile could not be read from the pool: a warning, logged while serving the
    // request, so it carries the request's id.
    await waitFor(
      () =>
        expect(
          server
            .logs()
            .filter((line) => line.context === 'UsersService')
            .map((line) => typeof line.reqId),
        ).toEqual(['string']),
      { message: "the warning about the new user's profile" },
    );
    expect(server.requestLogs()).toEqual([]);
    expect(server.logs().every((line) => line.level >= 40)).toBe(true);
  });
});
