import { ConfigError, loadConfig } from './load-config.js';
import { loadPools, poolVariable } from './load-pools.js';
import { UserPools } from './user-pools.js';

const valid = {
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/app',
  COGNITO_REGION: 'us-west-2',
  COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
  COGNITO_CLIENT_IDS: 'client-a, client-b',
};

const staff = {
  COGNITO_POOLS: 'staff',
  COGNITO_STAFF_REGION: 'eu-west-1',
  COGNITO_STAFF_USER_POOL_ID: 'eu-west-1_Staff1',
  COGNITO_STAFF_CLIENT_IDS: 'staff-web, staff-backend',
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe(loadConfig.name, () => {
  it('derives the issuer and JWKS URL of a real pool', () => {
    const sut = loadConfig(valid);
    expect(sut.cognito.issuer).toBe('https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123');
    expect(sut.cognito.jwksUri).toBe('https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123/.well-known/jwks.json');
    expect(sut.cognito.clientIds).toEqual(['client-a', 'client-b']);
    expect(sut.cognito.adminGroups).toEqual(['admin']);
    expect(sut.port).toBe(8000);
    expect(sut.tokens.clockSkewSeconds).toBeLessThanOrEqual(60);
  });

  it('accepts the ORIGINAL and UPDATED issuers of the region and the ORIGINAL issuer of each replica', () => {
    const sut = loadConfig({ ...valid, COGNITO_REPLICA_REGIONS: 'eu-west-1, ap-southeast-2' });
    expect(sut.cognito.issuers).toEqual([
      'https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123',
      'https://issuer-cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123',
      'https://cognito-idp.eu-west-1.amazonaws.com/us-west-2_AbCdEf123',
      'https://cognito-idp.ap-southeast-2.amazonaws.com/us-west-2_AbCdEf123',
    ]);
    expect(sut.cognito.resourceServer).toBe('backend');
  });

  it('refuses replica regions that are not region names, or the primary region', () => {
    expect(problemsOf({ ...valid, COGNITO_REPLICA_REGIONS: 'eu-west-1,EU-WEST-2,eu west 3,us-west-2' })).toEqual([
      expect.stringContaining('"EU-WEST-2"'),
      expect.stringContaining('"eu west 3"'),
      expect.stringContaining('lists the primary region us-west-2'),
    ]);
    expect(problemsOf({ ...valid, COGNITO_REGION: 'us-west-2.evil.example', COGNITO_USER_POOL_ID: 'x_1' })).toEqual([
      expect.stringContaining('does not belong'),
      expect.stringContaining('COGNITO_REGION must be an AWS region name'),
    ]);
  });

  it('takes the JWKS from COGNITO_JWKS_URL while the issuers keep the AWS forms; https only in production', () => {
    const sut = loadConfig({ ...valid, COGNITO_JWKS_URL: 'http://127.0.0.1:8443/jwks.json' });
    expect(sut.cognito.jwksUri).toBe('http://127.0.0.1:8443/jwks.json');
    expect(sut.cognito.issuer).toBe('https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123');
    expect(problemsOf({ ...valid, NODE_ENV: 'production', COGNITO_JWKS_URL: 'http://proxy.internal/jwks.json' })).toEqual([
      expect.stringMatching(/COGNITO_JWKS_URL must use https/),
    ]);
  });

  it('has one issuer with COGNITO_ENDPOINT, and no replicas there', () => {
    const env = { ...valid, COGNITO_USER_POOL_ID: 'local_abc123', COGNITO_ENDPOINT: 'http://127.0.0.1:9229' };
    expect(loadConfig(env).cognito.issuers).toEqual(['http://127.0.0.1:9229/local_abc123']);
    expect(problemsOf({ ...env, COGNITO_REPLICA_REGIONS: 'eu-west-1' })).toEqual([expect.stringContaining('COGNITO_ENDPOINT')]);
  });

  it('uses COGNITO_ENDPOINT as the issuer base, without a trailing slash', () => {
    const sut = loadConfig({ ...valid, COGNITO_USER_POOL_ID: 'local_abc123', COGNITO_ENDPOINT: 'http://127.0.0.1:9229/' });
    expect(sut.cognito.issuer).toBe('http://127.0.0.1:9229/local_abc123');
  });

  it('lists every missing or bad variable in one error', () => {
    const problems = problemsOf({ PORT: 'eighty', JWT_CLOCK_SKEW_SECONDS: '300', LOG_LEVEL: 'loud' });
    expect(problems).toEqual([
      expect.stringContaining('PORT'),
      expect.stringContaining('DATABASE_URL'),
      expect.stringContaining('COGNITO_REGION'),
      expect.stringContaining('COGNITO_USER_POOL_ID'),
      expect.stringContaining('COGNITO_CLIENT_IDS'),
      expect.stringContaining('JWT_CLOCK_SKEW_SECONDS'),
      expect.stringContaining('LOG_LEVEL'),
    ]);
  });

  it('takes COGNITO_AUDIENCE as an absolute URI (RFC 8707), unset by default', () => {
    expect(loadConfig(valid).cognito.audience).toBeUndefined();
    expect(loadConfig({ ...valid, COGNITO_AUDIENCE: 'https://api.example.com' }).cognito.audience).toBe('https://api.example.com');
    expect(loadConfig({ ...valid, COGNITO_AUDIENCE: 'urn:example:api' }).cognito.audience).toBe('urn:example:api');
    for (const bad of ['api.example.com', '/api', 'https://api.example.com/#x', 'https://a b']) {
      expect(problemsOf({ ...valid, COGNITO_AUDIENCE: bad })).toEqual([
        expect.stringContaining('COGNITO_AUDIENCE must be an absolute URI'),
      ]);
    }
  });

  it('takes the LISTEN connection from DATABASE_LISTEN_URL, else from DATABASE_URL', () => {
    expect(loadConfig(valid).databaseListenUrl).toBe(valid.DATABASE_URL);
    const direct = 'postgres://app:secret@db-primary.internal:5432/app';
    const sut = loadConfig({ ...valid, DATABASE_URL: 'postgres://app:secret@pgbouncer.internal:6432/app', DATABASE_LISTEN_URL: direct });
    expect(sut.databaseListenUrl).toBe(direct);
    expect(problemsOf({ ...valid, DATABASE_LISTEN_URL: 'http://db.internal/app' })).toEqual([
      expect.stringContaining('DATABASE_LISTEN_URL must use postgres: or postgresql:'),
    ]);
  });

  it('refuses a pool id of another region', () => {
    expect(problemsOf({ ...valid, COGNITO_USER_POOL_ID: 'eu-west-1_AbCdEf123' })).toEqual([expect.stringContaining('does not belong')]);
  });

  it('refuses a non-https endpoint and a missing database in production', () => {
    const problems = problemsOf({ ...valid, NODE_ENV: 'production', DATABASE_URL: '', COGNITO_ENDPOINT: 'http://127.0.0.1:9229' });
    expect(problems).toEqual([
      expect.stringMatching(/DATABASE_URL is required: production never uses the embedded database/),
      expect.stringMatching(/COGNITO_ENDPOINT must use https/),
      expect.stringMatching(/COGNITO_ENDPOINT must be https in production/),
    ]);
  });

  it('accepts exact CORS origins only', () => {
    expect(loadConfig({ ...valid, CORS_ORIGINS: 'https://app.example.com,http://localhost:3000' }).corsOrigins).toEqual([
      'https://app.example.com',
      'http://localhost:3000',
    ]);
    expect(problemsOf({ ...valid, CORS_ORIGINS: 'https://app.example.com/path' })).toEqual([expect.stringContaining('exact origins')]);
  });

  describe('the /admin sign-in settings', () => {
    const withClients = { ...valid, COGNITO_CLIENT_IDS: 'backend,web' };
    const domain = 'https://x.auth.us-west-2.amazoncognito.com';

    it('accepts a Hosted UI domain with a web client that the API also accepts tokens of', () => {
      const sut = loadConfig({ ...withClients, COGNITO_DOMAIN: `${domain}/`, COGNITO_WEB_CLIENT_ID: 'web' });
      expect(sut.cognito).toMatchObject({ domain, webClientId: 'web' });
    });

    it('refuses a web client whose tokens the API would refuse', () => {
      expect(problemsOf({ ...withClients, COGNITO_DOMAIN: domain, COGNITO_WEB_CLIENT_ID: 'other' })).toEqual([
        "COGNITO_WEB_CLIENT_ID must also be listed in COGNITO_CLIENT_IDS: the /admin page calls the API with that client's tokens",
      ]);
    });

    it('wants the domain and the web client together', () => {
      expect(problemsOf({ ...withClients, COGNITO_WEB_CLIENT_ID: 'web' })).toHaveLength(1);
      expect(problemsOf({ ...withClients, COGNITO_DOMAIN: domain })).toHaveLength(1);
    });
  });
});

describe(loadPools.name, () => {
  it("names a pool's variables after it; the default pool's are today's", () => {
    expect(poolVariable('default', 'REGION')).toBe('COGNITO_REGION');
    expect(poolVariable('staff', 'USER_POOL_ID')).toBe('COGNITO_STAFF_USER_POOL_ID');
    expect(poolVariable('eu2', 'CLIENT_IDS')).toBe('COGNITO_EU2_CLIENT_IDS');
  });

  it('has the default pool alone without COGNITO_POOLS, described by the variables of today', () => {
    const sut = loadConfig(valid);
    expect(sut.pools.map((pool) => pool.name)).toEqual(['default']);
    expect(sut.cognito).toBe(sut.pools[0]);
    expect(sut.cognito).toMatchObject({ name: 'default', userPoolId: 'us-west-2_AbCdEf123', clientIds: ['client-a', 'client-b'] });
  });

  it('reads each pool of COGNITO_POOLS from its own variables, with the same defaults', () => {
    const sut = loadConfig({
      ...valid,
      ...staff,
      COGNITO_STAFF_REPLICA_REGIONS: 'eu-central-1',
      COGNITO_STAFF_ADMIN_GROUPS: 'staff-admins,ops',
      COGNITO_STAFF_RESOURCE_SERVER: 'staff-api',
      COGNITO_STAFF_AUDIENCE: 'https://staff-api.example.com',
      COGNITO_STAFF_JWKS_URL: 'https://keys.example.com/staff.json',
    });
    expect(sut.pools.map((pool) => pool.name)).toEqual(['default', 'staff']);
    expect(sut.pools[1]).toEqual({
      name: 'staff',
      region: 'eu-west-1',
      userPoolId: 'eu-west-1_Staff1',
      clientIds: ['staff-web', 'staff-backend'],
      endpoint: 'https://cognito-idp.eu-west-1.amazonaws.com',
      issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff1',
      issuers: [
        'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff1',
        'https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff1',
        'https://cognito-idp.eu-central-1.amazonaws.com/eu-west-1_Staff1',
      ],
      replicaRegions: ['eu-central-1'],
      jwksUri: 'https://keys.example.com/staff.json',
      resourceServer: 'staff-api',
      adminGroups: ['staff-admins', 'ops'],
      audience: 'https://staff-api.example.com',
    });
    // The default pool keeps its own settings, and the /admin sign-in stays with it.
    expect(sut.cognito).toMatchObject({ name: 'default', adminGroups: ['admin'], resourceServer: 'backend', audience: undefined });
    const local = loadConfig({
      ...valid,
      ...staff,
      COGNITO_STAFF_USER_POOL_ID: 'local_staff1',
      COGNITO_STAFF_ENDPOINT: 'http://127.0.0.1:9229/',
    });
    expect(local.pools[1]).toMatchObject({
      issuers: ['http://127.0.0.1:9229/local_staff1'],
      adminGroups: ['admin'],
      resourceServer: 'backend',
    });
  });

  it('finds a pool by its name, or by any of its issuers exactly', () => {
    const sut = new UserPools(loadConfig({ ...valid, ...staff }));
    expect(sut.names).toEqual(['default', 'staff']);
    expect(sut.ofIssuer('https://issuer-cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff1')?.name).toBe('staff');
    expect(sut.ofIssuer('https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123')?.name).toBe('default');
    for (const other of [
      'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff1/',
      'HTTPS://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Staff1',
      7,
      undefined,
    ]) {
      expect(sut.ofIssuer(other)).toBeUndefined();
    }
    expect(sut.named('staff')?.userPoolId).toBe('eu-west-1_Staff1');
    expect(sut.named('other')).toBeUndefined();
  });

  it("lists every bad pool setting in one error, each by its pool's variable", () => {
    expect(
      problemsOf({
        ...valid,
        COGNITO_POOLS: 'staff, Partners, default, eu-2, staff, volunteers',
        COGNITO_STAFF_REGION: 'eu-west-1',
        COGNITO_STAFF_USER_POOL_ID: 'us-east-1_Staff1',
        COGNITO_STAFF_RESOURCE_SERVER: 'has space',
        COGNITO_VOLUNTEERS_REGION: 'us-east-1',
        COGNITO_VOLUNTEERS_USER_POOL_ID: 'us-east-1_Vol1',
        COGNITO_VOLUNTEERS_CLIENT_IDS: 'vol',
        COGNITO_VOLUNTEERS_AUDIENCE: 'not a uri',
      }),
    ).toEqual([
      'COGNITO_POOLS lists "Partners", which is not a pool name: lowercase letters and digits, at most 32',
      expect.stringContaining('COGNITO_POOLS lists "default", the pool of COGNITO_REGION'),
      'COGNITO_POOLS lists "eu-2", which is not a pool name: lowercase letters and digits, at most 32',
      'COGNITO_POOLS lists "staff" twice',
      expect.stringContaining('COGNITO_STAFF_CLIENT_IDS is required'),
      'COGNITO_STAFF_USER_POOL_ID "us-east-1_Staff1" does not belong to COGNITO_STAFF_REGION "eu-west-1"',
      expect.stringContaining('COGNITO_STAFF_RESOURCE_SERVER must be a resource server identifier'),
      expect.stringContaining('COGNITO_VOLUNTEERS_AUDIENCE must be an absolute URI'),
    ]);
  });

  it('wants the required variables of every listed pool', () => {
    expect(problemsOf({ ...valid, COGNITO_POOLS: 'staff' })).toEqual([
      expect.stringContaining('COGNITO_STAFF_REGION is required'),
      expect.stringContaining('COGNITO_STAFF_USER_POOL_ID is required'),
      expect.stringContaining('COGNITO_STAFF_CLIENT_IDS is required'),
    ]);
  });

  it('refuses two pools with the same issuer: a token could not tell them apart', () => {
    expect(
      problemsOf({ ...valid, ...staff, COGNITO_STAFF_REGION: 'us-west-2', COGNITO_STAFF_USER_POOL_ID: 'us-west-2_AbCdEf123' }),
    ).toEqual([
      'The pools default and staff have the same issuer https://cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123: a token could not tell them apart',
      'The pools default and staff have the same issuer https://issuer-cognito-idp.us-west-2.amazonaws.com/us-west-2_AbCdEf123: a token could not tell them apart',
    ]);
    // Two local pools behind one endpoint differ by their ids.
    const local = { COGNITO_ENDPOINT: 'http://127.0.0.1:9229', COGNITO_USER_POOL_ID: 'local_one' };
    expect(
      problemsOf({
        ...valid,
        ...local,
        ...staff,
        COGNITO_STAFF_ENDPOINT: 'http://127.0.0.1:9229/',
        COGNITO_STAFF_USER_POOL_ID: 'local_one',
      }),
    ).toEqual([expect.stringContaining('The pools default and staff have the same issuer http://127.0.0.1:9229/local_one')]);
    expect(
      problemsOf({
        ...valid,
        ...local,
        ...staff,
        COGNITO_STAFF_ENDPOINT: 'http://127.0.0.1:9229',
        COGNITO_STAFF_USER_POOL_ID: 'local_two',
      }),
    ).toEqual([]);
  });

  it("refuses a pool's http endpoint or JWKS address in production, as the default pool's", () => {
    expect(
      problemsOf({
        ...valid,
        ...staff,
        NODE_ENV: 'production',
        COGNITO_STAFF_USER_POOL_ID: 'local_staff1',
        COGNITO_STAFF_ENDPOINT: 'http://127.0.0.1:9229',
        COGNITO_STAFF_JWKS_URL: 'http://keys.internal/jwks.json',
      }),
    ).toEqual([
      expect.stringMatching(/COGNITO_STAFF_ENDPOINT must use https/),
      expect.stringMatching(/COGNITO_STAFF_ENDPOINT must be https in production/),
      expect.stringMatching(/COGNITO_STAFF_JWKS_URL must use https/),
    ]);
  });

  it('keeps admins to their own pool with ADMIN_OWN_POOL_ONLY=true, off by default', () => {
    expect(loadConfig(valid).adminOwnPoolOnly).toBe(false);
    expect(loadConfig({ ...valid, ADMIN_OWN_POOL_ONLY: 'true' }).adminOwnPoolOnly).toBe(true);
    expect(loadConfig({ ...valid, ADMIN_OWN_POOL_ONLY: 'false' }).adminOwnPoolOnly).toBe(false);
    expect(problemsOf({ ...valid, ADMIN_OWN_POOL_ONLY: 'yes' })).toEqual(['ADMIN_OWN_POOL_ONLY must be true or false (got "yes")']);
  });
});
