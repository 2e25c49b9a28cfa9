import { call } from './http.js';

/** HTTP Basic client authentication, what `curl -u id:secret` sends. */
export const basicAuth = (id: string, secret: string): string => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

/** POST <pool>/oauth2/token as a service calls it, with plain HTTP and a form body. */
export function tokenRequest(endpoint: string, form: Record<string, string>, authorization?: string) {
  return call<Record<string, unknown>>(`${endpoint}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(authorization ? { authorization } : {}) },
    body: new URLSearchParams(form).toString(),
  });
}
