import { AppConfig } from './app-config.js';
import { list, loadPools, type Env } from './load-pools.js';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}\nSee .env.example for every variable.`);
    this.name = 'ConfigError';
  }
}

export type { Env };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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

  const pools = loadPools(env, { problems, production, required, url });
  const [cognito] = pools;
  const adminOwnPoolOnly = env.ADMIN_OWN_POOL_ONLY?.trim() || 'false';
  if (!['true', 'false'].includes(adminOwnPoolOnly)) problems.push(`ADMIN_OWN_POOL_ONLY must be true or false (got "${adminOwnPoolOnly}")`);

  const domain = url('COGNITO_DOMAIN', env.COGNITO_DOMAIN?.trim(), production ? ['https:'] : ['https:', 'http:']);
  const webClientId = env.COGNITO_WEB_CLIENT_ID?.trim() || undefined;
  if (Boolean(domain) !== Boolean(webClientId)) {
    problems.push('COGNITO_DOMAIN and COGNITO_WEB_CLIENT_ID are set together (the /admin sign-in needs both)');
  }
  if (webClientId && cognito.clientIds.length > 0 && !cognito.clientIds.includes(webClientId)) {
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
    // The /admin page signs in with the default pool's Hosted UI.
    cognito: Object.assign(cognito, { domain, webClientId }),
    pools,
    adminOwnPoolOnly: adminOwnPoolOnly === 'true',
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
