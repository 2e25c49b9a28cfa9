// An SPA that signs in through the pool's Hosted UI with the authorization code + PKCE, as OAuth
// libraries do: /oauth2/authorize, back on /callback with a code, /oauth2/token, then the API.
interface SpaConfig {
  clientId: string;
  endpoint: string;
  apiUrl: string;
}

const config = JSON.parse(document.getElementById('config')!.textContent) as SpaConfig;
const output = document.getElementById('result')!;
const redirectUri = `${location.origin}/callback`;

const base64url = (bytes: ArrayBuffer | Uint8Array): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

async function start(): Promise<void> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  sessionStorage.setItem('pkce', JSON.stringify({ verifier, state }));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const query = new URLSearchParams({
    client_id: config.clientId,
    response_type: 'code',
    scope: 'openid email profile',
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
  });
  location.assign(`${config.endpoint}/oauth2/authorize?${query.toString()}`);
}

async function finish(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const saved = JSON.parse(sessionStorage.getItem('pkce') ?? '{}') as { verifier?: string; state?: string };
  if (!params.get('code') || params.get('state') !== saved.state) throw new Error('no code, or a state that is not ours');
  const tokenResponse = await fetch(`${config.endpoint}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: params.get('code')!,
      redirect_uri: redirectUri,
      code_verifier: saved.verifier!,
    }),
  });
  const tokens = (await tokenResponse.json()) as { access_token: string };
  const response = await fetch(`${config.apiUrl}/api/v1/me`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
  output.textContent = JSON.stringify({ status: response.status, body: await response.json() });
}

if (location.pathname === '/callback') {
  finish().catch((error: Error) => (output.textContent = JSON.stringify({ error: error.name, message: error.message })));
} else {
  document.getElementById('sign-in')!.addEventListener('click', () => void start());
}
