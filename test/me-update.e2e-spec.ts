import { randomUUID } from 'node:crypto';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe('PATCH /api/v1/me', () => {
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

  async function newUser(): Promise<{ token: string; sub: string }> {
    const sub = randomUUID();
    const token = pool.mint({ sub });
    expect((await call(me, { token })).status).toBe(200);
    return { token, sub };
  }

  // Everything but last_seen_at, which a request stamps in the background whether or not it changes anything.
  const rowOf = async (sub: string) => {
    const { last_seen_at: _seen, ...row } = (await sut.db.query('SELECT * FROM users WHERE sub = $1', [sub]))[0];
    return row;
  };

  it('refuses a missing or bad token', async () => {
    expect((await call(me, { method: 'PATCH', body: { firstName: 'X' } })).status).toBe(401);
    expect((await call(me, { method: 'PATCH', body: { firstName: 'X' }, token: pool.mint({ client_id: 'other' }) })).status).toBe(401);
  });

  it('saves every editable field and returns the new profile', async () => {
    const { token, sub } = await newUser();
    const changes = {
      firstName: 'Grace',
      lastName: 'Hopper',
      preferredEmail: 'grace@example.org',
      githubHandle: 'grace-hopper',
      slackMemberId: 'U012AB3CD',
      linkedinAccount: 'https://www.linkedin.com/in/grace',
      phone: '+14155550123',
      textingOk: true,
      timeZone: 'America/New_York',
    };
    const response = await call(me, { method: 'PATCH', token, body: changes });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ sub, ...changes });
    expect((await call(me, { token })).body).toMatchObject(changes);
    expect(await rowOf(sub)).toMatchObject({ first_name: 'Grace', phone: '+14155550123', texting_ok: true, time_zone: 'America/New_York' });
  });

  it('clears a field with null and leaves absent fields alone', async () => {
    const { token, sub } = await newUser();
    await call(me, { method: 'PATCH', token, body: { firstName: 'Ada', phone: '+442071838750' } });
    const response = await call(me, { method: 'PATCH', token, body: { phone: null } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ firstName: 'Ada', phone: null });
    expect(await rowOf(sub)).toMatchObject({ first_name: 'Ada', phone: null });
  });

  it('accepts an empty body as no change', async () => {
    const { token } = await newUser();
    expect((await call(me, { method: 'PATCH', token, body: {} })).status).toBe(200);
  });

  const refused: Array<[string, unknown]> = [
    ['a field that is not editable (email)', { email: 'evil@example.com' }],
    ['a field that is not editable (isActive)', { isActive: false }],
    ['a field that is not editable (sub)', { sub: 'someone-else' }],
    ['an unknown field', { favouriteColour: 'blue' }],
    ['a phone not in E.164', { phone: '415-555-0123' }],
    ['a phone too long for E.164', { phone: '+1234567890123456' }],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }],
    ['an offset instead of a time zone name', { timeZone: '+02:00' }],
    ['a string for a boolean', { textingOk: 'true' }],
    ['a number for a boolean', { textingOk: 1 }],
    ['a bad email', { preferredEmail: 'not-an-email' }],
    ['an over-long name', { firstName: 'x'.repeat(101) }],
    ['an empty name', { lastName: '' }],
    ['a number for a string', { firstName: 42 }],
    ['a bad GitHub handle', { githubHandle: '-bad--handle-' }],
    ['a bad Slack member id', { slackMemberId: 'not a slack id' }],
    ['an array body', [{ firstName: 'Grace' }]],
    ['a JSON string body', '"firstName"'],
    ['invalid JSON', '{"firstName": '],
  ];

  it.each(refused)('refuses %s with 400 and saves nothing, not even the valid fields', async (_case, body) => {
    const { token, sub } = await newUser();
    const before = await rowOf(sub);
    const payload = Array.isArray(body) || typeof body === 'string' ? body : { firstName: 'Changed', ...(body as object) };
    const response = await call(me, { method: 'PATCH', token, body: payload });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'validation_failed', message: expect.any(String) });
    expect(await rowOf(sub)).toEqual(before);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const { token, sub } = await newUser();
    const before = await rowOf(sub);
    const response = await call(me, {
      method: 'PATCH',
      token,
      body: 'firstName=Grace',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({ statusCode: 415, code: 'unsupported_media_type' });
    expect(await rowOf(sub)).toEqual(before);
  });

  it('names the offending field in the message', async () => {
    const { token } = await newUser();
    const response = await call(me, { method: 'PATCH', token, body: { phone: '12', email: 'x@example.com' } });
    expect(response.body.message).toMatch(/phone must be in E\.164 format/);
    expect(response.body.message).toMatch(/property email should not exist/);
  });
});
