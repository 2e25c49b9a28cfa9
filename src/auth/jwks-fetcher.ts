import { requestText } from '../common/http-text.js';

/** Fetches a pool's JWKS document; the provider's only way out (unit specs give a fake one). */
export type JwksFetcher = (uri: string, timeoutMs: number) => Promise<{ keys: unknown[] }>;

/** Largest JWKS response accepted; a pool publishes a handful of keys, a few KB. */
export const JWKS_MAX_BYTES = 64 * 1024;

/**
 * Fetches a JWKS document with a hard timeout and a response-size cap, which jwks-rsa's own
 * request helper lacks (no size limit, 30 s timeout). A redirect is refused like any other non-200.
 */
export async function fetchJwks(uri: string, timeoutMs: number, maxBytes = JWKS_MAX_BYTES): Promise<{ keys: unknown[] }> {
  // A fetch every few minutes gains nothing from a kept-alive connection, and would leave one open.
  const answer = await requestText(new URL(uri), {
    method: 'GET',
    headers: { accept: 'application/json' },
    timeoutMs,
    maxBytes,
    agent: false,
  });
  if (answer.status !== 200) throw new Error(`JWKS endpoint answered HTTP ${answer.status}`);
  const document: unknown = JSON.parse(answer.text);
  if (!document || typeof document !== 'object' || !Array.isArray((document as { keys?: unknown }).keys)) {
    throw new Error('JWKS response has no "keys" array');
  }
  return document as { keys: unknown[] };
}
