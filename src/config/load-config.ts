import { AppConfig } from './app-config.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function list(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** AWS region names: us-east-1, ap-southeast-2, us-gov-west-1, eu-central-2... */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * The issuers of a pool, exactly: with COGNITO_ENDPOINT only `<endpoint>/<poolId>`; otherwise the
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

export function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** Validates the environment once and reports every bad or missing variable in one error. */
export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === 'production';

  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const required = (name: string, hint: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is required: ${hint}`);
    return value ?? '';
  };
  const url = (name: string, value: string | undefined, protocols: string[]): string | undefined => {
    if (!value) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got "${value}")`);
      }
    } catch {
      problems.push(`${name} is not a valid URL (got "${value}")`);
    }
    return trimSlash(value);
  };

  const port = integer('PORT', 8000, 0, 65535);
  const host = env.HOST?.trim() || (production ? '0.0.0.0' : '127.0.0.1');

  const databaseUrl = required(
    'DATABASE_URL',
    production
      ? 'production never uses the embedded database; set postgres://user:password@host:5432/db'
      : 'postgres://user:password@host:5432/db (npm start provides an embedded one when it is absent)',
  );
  if (databaseUrl) url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  // LISTEN needs a session of its own: past a transaction-mode pooler, straight to PostgreSQL.
  const databaseListenUrl = url('DATABASE_LISTEN_URL', env.DATABASE_LISTEN_URL?.trim(), ['postgres:', 'postgresql:']);

  const region = required('COGNITO_REGION', 'the AWS region of the user pool, e.g. us-west-2');
  const userPoolId = required('COGNITO_USER_POOL_ID', 'the user pool id, e.g. us-west-2_AbCdEf123');
  if (userPoolId && !/^[\w-]+_[0-9a-zA-Z]+$/.test(userPoolId)) {
    problems.push(`COGNITO_USER_POOL_ID must look like <region>_<id> (got "${userPoolId}")`);
  }
  const clientIds = list(env.COGNITO_CLIENT_IDS);
  if (clientIds.length === 0) {
    problems.push('COGNITO_CLIENT_IDS is required: comma-separated app client ids whose access tokens are accepted');
  }

  const endpoint = url('COGNITO_ENDPOINT', env.COGNITO_ENDPOINT?.trim(), production ? ['https:'] : ['https:', 'http:']);
  if (production && endpoint?.startsWith('http:')) {
    problems.push('COGNITO_ENDPOINT must be https in production: the local emulator must never be trusted there');
  }
  if (!endpoint && region && userPoolId && !userPoolId.startsWith(`${region}_`)) {
    problems.push(`COGNITO_USER_POOL_ID "${userPoolId}" does not belong to COGNITO_REGION "${region}"`);
  }
  if (region && !endpoint && !REGION.test(region))
    problems.push(`COGNITO_REGION must be an AWS region name such as us-west-2 (got "${region}")`);
  const replicaRegions = list(env.COGNITO_REPLICA_REGIONS);
  for (const replica of replicaRegions) {
    if (!REGION.test(replica))
      problems.push(`COGNITO_REPLICA_REGIONS lists "${replica}", which is not an AWS region name such as eu-west-1`);
    else if (replica === region) problems.push(`COGNITO_REPLICA_REGIONS lists the primary region ${region}; list only replica regions`);
  }
  if (endpoint && replicaRegions.length > 0) {
    problems.push('COGNITO_REPLICA_REGIONS cannot be used with COGNITO_ENDPOINT: the emulator has one issuer');
  }
  const base = endpoint ?? `https://cognito-idp.${region}.amazonaws.com`;
  const issuers = issuersOf(region, userPoolId, replicaRegions, endpoint);
  const issuer = issuers[0];
  const jwksUrl = url('COGNITO_JWKS_URL', env.COGNITO_JWKS_URL?.trim(), production ? ['https:'] : ['https:', 'http:']);
  const resourceServer = env.COGNITO_RESOURCE_SERVER?.trim() || 'backend';
  if (!/^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/.test(resourceServer)) {
    problems.push(`COGNITO_RESOURCE_SERVER must be a resource server identifier without spaces or quotes (got "${resourceServer}")`);
  }

  const audience = env.COGNITO_AUDIENCE?.trim() || undefined;
  if (audience !== undefined && !isAbsoluteUri(audience)) {
    problems.push(`COGNITO_AUDIENCE must be an absolute URI without a fragment, such as https://api.example.com (got "${audience}")`);
  }

  const adminGroups = env.COGNITO_ADMIN_GROUPS === undefined ? ['admin'] : list(env.COGNITO_ADMIN_GROUPS);
  if (adminGroups.length === 0) problems.push('COGNITO_ADMIN_GROUPS must name at least one group');

  const domain = url('COGNITO_DOMAIN', env.COGNITO_DOMAIN?.trim(), production ? ['https:'] : ['https:', 'http:']);
  const webClientId = env.COGNITO_WEB_CLIENT_ID?.trim() || undefined;
  if (Boolean(domain) !== Boolean(webClientId)) {
    problems.push('COGNITO_DOMAIN and COGNITO_WEB_CLIENT_ID are set together (the /admin sign-in needs both)');
  }
  if (webClientId && clientIds.length > 0 && !clientIds.includes(webClientId)) {
    problems.push(
      "COGNITO_WEB_CLIENT_ID must also be listed in COGNITO_CLIENT_IDS: the /admin page calls the API with that client's tokens",
    );
  }

  const clockSkewSeconds = integer('JWT_CLOCK_SKEW_SECONDS', 30, 0, 60);
  const jwksCooldownMs = integer('JWKS_COOLDOWN_SECONDS', 10, 1, 3600) * 1000;
  const jwksRefreshMs = integer('JWKS_REFRESH_SECONDS', 600, 5, 86400) * 1000;
  const jwksTimeoutMs = integer('JWKS_TIMEOUT_MS', 3000, 100, 30000);

  const profileRetryMs = integer('PROFILE_RETRY_SECONDS', 60, 1, 86400) * 1000;
  const tokenRecheckMs = integer('TOKEN_RECHECK_SECONDS', 300, 0, 86400) * 1000;
  const userCache = {
    ttlMs: integer('USER_CACHE_SECONDS', 300, 0, 86400) * 1000,
    fallbackMs: integer('USER_CACHE_FALLBACK_SECONDS', 2, 0, 3600) * 1000,
  };
  const shutdownTimeoutMs = integer('SHUTDOWN_TIMEOUT_SECONDS', 20, 1, 600) * 1000;
  const shutdownDrainMs = integer('SHUTDOWN_DRAIN_SECONDS', 0, 0, 600) * 1000;

  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  const logFormat = env.LOG_FORMAT?.trim() || 'json';
  if (!['json', 'pretty'].includes(logFormat)) problems.push(`LOG_FORMAT must be json or pretty (got "${logFormat}")`);

  const metricsPort = env.METRICS_PORT?.trim() ? integer('METRICS_PORT', 0, 0, 65535) : undefined;
  const metrics = metricsPort === undefined ? undefined : { port: metricsPort, host: env.METRICS_HOST?.trim() || '127.0.0.1' };
  if (metrics && metricsPort === port && port !== 0) problems.push(`METRICS_PORT must differ from PORT (both ${port})`);

  const corsOrigins = list(env.CORS_ORIGINS);
  for (const origin of corsOrigins) {
    const normalised = url('CORS_ORIGINS', origin, ['http:', 'https:']);
    if (normalised && new URL(origin).origin !== normalised) {
      problems.push(`CORS_ORIGINS entries are exact origins like https://app.example.com (got "${origin}")`);
    }
  }

  if (problems.length > 0) throw new ConfigError(problems);

  return new AppConfig({
    production,
    host,
    port,
    databaseUrl,
    databaseListenUrl: databaseListenUrl ?? databaseUrl,
    cognito: {
      region,
      userPoolId,
      clientIds,
      endpoint: base,
      issuer,
      issuers,
      replicaRegions,
      // Every issuer form is signed by the same keys, published under the primary issuer.
      jwksUri: jwksUrl ?? `${issuer}/.well-known/jwks.json`,
      resourceServer,
      adminGroups,
      audience,
      domain,
      webClientId,
    },
    tokens: { clockSkewSeconds, jwksCooldownMs, jwksRefreshMs, jwksTimeoutMs },
    logLevel,
    prettyLogs: logFormat === 'pretty',
    corsOrigins,
    profileRetryMs,
    tokenRecheckMs,
    userCache,
    shutdownTimeoutMs,
    shutdownDrainMs,
    metrics,
  });
}
