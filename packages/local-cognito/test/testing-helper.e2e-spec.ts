import { randomUUID } from 'node:crypto';
import { createUser, deleteUser, getClientToken, getTokens, LocalPoolError, readLocalStack } from '../testing/local-pool.mjs';
import { freePort } from '../src/index.js';
import { helperOptions, useTestPool } from './support/test-pool.js';

const uniqueName = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const claims = (jwt: string): Record<string, unknown> =>
  JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;

/** What an outside suite (Playwright, Cypress) does with `@backend/local-cognito/testing`, against a real local pool. */
describe('the test-suite helper (testing/local-pool.mjs)', () => {
  const pool = useTestPool();
  const options = helperOptions(pool);

  it('creates a user with groups and attributes, gets its tokens, and removes it again', async () => {
    const username = uniqueName('suite-admin');
    const user = await createUser(
      { username, password: 'Suite-pass-1', groups: ['admin'], attributes: { email: `${username}@example.com` } },
      options,
    );
    expect(user).toEqual({ username, password: 'Suite-pass-1', sub: expect.stringMatching(/^[0-9a-f-]{36}$/), groups: ['admin'] });

    const tokens = await getTokens(username, 'Suite-pass-1', options);
    expect(claims(tokens.accessToken)).toMatchObject({ sub: user.sub, token_use: 'access', 'cognito:groups': ['admin'] });
    expect(tokens).toMatchObject({ tokenType: 'Bearer', idToken: expect.any(String), refreshToken: expect.any(String) });
    expect(Date.parse(tokens.expiresAt)).toBeGreaterThan(Date.now());

    await expect(deleteUser(username, options)).resolves.toBe(true);
    await expect(getTokens(username, 'Suite-pass-1', options)).rejects.toMatchObject({ code: 'NotAuthorizedException' });
    await expect(deleteUser(username, options)).resolves.toBe(false);
  });

  it("gets the seeded users' tokens without their passwords, and reads the stack", async () => {
    expect(claims((await getTokens('alice', undefined, options)).accessToken)).toMatchObject({ username: 'alice' });
    expect(readLocalStack(options)).toMatchObject({
      userPoolId: pool.userPoolId,
      adminGroup: 'admin',
      users: expect.arrayContaining([expect.objectContaining({ username: 'admin' })]),
    });
  });

  it("picks one of the stack's pools by name: the second pool's users, issuer and machine client", async () => {
    const staff = { ...options, pool: 'staff' };
    const sam = claims((await getTokens('sam', undefined, staff)).accessToken);
    expect(sam).toMatchObject({ username: 'sam', 'cognito:groups': ['admin'], iss: `${pool.endpoint}/${pool.pools.staff.userPoolId}` });
    expect(pool.pools.staff.userPoolId).not.toBe(pool.userPoolId);
    await expect(getTokens('sam', undefined, options)).rejects.toBeInstanceOf(LocalPoolError);
    expect(claims((await getClientToken(staff)).accessToken)).toMatchObject({ client_id: pool.pools.staff.serviceClientId });
    const username = uniqueName('staff-user');
    await createUser({ username, password: 'Staff-pass-1' }, staff);
    await expect(deleteUser(username, options)).resolves.toBe(false);
    await expect(deleteUser(username, staff)).resolves.toBe(true);
    expect(() => readLocalStack({ ...options, pool: 'nowhere' })).toThrow(
      'The local stack has no pool "nowhere" (its pools: default, staff).',
    );
  });

  it('takes the pool from options instead of a stack file, and creates groups that do not exist yet', async () => {
    const direct = { endpoint: pool.endpoint, userPoolId: pool.userPoolId, clientId: pool.backendClientId };
    const group = uniqueName('testers');
    const username = uniqueName('tester');
    await createUser({ username, password: 'Tester-pass-1', groups: [group, 'admin'] }, direct);
    try {
      const { accessToken } = await getTokens(username, 'Tester-pass-1', direct);
      expect(claims(accessToken)['cognito:groups']).toEqual(expect.arrayContaining([group, 'admin']));
    } finally {
      await deleteUser(username, direct);
    }
  });

  it('refuses to create a user that exists, and leaves that user alone', async () => {
    await expect(createUser({ username: 'alice', password: 'Other-pass-1' }, options)).rejects.toMatchObject({
      code: 'UsernameExistsException',
      message: expect.stringContaining('already exists'),
    });
    await expect(getTokens('alice', 'Alice-pass-1', options)).resolves.toMatchObject({ accessToken: expect.any(String) });
  });

  it("gets a machine token from the service client's client-credentials grant", async () => {
    const token = await getClientToken(options);
    expect(token).toMatchObject({ tokenType: 'Bearer', scope: 'backend/users.read' });
    expect(claims(token.accessToken)).toMatchObject({ sub: pool.serviceClientId, client_id: pool.serviceClientId, token_use: 'access' });
    expect(claims(token.accessToken)).not.toHaveProperty('username');
  });

  it('says when the pool is not running', async () => {
    const down = { endpoint: `http://127.0.0.1:${await freePort()}`, userPoolId: pool.userPoolId, clientId: pool.backendClientId };
    const failure = getTokens('alice', 'Alice-pass-1', down);
    await expect(failure).rejects.toBeInstanceOf(LocalPoolError);
    await expect(failure).rejects.toMatchObject({ code: 'EmulatorUnreachable', message: expect.stringContaining('npm start') });
  });
});
