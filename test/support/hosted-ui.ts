/** The S256 challenge of RFC 7636's example verifier: the page is asked for, never the token. */
const PKCE_CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/** The Hosted UI's sign-in page for an authorization code + PKCE request, as an SPA opens it. */
export function authorizeUrl(endpoint: string, clientId: string, redirectUri: string): string {
  const query = new URLSearchParams({
    client_id: clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    code_challenge: PKCE_CHALLENGE,
    code_challenge_method: 'S256',
  });
  return `${endpoint}/oauth2/authorize?${query.toString()}`;
}
