import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { loadConfig } from '../../src/config/load-config.js';
import { UserPools } from '../../src/config/user-pools.js';
import { CognitoJwtStrategy } from '../../src/auth/cognito-jwt.strategy.js';
import { PoolKeys } from '../../src/auth/pool-keys.js';

/**
 * A user pool for unit specs: real RSA keys (node:crypto), access tokens really signed as Cognito
 * signs them, and the real strategy verifying them with keys loaded through a fake JWKS endpoint.
 */
export const REGION = 'us-west-2';
export const POOL_ID = 'us-west-2_AbCdEf123';
export const ORIGINAL = `https://cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const UPDATED = `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL_ID}`;
export const REPLICA = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL_ID}`;
export const SKEW_SECONDS = 30;

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newKey(kid: string): SigningKey {
  return { kid, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) };
}

// Generated once: a 2048-bit key pair takes a while on a busy machine.
export const published = newKey('pool-key-1');
export const stranger = newKey('stranger');

/** A second pool, `staff`, in another region with keys of its own (see strategyFor's `publishes`). */
export const STAFF_POOL_ID = 'eu-west-1_Staff1';
export const STAFF_ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${STAFF_POOL_ID}`;
export const STAFF_ENV = {
  COGNITO_POOLS: 'staff',
  COGNITO_STAFF_REGION: 'eu-west-1',
  COGNITO_STAFF_USER_POOL_ID: STAFF_POOL_ID,
  COGNITO_STAFF_CLIENT_IDS: 'staff-client',
  COGNITO_STAFF_ADMIN_GROUPS: 'staff-admins',
};
export const staffKey = newKey('staff-key-1');
export const now = () => Math.floor(Date.now() / 1000);

/** An access token as Cognito issues one, really signed; `claims` replace or (undefined) remove claims. */
export function mint(claims: Record<string, unknown> = {}, options: { key?: SigningKey; kid?: string | null } = {}): string {
  const key = options.key ?? published;
  const payload = Object.fromEntries(
    Object.entries({
      sub: 'c0ffee00-0000-4000-8000-000000000001',
      iss: ORIGINAL,
      client_id: 'client-a',
      token_use: 'access',
      scope: 'aws.cognito.signin.user.admin',
      auth_time: now(),
      iat: now(),
      exp: now() + 3600,
      jti: 'a1b2c3',
      username: 'alice',
      'cognito:groups': ['admin'],
      ...claims,
    }).filter(([, value]) => value !== undefined),
  );
  const kid = options.kid === undefined ? key.kid : options.kid;
  return jwt.sign(payload, key.privateKey, { algorithm: 'RS256', ...(kid !== null && { keyid: kid }) });
}

/** A token whose header and signature are written by hand (for algorithms jsonwebtoken will not sign with). */
export function handMade(header: Record<string, unknown>, payload: Record<string, unknown>, sign: (input: string) => string): string {
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign(input)}`;
}

export const claimsOf = (token: string) => jwt.decode(token) as Record<string, unknown>;

/**
 * The strategy of a pool publishing `published` (and of any further pool `env` configures, each
 * publishing `published` too, unless `publishes` names other keys for it), with keys loaded through
 * a fake JWKS endpoint. `fetches` counts each pool's fetches (by JWKS address).
 */
export async function strategyFor(
  env: Record<string, string> = {},
  publishes: Record<string, SigningKey[]> = {},
): Promise<{ sut: CognitoJwtStrategy; fetches: () => number; fetchedUris: () => string[] }> {
  const config = loadConfig({
    DATABASE_URL: 'postgres://app@127.0.0.1:5432/app',
    COGNITO_REGION: REGION,
    COGNITO_USER_POOL_ID: POOL_ID,
    COGNITO_CLIENT_IDS: 'client-a,client-b',
    COGNITO_REPLICA_REGIONS: 'eu-west-1',
    JWT_CLOCK_SKEW_SECONDS: String(SKEW_SECONDS),
    ...env,
  });
  const fetched: string[] = [];
  const pools = new UserPools(config);
  const keys = new PoolKeys(config, (uri) => {
    fetched.push(uri);
    const pool = pools.all.find((each) => each.jwksUri === uri);
    const keysOf = publishes[pool?.name ?? ''] ?? [published];
    return Promise.resolve({
      keys: keysOf.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: 'RS256', use: 'sig' })),
    });
  });
  for (const [, provider] of keys.entries()) await provider.refresh();
  return { sut: new CognitoJwtStrategy(config, keys, pools), fetches: () => fetched.length, fetchedUris: () => [...fetched] };
}
