import { createHash, randomBytes } from 'node:crypto';

/** The test pool's Hosted UI callback (startTestPool registers it on the web clients). */
export const CALLBACK = 'http://localhost:3000/callback';

export interface TokenEndpointResponse {
  status: number;
  body: Record<string, string | number | undefined>;
}

/** POST <pool>/oauth2/<path> with a form, as an SPA's or a server's OAuth library sends it. */
export async function oauthPost(endpoint: string, path: 'token' | 'revoke', form: Record<string, string>): Promise<TokenEndpointResponse> {
  const response = await fetch(`${endpoint}/oauth2/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : {}) as TokenEndpointResponse['body'] };
}

/**
 * A sign-in on the Hosted UI's page (its form posted as a browser posts it), then the authorization
 * code traded for tokens with PKCE: the token endpoint's response.
 */
export async function hostedUiSignIn(
  endpoint: string,
  clientId: string,
  username: string,
  password: string,
  /** The scopes asked for; by default those of an app that calls the user-pools API with its tokens. */
  scope = 'openid email aws.cognito.signin.user.admin',
): Promise<TokenEndpointResponse & { page?: string; location?: string }> {
  const verifier = randomBytes(32).toString('base64url');
  const authorize = await fetch(`${endpoint}/oauth2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: clientId,
      redirect_uri: CALLBACK,
      response_type: 'code',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      scope,
      state: 'state-1',
      username,
      password,
    }).toString(),
    redirect: 'manual',
  });
  const location = authorize.headers.get('location') ?? undefined;
  const code = new URL(location ?? CALLBACK).searchParams.get('code');
  if (!code) return { status: authorize.status, body: {}, page: await authorize.text(), location };
  return oauthPost(endpoint, 'token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: CALLBACK,
    client_id: clientId,
    code_verifier: verifier,
  });
}

export const claims = (jwt: unknown): Record<string, unknown> =>
  JSON.parse(Buffer.from(String(jwt).split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
