import { clientCredentialsOf, refuse, sameSecret, type TokenEndpointAnswer } from './client-credentials.js';
import { text } from './cognito-answer.js';
import type { EmulatorClient } from './emulator-state.js';
import type { OperationContext } from './operations/context.js';
import { refreshSession } from './operations/refresh.js';
import { signOutOperations } from './operations/sign-out.js';
import { PreTokenHookError } from './pre-token-hook.js';
import { withAudience } from './resource-indicator.js';
import { claimsOf } from './signing-key.js';
import type { AuthenticationResult } from './token-issuer.js';

/** The app client a token-endpoint request authenticates as; a client with a secret must give it. */
function authenticatedClient(
  context: OperationContext,
  form: URLSearchParams,
  authorization: string | undefined,
): EmulatorClient | undefined {
  const { id, secret } = clientCredentialsOf(form, authorization);
  const client = id ? context.state.client(id) : undefined;
  if (client?.ClientSecret && (!secret || !sameSecret(secret, client.ClientSecret))) return undefined;
  return client;
}

const tokenResponse = (tokens: AuthenticationResult, resource?: string): TokenEndpointAnswer => ({
  status: 200,
  body: {
    access_token: resource ? withAudience(tokens.AccessToken, resource) : tokens.AccessToken,
    id_token: tokens.IdToken,
    ...(tokens.RefreshToken ? { refresh_token: tokens.RefreshToken } : {}),
    token_type: 'Bearer',
    expires_in: tokens.ExpiresIn,
  },
});

/** Cognito's token endpoint answers a failing pre-token-generation trigger with invalid_request and its message. */
async function hookRefusedAsInvalidRequest(grant: () => Promise<TokenEndpointAnswer>): Promise<TokenEndpointAnswer> {
  try {
    return await grant();
  } catch (error) {
    if (error instanceof PreTokenHookError) return refuse('invalid_request', error.message);
    throw error;
  }
}

/** A scope the authorization request asks for that the app client does not allow: Cognito refuses the request. */
export function unallowedScope(client: EmulatorClient | undefined, requested: string): string | undefined {
  const allowed = new Set(client?.AllowedOAuthScopes ?? []);
  return requested.split(' ').find((scope) => scope && !allowed.has(scope));
}

/** The scopes a Hosted UI sign-in grants, as Cognito does: those asked for, or all the client allows when none are. */
function grantedScopes(client: EmulatorClient, requested: string | undefined): string {
  const asked = (requested ?? '').split(' ').filter(Boolean);
  return (asked.length > 0 ? asked : (client.AllowedOAuthScopes ?? [])).join(' ');
}

/**
 * The authorization-code grant's tokens (the emulator checked the code and PKCE and made them) as
 * Cognito's Hosted UI issues them: a sign-in session (origin_jti, jti, event_id, auth_time), the
 * session's own refresh token, the pre-token-generation hook run as TokenGeneration_HostedAuth.
 */
export async function hostedUiSignIn(
  context: OperationContext,
  clientId: string,
  emulatorTokens: Record<string, unknown>,
  granted: { resource?: string; scope?: string },
): Promise<TokenEndpointAnswer> {
  const client = context.state.client(clientId);
  if (!client) return refuse('invalid_client');
  const access = text(emulatorTokens.access_token);
  if (context.state.user(client.UserPoolId, text(claimsOf(access).username))?.Enabled === false) {
    return refuse('invalid_grant', 'User is disabled.');
  }
  return hookRefusedAsInvalidRequest(async () => {
    const tokens = await context.tokens.signIn(
      client.UserPoolId,
      clientId,
      { AccessToken: access, IdToken: emulatorTokens.id_token, RefreshToken: emulatorTokens.refresh_token },
      'TokenGeneration_HostedAuth',
      grantedScopes(client, granted.scope),
    );
    return tokenResponse(tokens, granted.resource);
  });
}

/**
 * POST /oauth2/token with grant_type=refresh_token, as Cognito answers it: a refresh of the session the
 * refresh token belongs to (refused once revoked, expired or rotated out), with a new refresh token
 * for a client with refresh-token rotation.
 */
export async function refreshTokenGrant(
  context: OperationContext,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<TokenEndpointAnswer> {
  const client = authenticatedClient(context, form, authorization);
  if (!client) return refuse('invalid_client');
  const refreshToken = form.get('refresh_token');
  if (!refreshToken) return refuse('invalid_request', 'refresh_token is missing.');
  return hookRefusedAsInvalidRequest(async () => {
    const answer = await refreshSession(context, client.ClientId, refreshToken, true);
    if (answer.status !== 200) return refuse('invalid_grant', answer.message);
    return tokenResponse((answer.body as { AuthenticationResult: AuthenticationResult }).AuthenticationResult);
  });
}

/** POST /oauth2/revoke: RevokeToken's effect (the refresh token's session and its access tokens), OAuth's answers (RFC 7009). */
export async function revokeGrant(
  context: OperationContext,
  form: URLSearchParams,
  authorization: string | undefined,
): Promise<TokenEndpointAnswer> {
  const client = authenticatedClient(context, form, authorization);
  if (!client) return refuse('invalid_client');
  const token = form.get('token');
  if (!token) return refuse('invalid_request', 'token is missing.');
  const answer = await signOutOperations.RevokeToken(context, {
    Token: token,
    ClientId: client.ClientId,
    ClientSecret: client.ClientSecret,
  });
  if (answer?.status === 400) {
    return refuse(answer.type === 'UnsupportedTokenTypeException' ? 'unsupported_token_type' : 'invalid_request', answer.message);
  }
  return { status: 200, body: {} };
}
