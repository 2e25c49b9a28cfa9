import fc from 'fast-check';
import { Agent, request as httpRequest } from 'node:http';
import { createAdapter } from '../src/app.js';
import { FakePool } from './support/fake-pool.js';
import { fuzzSettings } from './support/fuzz-settings.js';
import { requestArbitrary, type FuzzContext, type FuzzRequest } from './support/fuzz-requests.js';
import { call } from './support/http.js';
import { recordRoutes, type RegisteredRoute } from './support/openapi-coverage.js';
import { routeDtoNames } from './support/route-dtos.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { insertUsers } from './support/users.js';

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** Marks of activity rather than data: a refused request may still note when the caller was last seen. */
const ACTIVITY_COLUMNS = new Set(['last_seen_at']);

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const settings = fuzzSettings();

/**
 * Property-based fuzzing of every route the server registers (whoever added it): random methods,
 * paths, queries (named after every member of the route's query and body classes too), headers,
 * bodies and tokens (really signed by the test pool, with random claims).
 * Whatever the request: never a 5xx, every error in the API's format, and a refused write changes
 * no row of users and adds no audit entry. `npm run fuzz -- --runs N [--seed S]` runs it longer.
 */
describe('Fuzzing every route', () => {
  const pool = new FakePool();
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  let sut: TestApp;
  let registered: RegisteredRoute[];
  let context: FuzzContext;

  beforeAll(async () => {
    await pool.start();
    const adapter = createAdapter();
    registered = recordRoutes(adapter);
    sut = await startTestApp({ env: pool.env(), adapter });
    // Users to aim at: an admin and a member who exist, and rows straight in the table.
    for (const claims of [{ 'cognito:groups': ['admin'] }, {}]) {
      expect((await call(`${sut.url}/api/v1/me`, { token: pool.mint(claims) })).status).toBe(200);
    }
    await insertUsers(sut.db, [
      { username: 'target-one', firstName: 'Tara' },
      { username: 'target-two', isActive: false },
    ]);
    const rows = await sut.db.query<{ id: string; sub: string }>('SELECT id, sub FROM users');
    const unique = new Map(registered.map((route) => [`${route.method} ${route.path}`, route]));
    const dtoNames = routeDtoNames(sut.app);
    // The classes that once held a read-only getter: their members must be among the names sent.
    expect(dtoNames.get('GET /api/v1/users')).toEqual(expect.arrayContaining(['page', 'pageSize', 'sub', 'constructor']));
    context = { pool, routes: [...unique.values()], userIds: rows.map((row) => row.id), subs: rows.map((row) => row.sub), dtoNames };
  });
  afterAll(async () => {
    agent.destroy();
    await sut.close();
    await pool.stop();
  });

  function send(request: FuzzRequest): Promise<Answer> {
    const { hostname, port } = new URL(sut.url);
    const headers = { ...request.headers, ...(request.body !== undefined && { 'content-length': Buffer.byteLength(request.body) }) };
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest({ host: hostname, port, method: request.method, path: request.path, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      });
      outgoing.setTimeout(15_000, () => outgoing.destroy(new Error('no answer within 15 s')));
      outgoing.on('error', reject);
      outgoing.end(request.body);
    });
  }

  /** The users table (every column that holds data) and the number of audit entries. */
  async function snapshot(): Promise<{ users: Map<string, string>; audits: number }> {
    const rows = await sut.db.query('SELECT * FROM users');
    const users = new Map<string, string>();
    for (const row of rows) {
      const data = Object.entries(row).filter(([column]) => !ACTIVITY_COLUMNS.has(column));
      users.set(String(row.id), JSON.stringify(data));
    }
    const [{ n }] = await sut.db.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_entries');
    return { users, audits: n };
  }

  function problemsWith(request: FuzzRequest, answer: Answer): string[] {
    const problems: string[] = [];
    if (answer.status >= 500 || answer.status < 100) problems.push(`answered ${answer.status}`);
    if (answer.status >= 400 && request.method !== 'HEAD') {
      let body: unknown;
      try {
        body = JSON.parse(answer.text);
      } catch {
        problems.push(`error answer is not JSON (${answer.contentType}): ${answer.text.slice(0, 200)}`);
      }
      const fields = body as Record<string, unknown> | undefined;
      const shaped =
        fields &&
        Object.keys(fields).sort().join() === 'code,error,message,statusCode' &&
        fields.statusCode === answer.status &&
        typeof fields.code === 'string' &&
        typeof fields.error === 'string' &&
        typeof fields.message === 'string';
      if (body !== undefined && !shaped)
        problems.push(`error answer is not {statusCode, error, code, message}: ${answer.text.slice(0, 200)}`);
      if (!answer.contentType.includes('application/json')) problems.push(`error answer has content-type "${answer.contentType}"`);
    }
    return problems;
  }

  it(
    `never answers 5xx, always answers errors in the API's format, and refused writes change nothing (${settings.runs} requests)`,
    async () => {
      expect(context.routes.length).toBeGreaterThan(5);
      const started = Date.now();
      const statuses = new Map<number, number>();
      console.log(
        `Fuzz: ${settings.runs} requests over ${context.routes.length} routes, seed ${settings.seed} (replay: npm run fuzz -- --runs ${settings.runs} --seed ${settings.seed})`,
      );
      await fc.assert(
        fc.asyncProperty(requestArbitrary(context), async (request) => {
          const write = !READ_METHODS.has(request.method);
          const before = write ? await snapshot() : undefined;
          const answer = await send(request);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const problems = problemsWith(request, answer);
          if (before && answer.status >= 400) {
            const after = await snapshot();
            if (after.audits !== before.audits) problems.push(`refused write added ${after.audits - before.audits} audit entries`);
            for (const [id, row] of before.users) {
              if (after.users.get(id) !== row)
                problems.push(`refused write changed user ${id}: ${row} -> ${after.users.get(id) ?? 'deleted'}`);
            }
          }
          if (problems.length > 0) throw new Error(`${request.method} ${request.path} -> ${answer.status}:\n  ${problems.join('\n  ')}`);
        }),
        { numRuns: settings.runs, seed: settings.seed, path: settings.path, endOnFailure: settings.endOnFailure },
      );
      const tally = [...statuses].sort(([a], [b]) => a - b).map(([status, count]) => `${status}: ${count}`);
      console.log(`Fuzz: passed in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${settings.seed}); answers ${tally.join(', ')}`);
    },
    settings.timeoutMs,
  );
});
