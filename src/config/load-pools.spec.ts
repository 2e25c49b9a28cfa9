import { ConfigError, loadConfig } from './load-config.js';
import { loadPools, poolVariable } from './load-pools.js';
import { UserPools } from './user-pools.js';

const valid = {
  DATABASE_URL: 'postgres://app:secret@db.internal:5432/app',
  COGNITO_REGION: 'us-west-2',
  COGNITO_USER_POOL_ID: 'us-west-2_AbCdEf123',
  COGNITO_CLIENT_IDS: 'client-a',
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
    expect(sut.cognito).toMatchObject({ name: 'default', userPoolId: 'us-west-2_AbCdEf123', clientIds: ['client-a'] });
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
