import { claimsOf, signToken } from './signing-key.js';

/** RFC 8707's `resource`: absent, one absolute URI without a fragment, or refused with `invalid_target`. */
export type ResourceCheck = { ok: true; resource?: string } | { ok: false; description: string };

export function resourceOf(params: URLSearchParams): ResourceCheck {
  const values = params.getAll('resource').filter(Boolean);
  if (values.length === 0) return { ok: true };
  if (values.length > 1) return { ok: false, description: 'The local pool takes one resource per request.' };
  const [value] = values;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { ok: false, description: 'resource must be an absolute URI (RFC 8707).' };
  }
  if (url.hash || value.includes('#')) return { ok: false, description: 'resource must not have a fragment (RFC 8707).' };
  return { ok: true, resource: value };
}

/** An access token of this pool, re-signed with the resource as its audience. */
export function withAudience(accessToken: string, resource: string): string {
  return signToken({ ...claimsOf(accessToken), aud: resource });
}
