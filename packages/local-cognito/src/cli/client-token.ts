import { trimSlash, type Env } from './cli-errors.js';
import { getClientToken, LocalPoolError } from '../../testing/local-pool.mjs';
import { SignInError } from './cognito-sign-in.js';

/** What `npm run token -- --client service --json` prints. */
export interface IssuedClientToken {
  client: string;
  tokenType: 'Bearer';
  expiresIn: number;
  expiresAt: string;
  scope: string;
  accessToken: string;
}

const REQUEST_TIMEOUT_MS = 10_000;

/**
 * A machine token through the client-credentials grant: from the local pool's `service` client
 * (stack file; `pool` picks one of its pools) without COGNITO_USER_POOL_ID, else from
 * <COGNITO_DOMAIN>/oauth2/token with COGNITO_SERVICE_CLIENT_ID and COGNITO_SERVICE_CLIENT_SECRET.
 */
export async function clientToken(
  client: string,
  scope: string | undefined,
  env: Env = process.env,
  pool?: string,
): Promise<IssuedClientToken> {
  if (!env.COGNITO_USER_POOL_ID?.trim()) {
    if (client !== 'service') throw new SignInError(`The local pool has one machine client, "service" (got "${client}").`);
    try {
      const token = await getClientToken({ stackFile: env.LOCAL_STACK_FILE?.trim() || undefined, scope, pool });
      return { client, ...token };
    } catch (error) {
      if (error instanceof LocalPoolError && error.code === 'invalid_scope')
        throw new SignInError(`The service client may not ask for the scope "${scope}".`);
      throw error instanceof LocalPoolError ? new SignInError(error.message) : error;
    }
  }

  if (pool !== undefined)
    throw new SignInError("--pool picks one of the local stack's pools; with COGNITO_USER_POOL_ID set, that pool is the one asked.");
  const domain = env.COGNITO_DOMAIN?.trim();
  const clientId = env.COGNITO_SERVICE_CLIENT_ID?.trim();
  const clientSecret = env.COGNITO_SERVICE_CLIENT_SECRET;
  const missing = [
    !domain && 'COGNITO_DOMAIN (the pool domain, e.g. https://<prefix>.auth.<region>.amazoncognito.com)',
    !clientId && 'COGNITO_SERVICE_CLIENT_ID (an app client with a secret and the client-credentials grant)',
    !clientSecret && 'COGNITO_SERVICE_CLIENT_SECRET',
  ].filter(Boolean);
  if (missing.length > 0) throw new SignInError(`A machine token from the pool ${env.COGNITO_USER_POOL_ID} needs ${missing.join(', ')}.`);

  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (scope) form.set('scope', scope);
  const url = `${trimSlash(domain!)}/oauth2/token`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`${encodeURIComponent(clientId!)}:${encodeURIComponent(clientSecret!)}`).toString('base64')}`,
      },
      body: form,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw new SignInError(`${url} is not reachable (${(error as Error).message}): check COGNITO_DOMAIN.`);
  }
  const json = (await response.json().catch(() => ({}))) as { access_token?: string; expires_in?: number; error?: string };
  if (!response.ok || !json.access_token) {
    const hints: Record<string, string> = {
      invalid_client: 'check COGNITO_SERVICE_CLIENT_ID and COGNITO_SERVICE_CLIENT_SECRET',
      unauthorized_client: 'enable the client credentials grant on that app client',
      invalid_scope: 'the app client is not allowed that scope (or has no custom scope)',
    };
    const error = json.error ?? `HTTP ${response.status}`;
    throw new SignInError(`The token endpoint refused: ${error}${hints[error] ? ` (${hints[error]})` : ''}.`);
  }
  const claims = JSON.parse(Buffer.from(json.access_token.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    exp?: number;
    scope?: string;
  };
  const expiresIn = json.expires_in ?? 3600;
  return {
    client,
    tokenType: 'Bearer',
    expiresIn,
    expiresAt: new Date((claims.exp ?? Math.floor(Date.now() / 1000) + expiresIn) * 1000).toISOString(),
    scope: claims.scope ?? '',
    accessToken: json.access_token,
  };
}
