import { randomUUID } from 'node:crypto';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const REGION = 'us-test-1';

/** The AWS issuer forms of the test pool. */
const original = (pool: FakePool, region = REGION) => `https://cognito-idp.${region}.amazonaws.com/${pool.poolId}`;
const updated = (pool: FakePool, region = REGION) => `https://issuer-cognito-idp.${region}.amazonaws.com/${pool.poolId}`;

describe('Issuers of a real pool: ORIGINAL, UPDATED and replica regions, keys from COGNITO_JWKS_URL', () => {
  const pool = new FakePool();
  let sut: TestApp;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({
      env: {
        ...pool.env(),
        COGNITO_ENDPOINT: '',
        COGNITO_REGION: REGION,
        COGNITO_JWKS_URL: pool.jwksUrl,
        COGNITO_REPLICA_REGIONS: 'us-test-2, eu-test-1',
      },
    });
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  /**
   * /api/v1/me with a person's token whose row already holds the pool's attributes, so that no
   * GetUser goes to AWS: what is observed is the issuer check alone.
   */
  async function meWith(iss: string): Promise<{ status: number; code?: string }> {
    const sub = randomUUID();
    await sut.db.query('INSERT INTO users (sub, username, profile_synced_at) VALUES ($1, $2, now())', [sub, 'someone']);
    const response = await call(`${sut.url}/api/v1/me`, { token: pool.mint({ sub, iss }) });
    return { status: response.status, code: response.body.code as string | undefined };
  }

  it.each([
    ['the ORIGINAL issuer of the primary region', () => original(pool)],
    ['the UPDATED issuer of the primary region', () => updated(pool)],
    ['the ORIGINAL issuer of a listed replica', () => original(pool, 'us-test-2')],
    ['the ORIGINAL issuer of another listed replica', () => original(pool, 'eu-test-1')],
  ])('accepts %s', async (_form, iss) => {
    expect(await meWith(iss())).toEqual({ status: 200, code: undefined });
  });

  it.each([
    ['the ORIGINAL issuer of a region not listed', () => original(pool, 'ap-test-9')],
    ["the UPDATED issuer with a replica's region", () => updated(pool, 'us-test-2')],
    ['the UPDATED issuer of a region not listed', () => updated(pool, 'ap-test-9')],
    ["the emulator's form, without COGNITO_ENDPOINT", () => `${pool.endpoint}/${pool.poolId}`],
    ['another pool of the same region', () => `https://cognito-idp.${REGION}.amazonaws.com/${REGION}_Other`],
    ['http instead of https', () => original(pool).replace('https:', 'http:')],
    ['a trailing slash', () => `${updated(pool)}/`],
    ['upper-case host', () => original(pool).replace('cognito-idp', 'Cognito-Idp')],
    ['a look-alike host', () => `https://cognito-idp.${REGION}.amazonaws.com.evil.example/${pool.poolId}`],
    ['the Hosted UI domain', () => `https://issuer-cognito-idp.${REGION}.amazoncognito.com/${pool.poolId}`],
  ])('refuses %s with token_wrong_issuer', async (_form, iss) => {
    expect(await meWith(iss())).toEqual({ status: 401, code: 'token_wrong_issuer' });
  });

  it('takes the keys from COGNITO_JWKS_URL', () => {
    expect(sut.config.cognito.jwksUri).toBe(pool.jwksUrl);
    expect(pool.jwksRequests).toBeGreaterThan(0);
  });

  it("accepts a machine client's token of the UPDATED issuer on the users API", async () => {
    const response = await call(`${sut.url}/api/v1/users`, { token: pool.mintMachine('backend/users.read', { iss: updated(pool) }) });
    expect(response.status).toBe(200);
  });
});

describe("Issuer of the emulator (COGNITO_ENDPOINT): '<endpoint>/<poolId>' only", () => {
  const pool = new FakePool();
  let sut: TestApp;

  beforeAll(async () => {
    await pool.start();
    sut = await startTestApp({ env: pool.env() });
  });
  afterAll(async () => {
    await sut.close();
    await pool.stop();
  });

  const status = async (iss: string) => (await call(`${sut.url}/api/v1/me`, { token: pool.mint({ iss }) })).body.code ?? 200;

  it("accepts the emulator's issuer", async () => {
    expect(await status(`${pool.endpoint}/${pool.poolId}`)).toBe(200);
  });

  it('refuses the AWS forms of the same pool', async () => {
    expect(await status(original(pool))).toBe('token_wrong_issuer');
    expect(await status(updated(pool))).toBe('token_wrong_issuer');
  });
});
