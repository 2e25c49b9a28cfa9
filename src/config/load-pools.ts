import type { CognitoSettings } from './app-config.js';

export type Env = Record<string, string | undefined>;

/** The pool of COGNITO_REGION and COGNITO_USER_POOL_ID, which exists in every configuration. */
export const DEFAULT_POOL = 'default';

/** A pool's name: part of its variables' names (COGNITO_<NAME>_REGION) and stored with each of its people. */
export const POOL_NAME = /^[a-z0-9]{1,32}$/;

/** AWS region names: us-east-1, ap-southeast-2, us-gov-west-1, eu-central-2... */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

export function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** What loadConfig lends the pools' reading: its list of problems and its checks, so that one error names them all. */
export interface ConfigChecks {
  problems: string[];
  production: boolean;
  required(name: string, hint: string): string;
  url(name: string, value: string | undefined, protocols: string[]): string | undefined;
}

/** A setting's variable: `COGNITO_REGION` for the default pool, `COGNITO_STAFF_REGION` for the pool `staff`. */
export function poolVariable(pool: string, setting: string): string {
  return pool === DEFAULT_POOL ? `COGNITO_${setting}` : `COGNITO_${pool.toUpperCase()}_${setting}`;
}

/**
 * The issuers of a pool, exactly: with an endpoint only `<endpoint>/<poolId>`; otherwise the
 * ORIGINAL issuer of the primary region, its UPDATED issuer (which AWS never uses for replicas),
 * and the ORIGINAL issuer of each replica region.
 */
export function issuersOf(region: string, userPoolId: string, replicaRegions: string[], endpoint?: string): string[] {
  if (endpoint) return [`${endpoint}/${userPoolId}`];
  return [
    `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    `https://issuer-cognito-idp.${region}.amazonaws.com/${userPoolId}`,
    ...replicaRegions.map((replica) => `https://cognito-idp.${replica}.amazonaws.com/${userPoolId}`),
  ];
}

