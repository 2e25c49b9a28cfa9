import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { EmulatorClient, EmulatorState } from './emulator-state.js';
import { applyOverrides, type PreTokenHook, PreTokenHookError, preTokenEvent } from './pre-token-hook.js';
import { resourceOf } from './resource-indicator.js';
import { signToken } from './signing-key.js';

export interface TokenEndpointAnswer {
  status: number;
  body: Record<string, unknown>;
}

const SECONDS = { seconds: 1, minutes: 60, hours: 3600, days: 86400 } as const;

/** Cognito's default for an app client's access tokens: one hour. */
function accessTokenSeconds(client: EmulatorClient): number {
  if (!client.AccessTokenValidity) return 3600;
  const unit = (client.TokenValidityUnits?.AccessToken ?? 'hours') as keyof typeof SECONDS;
  return client.AccessTokenValidity * (SECONDS[unit] ?? 3600);
}

export function refuse(error: string, description?: string): TokenEndpointAnswer {
  return { status: 400, body: description ? { error, error_description: description } : { error } };
}

export function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** client_id and client_secret from HTTP Basic authentication, else from the form (client_secret_post). */
export function clientCredentialsOf(form: URLSearchParams, authorization: string | undefined): { id?: string; secret?: string } {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization ?? '');
  if (basic) {
    const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return {};
    try {
      return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
    } catch {
      return {};
    }
  }
  return { id: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
}

/**
 * POST /oauth2/token with grant_type=client_credentials, as Cognito answers it: a confidential
 * client authenticates, asks for some of its allowed custom scopes (all of them when it names none),
 * and gets an access token with no username, sub = client id, signed with the pool's key.
 */
export async function clientCredentialsGrant(
  state: EmulatorState,
  issuerBase: string,
  form: URLSearchParams,
  authorization: string | undefined,
  hook?: PreTokenHook,
): Promise<TokenEndpointAnswer> {
  const { id, secret } = clientCredentialsOf(form, authorization);
  const client = id ? state.client(id) : undefined;
  if (!client?.ClientSecret || !secret || !sameSecret(secret, client.ClientSecret)) return refuse('invalid_client');
  if (!client.AllowedOAuthFlows?.includes('client_credentials')) return refuse('unauthorized_client');

  const allowed = (client.AllowedOAuthScopes ?? []).filter((scope) => scope.includes('/'));
  const requested = (form.get('scope') ?? '').split(/\s+/).filter(Boolean);
  const scopes = requested.length > 0 ? requested : allowed;
  if (scopes.length === 0 || scopes.some((scope) => !allowed.includes(scope))) return refuse('invalid_scope');

  const target = resourceOf(form);
  if (!target.ok) return refuse('invalid_target', target.description);

  const now = Math.floor(Date.now() / 1000);
  const expiresIn = accessTokenSeconds(client);
  const claims = {
    sub: client.ClientId,
    token_use: 'access',
    scope: scopes.join(' '),
    auth_time: now,
    iss: `${issuerBase}/${client.UserPoolId}`,
    exp: now + expiresIn,
    iat: now,
    version: 2,
    jti: randomUUID(),
    client_id: client.ClientId,
    ...(target.resource ? { aud: target.resource } : {}),
  };
  let custom: Record<string, unknown> = claims;
  if (hook) {
    const event = preTokenEvent({
      triggerSource: 'TokenGeneration_ClientCredentials',
      userPoolId: client.UserPoolId,
      clientId: client.ClientId,
      scopes,
    });
    try {
      const details = (await hook(event)).response?.claimsAndScopeOverrideDetails;
      // A machine has no groups: only the access token's claims and scopes apply.
      custom = applyOverrides(undefined, claims, details && { accessTokenGeneration: details.accessTokenGeneration }).access;
    } catch (error) {
      // Cognito's token endpoint answers a failing trigger with invalid_request and the trigger's message.
      if (error instanceof PreTokenHookError) return refuse('invalid_request', error.message);
      throw error;
    }
  }
  const accessToken = signToken(custom);
  return { status: 200, body: { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' } };
}
