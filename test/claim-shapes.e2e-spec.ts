import { randomUUID } from 'node:crypto';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const long = (length: number) => 'a'.repeat(length);
const groups = (count: number, name = (i: number) => `g${i}`) => Array.from({ length: count }, (_, i) => name(i));

describe('Claims of any shape: never a 500, never stored', () => {
  const pool = new FakePool();
  let sut: TestApp;
  let me: string;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
    me = `${sut.url}/api/v1/me`;
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  const rowCount = async () => Number((await sut.db.query<{ n: string }>('SELECT count(*) AS n FROM users'))[0].n);

  it.each<[string, Record<string, unknown>]>([
    ['sub as a number', { sub: 12345 }],
    ['sub as an object', { sub: { id: 'x' } }],
    ['sub as a list', { sub: ['x'] }],
    ['sub of 129 characters', { sub: long(129) }],
    ['sub holding a NUL', { sub: `${randomUUID()}\u0000` }],
    ['sub holding a newline', { sub: `a\nb` }],
    ['sub holding DEL', { sub: `a\u007fb` }],
    ['username as a number', { username: 42 }],
    ['username as a list', { username: ['alice'] }],
    ['username as null', { username: null }],
    ['username empty', { username: '' }],
    ['username of 129 characters', { username: long(129) }],
    ['username holding a NUL', { username: 'ali\u0000ce' }],
    ['username holding a C1 control', { username: 'ali\u0085ce' }],
    ['client_id as a number', { client_id: 7 }],
    ['client_id of 129 characters', { client_id: long(129) }],
    ['client_id holding a tab', { client_id: 'test-client-id\t' }],
    ['scope as a list', { scope: ['aws.cognito.signin.user.admin'] }],
    ['scope as a number', { scope: 1 }],
    ['scope of 2049 characters', { scope: long(2049) }],
    ['scope holding a NUL', { scope: 'openid\u0000' }],
    ['cognito:groups as a string', { 'cognito:groups': 'admin' }],
    ['cognito:groups as an object', { 'cognito:groups': { admin: true } }],
    ['cognito:groups of 101 groups', { 'cognito:groups': groups(101) }],
    ['a group of 129 characters', { 'cognito:groups': [long(129)] }],
    ['a group that is a number', { 'cognito:groups': ['staff', 3] }],
    ['a group that is a list', { 'cognito:groups': [['admin']] }],
    ['an empty group name', { 'cognito:groups': [''] }],
    ['a group holding a control character', { 'cognito:groups': ['admin\r\n'] }],
  ])('refuses %s with 401 token_invalid', async (_case, claims) => {
    const before = await rowCount();
    const response = await call(me, { token: pool.mint(claims) });
    expect([response.status, response.body.code]).toEqual([401, 'token_invalid']);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer realm="api", error="invalid_token", error_description="[^"]+"$/);
    expect(await rowCount()).toBe(before);
  });

  it('refuses the same shapes in machine tokens', async () => {
    for (const claims of [{ scope: long(2049) }, { scope: ['backend/users.read'] }, { client_id: 5, sub: 5 }]) {
      const response = await call(`${sut.url}/api/v1/users`, { token: pool.mintMachine('backend/users.read', claims) });
      expect([response.status, response.body.code]).toEqual([401, 'token_invalid']);
    }
  });

  it('accepts claims at their limits and stores them as they are', async () => {
    const sub = `${randomUUID()}-${long(128 - 37)}`;
    const username = `ü${long(126)}ß`;
    const claims = {
      sub,
      username,
      scope: `aws.cognito.signin.user.admin ${long(2048 - 30)}`,
      'cognito:groups': [...groups(99), `${long(127)}é`],
    };
    expect(sub).toHaveLength(128);
    const response = await call(me, { token: pool.mint(claims) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sub, username });
    expect(response.body.groups).toHaveLength(100);
    expect(await sut.db.query('SELECT sub, username FROM users WHERE sub = $1', [sub])).toEqual([{ sub, username }]);
  });

  it('accepts a person token without cognito:groups or scope', async () => {
    const response = await call(me, { token: pool.mint({ scope: undefined, 'cognito:groups': undefined }) });
    expect([response.status, response.body.groups]).toEqual([200, []]);
  });
});
