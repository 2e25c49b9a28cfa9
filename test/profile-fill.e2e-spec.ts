import { randomUUID } from 'node:crypto';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

describe("Filling a new user's profile from the pool (Cognito GetUser)", () => {
  const pool = new FakePool();
  let sut: TestApp;
  let me: string;

  beforeAll(async () => {
    await pool.start();
    // These cases count the profile's GetUser calls; the background session recheck makes its own.
    sut = await startTestApp({ env: { ...pool.env(), PROFILE_RETRY_SECONDS: '1', TOKEN_RECHECK_SECONDS: '0' } });
    me = `${sut.url}/api/v1/me`;
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  it('copies email, names and username on first sight', async () => {
    const sub = randomUUID();
    pool.attributes.set(sub, {
      username: 'grace',
      email: 'grace@example.org',
      email_verified: 'true',
      given_name: 'Grace',
      family_name: 'Hopper',
    });
    const response = await call(me, { token: pool.mint({ sub, username: 'grace' }) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      username: 'grace',
      email: 'grace@example.org',
      emailVerified: true,
      firstName: 'Grace',
      lastName: 'Hopper',
    });
  });

  it('still answers 200 when GetUser fails, and fills the profile on a later request', async () => {
    const sub = randomUUID();
    const token = pool.mint({ sub, username: 'linus' });
    pool.getUserMode = 'fail';
    const first = await call(me, { token });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ sub, username: 'linus', email: null });

    pool.getUserMode = 'ok';
    pool.attributes.set(sub, { username: 'linus', email: 'linus@example.org', email_verified: 'false', given_name: 'Linus' });
    // Requests keep coming; one after the retry period (1 s here) reads the pool again.
    await waitFor(
      async () => {
        await call(me, { token });
        const [row] = await sut.db.query<{ email: string | null }>('SELECT email FROM users WHERE sub = $1', [sub]);
        expect(row.email).toBe('linus@example.org');
      },
      { timeout: 10_000, interval: 200, message: 'the profile to be filled' },
    );
    // The write dropped the cached row: the very next request shows the filled profile.
    expect((await call(me, { token })).body).toMatchObject({ email: 'linus@example.org', emailVerified: false, firstName: 'Linus' });
  });

  it('does not overwrite names the user edited before the fill succeeded', async () => {
    const sub = randomUUID();
    const token = pool.mint({ sub });
    pool.getUserMode = 'fail';
    await call(me, { token });
    await call(me, { method: 'PATCH', token, body: { firstName: 'Chosen' } });
    pool.getUserMode = 'ok';
    pool.attributes.set(sub, { email: 'pool@example.org', given_name: 'FromPool', family_name: 'Surname' });
    await waitFor(
      async () => {
        await call(me, { token });
        const rows = await sut.db.query('SELECT first_name, last_name, email FROM users WHERE sub = $1', [sub]);
        expect(rows[0]).toEqual({ first_name: 'Chosen', last_name: 'Surname', email: 'pool@example.org' });
      },
      { timeout: 10_000, interval: 200, message: 'the profile to be filled' },
    );
  });
});

describe("Pool attributes of any content within Cognito's limits (2048 characters a value)", () => {
  const pool = new FakePool();
  let sut: TestApp;
  let me: string;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: { ...pool.env(), PROFILE_RETRY_SECONDS: '60', TOKEN_RECHECK_SECONDS: '0' } });
    me = `${sut.url}/api/v1/me`;
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  it('stores attributes of 2048 characters, astral ones included, with one GetUser call', async () => {
    const sub = randomUUID();
    const attributes = {
      preferred_username: 'p'.repeat(2048),
      email: `${'e'.repeat(2048 - '@example.org'.length)}@example.org`,
      email_verified: 'true',
      given_name: 'G'.repeat(2048),
      family_name: '😀'.repeat(2048),
    };
    pool.attributes.set(sub, attributes);
    const token = pool.mint({ sub });
    const calls = pool.getUserRequests;
    for (let i = 0; i < 3; i++) {
      const response = await call(me, { token });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        username: attributes.preferred_username,
        email: attributes.email,
        firstName: attributes.given_name,
        lastName: attributes.family_name,
      });
    }
    expect(pool.getUserRequests - calls).toBe(1);
    const [row] = await sut.db.query<Record<string, number>>(
      `SELECT char_length(username) AS username, char_length(email) AS email, char_length(first_name) AS first,
              char_length(last_name) AS last FROM users WHERE sub = $1`,
      [sub],
    );
    expect(row).toEqual({ username: 2048, email: 2048, first: 2048, last: 2048 });
  });

  it('stores names holding NUL (which PostgreSQL text cannot hold) without it, and other control characters as they are', async () => {
    const sub = randomUUID();
    pool.attributes.set(sub, { email: 'nul@example.org', given_name: 'Gr\u0000ace', family_name: 'Hop\tper\u0007' });
    const response = await call(me, { token: pool.mint({ sub }) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ firstName: 'Grace', lastName: 'Hop\tper\u0007' });
  });

  // How often GetUser is retried for a profile that cannot be read: src/users/users.service.spec.ts (fake timers).
});
