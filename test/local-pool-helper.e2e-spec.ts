import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, getTokens } from '@backend/local-cognito/testing';
import { call } from './support/http.js';
import { runScript } from './support/run-command.js';
import { writeStackFile } from './support/stack-file.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { claims } from './support/jwt-claims.js';

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

/**
 * What an outside suite (Playwright, Cypress) does with the local pool's test helper, against the real pool
 * and this API (the helper's own cases are in packages/local-cognito/test).
 */
describe('testing/local-pool.mjs, the test-suite helper', () => {
  let api: TestApp;
  let options: { stackFile: string };

  beforeAll(async () => {
    api = await startTestApp();
    options = { stackFile: writeStackFile() };
  });
  afterAll(async () => {
    await api.close();
  });

  it('creates an admin, gets its token, calls the API as that admin, and removes it again', async () => {
    const username = uniqueName('suite-admin');
    const user = await createUser(
      {
        username,
        password: 'Suite-pass-1',
        groups: ['admin'],
        attributes: { email: `${username}@example.com`, email_verified: 'true', given_name: 'Sue' },
      },
      options,
    );
    expect(user).toEqual({ username, password: 'Suite-pass-1', sub: expect.stringMatching(/^[0-9a-f-]{36}$/), groups: ['admin'] });

    const tokens = await getTokens(username, 'Suite-pass-1', options);
    expect(claims(tokens.accessToken)).toMatchObject({ sub: user.sub, token_use: 'access', 'cognito:groups': ['admin'] });
    expect(tokens).toMatchObject({ tokenType: 'Bearer', idToken: expect.any(String), refreshToken: expect.any(String) });
    expect(Date.parse(tokens.expiresAt)).toBeGreaterThan(Date.now());

    const response = await call(`${api.url}/api/v1/me`, { token: tokens.accessToken });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sub: user.sub, username, email: `${username}@example.com`, firstName: 'Sue', groups: ['admin'] });

    // The admin route: open to this new admin, closed to a member.
    const users = await call<{ items: Array<{ username: string }> }>(`${api.url}/api/v1/admin/users?search=${username}`, {
      token: tokens.accessToken,
    });
    expect(users.status).toBe(200);
    expect(users.body.items.map((item) => item.username)).toEqual([username]);
    const asMember = await call(`${api.url}/api/v1/admin/users`, { token: (await getTokens('alice', undefined, options)).accessToken });
    expect(asMember.body).toMatchObject({ statusCode: 403, code: 'forbidden' });

    await expect(deleteUser(username, options)).resolves.toBe(true);
    await expect(getTokens(username, 'Suite-pass-1', options)).rejects.toMatchObject({
      name: 'LocalPoolError',
      code: 'NotAuthorizedException',
    });
    await expect(deleteUser(username, options)).resolves.toBe(false);
  });
});

describe('npm run user', () => {
  let api: TestApp;
  let stackFile: string;

  beforeAll(async () => {
    api = await startTestApp();
    stackFile = writeStackFile();
  });
  afterAll(async () => {
    await api.close();
  });

  it('adds a user with a password, groups and attributes, whose token works, then removes it', async () => {
    const username = uniqueName('cli-user');
    const env = { LOCAL_STACK_FILE: stackFile };
    const added = await runScript(
      'user',
      ['add', username, '--password', 'Cli-pass-1', '--group', 'admin', '--attr', `email=${username}@example.com`],
      env,
    );
    expect(added.code).toBe(0);
    expect(added.stdout).toContain(`Added "${username}"`);

    const token = await runScript('token', [username, '--password', 'Cli-pass-1'], env);
    expect(token.code).toBe(0);
    const me = await call(`${api.url}/api/v1/me`, { token: token.stdout.trim() });
    expect(me.body).toMatchObject({ username, email: `${username}@example.com`, groups: ['admin'] });

    const removed = await runScript('user', ['remove', username], env);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`Removed "${username}"`);
    const after = await runScript('token', [username, '--password', 'Cli-pass-1'], env);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain(`No user "${username}"`);
  });

  it('needs a password to add a user', async () => {
    const result = await runScript('user', ['add', 'someone'], { LOCAL_STACK_FILE: stackFile });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('add needs --password');
  });
});
