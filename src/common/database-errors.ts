/** pg / Node error codes that mean "the database is not reachable", as opposed to a bad query. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001',
  '08003',
  '08006',
  '53300', // too_many_connections
]);

/** SQLSTATE class 08, connection exception: PgBouncer reports its own failures (server down, query_wait_timeout) as 08P01. */
const CONNECTION_EXCEPTION = /^08[0-9A-Z]{3}$/;

const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Query read timeout',
  'Client has encountered a connection error',
  'Connection is not established',
  'Client was closed and is not queryable',
];

/** Duck-typed, not `instanceof Error`: errors of Node's own modules may come from another realm (as under Jest). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let cause = error;
  for (let depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth++) {
    const {
      code,
      message,
      driverError,
      cause: next,
    } = cause as { code?: unknown; message?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.has(code) || CONNECTION_EXCEPTION.test(code))) return true;
    if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((text) => message.includes(text))) return true;
    if (Array.isArray((cause as { errors?: unknown }).errors)) {
      // An AggregateError: every address of the host refused (happy eyeballs, "localhost" on IPv4 and IPv6).
      return (cause as { errors: unknown[] }).errors.some(isDatabaseUnavailable);
    }
    cause = driverError ?? next;
  }
  return false;
}

/**
 * PostgreSQL refused the data itself, not the query: SQLSTATE class 22 (data exception: a NUL in
 * text, a value too long, a bad number or date) or 23502 (null in a NOT NULL column). Input that
 * slipped past validation; the client's fault, never ours.
 */
export function isInvalidData(error: unknown): boolean {
  let cause = error;
  for (let depth = 0; typeof cause === 'object' && cause !== null && depth < 5; depth++) {
    const { code, driverError, cause: next } = cause as { code?: unknown; driverError?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && (code.startsWith('22') || code === '23502')) return true;
    cause = driverError ?? next;
  }
  return false;
}
