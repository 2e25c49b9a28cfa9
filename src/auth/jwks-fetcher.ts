/** Largest JWKS response accepted; a pool publishes a handful of keys, a few KB. */
export const JWKS_MAX_BYTES = 64 * 1024;

/**
 * Fetches a JWKS document with a hard timeout and a response-size cap, which jwks-rsa's own
 * request helper lacks (no size limit, 30 s timeout).
 */
export async function fetchJwks(uri: string, timeoutMs: number, maxBytes = JWKS_MAX_BYTES): Promise<{ keys: unknown[] }> {
  const signal = AbortSignal.timeout(timeoutMs);
  const response = await fetch(uri, { signal, headers: { accept: 'application/json' }, redirect: 'error' });
  if (!response.ok || !response.body) {
    throw new Error(`JWKS endpoint answered HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get('content-length'));
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new Error(`JWKS response of ${declared} bytes exceeds the ${maxBytes}-byte cap`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Leaving the loop early (the cap) cancels the download.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > maxBytes) throw new Error(`JWKS response exceeds the ${maxBytes}-byte cap`);
    chunks.push(chunk);
  }
  const document: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  if (!document || typeof document !== 'object' || !Array.isArray((document as { keys?: unknown }).keys)) {
    throw new Error('JWKS response has no "keys" array');
  }
  return document as { keys: unknown[] };
}
