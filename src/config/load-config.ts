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
  const base = endpoint ?? `https://cognito-idp.${region}.amazonaws.com`;
  const issuer = `${base}/${userPoolId}`;

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
  const shutdownTimeoutMs = integer('SHUTDOWN_TIMEOUT_SECONDS', 20, 1, 600) * 1000;

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
    cognito: {
      region,
      userPoolId,
      clientIds,
      endpoint: base,
      issuer,
      jwksUri: `${issuer}/.well-known/jwks.json`,
      adminGroups,
      domain,
      webClientId,
    },
    tokens: { clockSkewSeconds, jwksCooldownMs, jwksRefreshMs, jwksTimeoutMs },
    logLevel,
    prettyLogs: logFormat === 'pretty',
    corsOrigins,
    profileRetryMs,
    shutdownTimeoutMs,
    metrics,
  });
}