/** RFC 8707: a resource indicator is an absolute URI (a scheme, no fragment), compared as written. */
function isAbsoluteUri(value: string): boolean {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$/.test(value) || value.includes('#')) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** One pool's settings, from its variables (today's COGNITO_* for the default pool, COGNITO_<NAME>_* for the others). */
function loadPool(env: Env, name: string, checks: ConfigChecks): CognitoSettings {
  const { problems, production } = checks;
  const variable = (setting: string) => poolVariable(name, setting);
  const text = (setting: string) => env[variable(setting)]?.trim();
  const REGION_VAR = variable('REGION');
  const POOL_ID_VAR = variable('USER_POOL_ID');
  const CLIENT_IDS_VAR = variable('CLIENT_IDS');
  const ENDPOINT_VAR = variable('ENDPOINT');
  const REPLICAS_VAR = variable('REPLICA_REGIONS');

  const region = checks.required(REGION_VAR, 'the AWS region of the user pool, e.g. us-west-2');
  const userPoolId = checks.required(POOL_ID_VAR, 'the user pool id, e.g. us-west-2_AbCdEf123');
  if (userPoolId && !/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    problems.push(`${POOL_ID_VAR} must look like <region>_<id> (got "${userPoolId}")`);
  }
  const clientIds = list(env[CLIENT_IDS_VAR]);
  if (clientIds.length === 0) {
    problems.push(`${CLIENT_IDS_VAR} is required: comma-separated app client ids whose access tokens are accepted`);
  }

  const endpoint = checks.url(ENDPOINT_VAR, text('ENDPOINT'), production ? ['https:'] : ['https:', 'http:']);
  if (production && endpoint?.startsWith('http:')) {
    problems.push(`${ENDPOINT_VAR} must be https in production: the local emulator must never be trusted there`);
  }
  if (!endpoint && region && userPoolId && !userPoolId.startsWith(`${region}_`)) {
    problems.push(`${POOL_ID_VAR} "${userPoolId}" does not belong to ${REGION_VAR} "${region}"`);
  }
  if (region && !endpoint && !REGION.test(region))
    problems.push(`${REGION_VAR} must be an AWS region name such as us-west-2 (got "${region}")`);
  const replicaRegions = list(env[REPLICAS_VAR]);
  for (const replica of replicaRegions) {
    if (!REGION.test(replica)) problems.push(`${REPLICAS_VAR} lists "${replica}", which is not an AWS region name such as eu-west-1`);
    else if (replica === region) problems.push(`${REPLICAS_VAR} lists the primary region ${region}; list only replica regions`);
  }
  if (endpoint && replicaRegions.length > 0) {
    problems.push(`${REPLICAS_VAR} cannot be used with ${ENDPOINT_VAR}: the emulator has one issuer`);
  }
  const issuers = issuersOf(region, userPoolId, replicaRegions, endpoint);
  const issuer = issuers[0];
  const jwksUrl = checks.url(variable('JWKS_URL'), text('JWKS_URL'), production ? ['https:'] : ['https:', 'http:']);
  const resourceServer = text('RESOURCE_SERVER') || 'backend';
  if (!/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/.test(resourceServer)) {
    problems.push(`${variable('RESOURCE_SERVER')} must be a resource server identifier without spaces or quotes (got "${resourceServer}")`);
  }

  const audience = text('AUDIENCE') || undefined;
  if (audience !== undefined && !isAbsoluteUri(audience)) {
    problems.push(
      `${variable('AUDIENCE')} must be an absolute URI without a fragment, such as https://api.example.com (got "${audience}")`,
    );
  }

  const adminGroups = env[variable('ADMIN_GROUPS')] === undefined ? ['admin'] : list(env[variable('ADMIN_GROUPS')]);
  if (adminGroups.length === 0) problems.push(`${variable('ADMIN_GROUPS')} must name at least one group`);

  return {
    name,
    region,
    userPoolId,
    clientIds,
    endpoint: endpoint ?? `https://cognito-idp.${region}.amazonaws.com`,
    issuer,
    issuers,
    replicaRegions,
    // Every issuer form is signed by the same keys, published under the primary issuer.
    jwksUri: jwksUrl ?? `${issuer}/.well-known/jwks.json`,
    resourceServer,
    adminGroups,
    audience,
  };
}

/**
 * Every pool: the default one (today's COGNITO_* variables), then each pool COGNITO_POOLS names, read
 * from its COGNITO_<NAME>_* variables with the same rules. A token's exact `iss` picks its pool, so
 * two pools sharing an issuer are refused.
 */
export function loadPools(env: Env, checks: ConfigChecks): CognitoSettings[] {
  const { problems } = checks;
  const names: string[] = [];
  for (const name of list(env.COGNITO_POOLS)) {
    if (!POOL_NAME.test(name)) {
      problems.push(`COGNITO_POOLS lists "${name}", which is not a pool name: lowercase letters and digits, at most 32`);
    } else if (name === DEFAULT_POOL) {
      problems.push('COGNITO_POOLS lists "default", the pool of COGNITO_REGION and COGNITO_USER_POOL_ID; list only further pools');
    } else if (names.includes(name)) {
      problems.push(`COGNITO_POOLS lists "${name}" twice`);
    } else names.push(name);
  }
  const pools = [DEFAULT_POOL, ...names].map((name) => loadPool(env, name, checks));

  const owners = new Map<string, string>();
  for (const pool of pools) {
    if (!pool.userPoolId || !pool.region) continue;
    for (const issuer of pool.issuers) {
      const owner = owners.get(issuer);
      if (owner === pool.name) continue;
      if (owner) problems.push(`The pools ${owner} and ${pool.name} have the same issuer ${issuer}: a token could not tell them apart`);
      else owners.set(issuer, pool.name);
    }
  }
  return pools;
}
