import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The process's metrics. Module-level on purpose: the parts that count (the exception filter, the
 * JWKS fetcher, the GetUser client, the database logger) call a function here instead of having a
 * service injected, and counting costs nothing more than an increment whether or not anyone scrapes.
 */
export const registry = new Registry();

const httpRequests = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP requests by route pattern, method and status, and how long they took (its _count is the number of requests)',
  labelNames: ['route', 'method', 'status'] as const,
  buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [registry],
});

const tokenRefusals = new Counter({
  name: 'auth_token_refusals_total',
  help: 'Requests refused with a 401, by error code (token_missing, token_expired, token_invalid...)',
  labelNames: ['code'] as const,
  registers: [registry],
});

const jwksFetches = new Counter({
  name: 'jwks_fetches_total',
  help: "Fetches of a user pool's JWKS, by pool (its name: default, or one of COGNITO_POOLS) and outcome (success, failure)",
  labelNames: ['pool', 'outcome'] as const,
  registers: [registry],
});

/** Each pool's last successful JWKS fetch (epoch ms). */
const keysFetchedAt = new Map<string, number>();
new Gauge({
  name: 'jwks_keys_age_seconds',
  help: "Seconds since a pool's signing keys were last fetched successfully, by pool (absent before its first success)",
  labelNames: ['pool'] as const,
  registers: [registry],
  collect() {
    this.reset();
    for (const [pool, at] of keysFetchedAt) this.set({ pool }, (Date.now() - at) / 1000);
  },
});

const getUserCalls = new Counter({
  name: 'cognito_get_user_calls_total',
  help: 'Cognito GetUser calls (profile fills of new users), by outcome (success, failure)',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

const queryFailures = new Counter({
  name: 'db_query_failures_total',
  help: 'Database queries that failed (refused data, lost connections, timeouts)',
  registers: [registry],
});

const missedNotifications = new Counter({
  name: 'db_notifications_missed_total',
  help:
    "The instance's own notifications, sent through DATABASE_URL, that did not come back on its LISTEN connection " +
    '(a transaction-mode pooler in the way: set DATABASE_LISTEN_URL)',
  registers: [registry],
});

const pools = new Set<Pool>();
new Gauge({
  name: 'db_pool_connections',
  help: 'Connections of the database pool: total open, idle, and requests waiting for one',
  labelNames: ['state'] as const,
  registers: [registry],
  collect() {
    let total = 0;
    let idle = 0;
    let waiting = 0;
    for (const pool of pools) {
      total += pool.totalCount;
      idle += pool.idleCount;
      waiting += pool.waitingCount;
    }
    this.set({ state: 'total' }, total);
    this.set({ state: 'idle' }, idle);
    this.set({ state: 'waiting' }, waiting);
  },
});

let processMetrics = false;
/** Node's default process metrics (CPU, memory, event loop lag, GC); only once a listener serves them. */
export function enableProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

/**
 * An onResponse hook: one histogram observation per request. The route is the registered pattern
 * (`/api/v1/admin/users/:id`), never the raw URL, so the number of series stays bounded.
 */
export function observeRequest(request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void {
  httpRequests.observe(
    { route: request.routeOptions.url ?? 'unmatched', method: request.method, status: reply.statusCode },
    reply.elapsedTime / 1000,
  );
  done();
}

export function countTokenRefusal(code: string): void {
  tokenRefusals.inc({ code });
}

/** Counts a pool's JWKS fetch by its outcome and hands its result on. */
export function countJwksFetch<T>(pool: string, fetch: Promise<T>): Promise<T> {
  return fetch.then(
    (result) => {
      jwksFetches.inc({ pool, outcome: 'success' });
      keysFetchedAt.set(pool, Date.now());
      return result;
    },
    (error: unknown) => {
      jwksFetches.inc({ pool, outcome: 'failure' });
      throw error;
    },
  );
}

const tokenRechecks = new Counter({
  name: 'token_rechecks_total',
  help: "Background rechecks of a sign-in session with the pool's GetUser, by outcome (valid, revoked, disabled, failed, not_checkable)",
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export type RecheckOutcome = 'valid' | 'revoked' | 'disabled' | 'failed' | 'not_checkable';

export function countTokenRecheck(outcome: RecheckOutcome): void {
  tokenRechecks.inc({ outcome });
}

/** Counts a GetUser call by its outcome and hands its result on. */
export function countGetUser<T>(call: Promise<T>): Promise<T> {
  return call.then(
    (result) => {
      getUserCalls.inc({ outcome: 'success' });
      return result;
    },
    (error: unknown) => {
      getUserCalls.inc({ outcome: 'failure' });
      throw error;
    },
  );
}

export function countQueryFailure(): void {
  queryFailures.inc();
}

export function countMissedNotification(): void {
  missedNotifications.inc();
}

/** Reports a database pool's usage until the returned function is called (at shutdown). */
export function watchPool(pool: Pool): () => void {
  pools.add(pool);
  return () => pools.delete(pool);
}
