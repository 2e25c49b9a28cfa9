import { challengeOf, randomString } from './pkce.js';
import { SignInError, tokenRequest, type Session } from './session.js';

const PENDING_KEY = 'admin.signIn';

interface PendingSignIn {
  state: string;
  verifier: string;
}

/** Where the pool sends people back: this page. It must be one of the app client's callback URLs. */
export function redirectUri(): string {
  return `${location.origin}/admin`;
}

/** Sends the browser to the pool's sign-in page (authorization code with PKCE, S256). */
export async function startSignIn(session: Session): Promise<void> {
  const settings = session.signIn;
  if (!settings) throw new SignInError('Sign-in is not configured on this server (COGNITO_DOMAIN and COGNITO_WEB_CLIENT_ID).');
  if (!crypto.subtle) throw new SignInError('Signing in needs a secure page: open it over https, or on localhost.');
  const pending: PendingSignIn = { state: randomString(16), verifier: randomString(32) };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(settings.authorizeUrl);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: settings.clientId,
    redirect_uri: redirectUri(),
    scope: settings.scopes,
    state: pending.state,
    code_challenge: await challengeOf(pending.verifier),
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/** Leaves the pool's Hosted UI session too where there is one, so the next sign-in asks again. */
export function signOut(session: Session): void {
  session.clear();
  const logoutUrl = session.signIn?.logoutUrl;
  if (!logoutUrl || !session.signIn) return;
  const url = new URL(logoutUrl);
  url.search = new URLSearchParams({ client_id: session.signIn.clientId, logout_uri: redirectUri() }).toString();
  location.assign(url.toString());
}

function takePending(): PendingSignIn | null {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    return raw ? (JSON.parse(raw) as PendingSignIn) : null;
  } catch {
    return null;
  }
}

/**
 * Finishes a sign-in from what the address bar carries: tokens in the fragment (implicit grant,
 * as older setups send them) or an authorization code in the query. Either way the address bar is
 * cleaned first, so that tokens do not stay in view or history and a reload never replays a code.
 */
export async function completeSignIn(session: Session): Promise<void> {
  const url = new URL(location.href);
  const fragment = new URLSearchParams(url.hash.slice(1));
  const accessToken = fragment.get('access_token');
  if (accessToken) {
    history.replaceState(null, '', url.pathname + url.search);
    session.save({ accessToken, idToken: fragment.get('id_token') ?? undefined, refreshToken: fragment.get('refresh_token') ?? undefined });
    return;
  }

  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (!code && !error) return;
  history.replaceState(null, '', url.pathname);
  const pending = takePending();
  if (error) {
    throw new SignInError(`Sign-in did not complete: ${url.searchParams.get('error_description') ?? error}.`);
  }
  if (!session.signIn) throw new SignInError('Sign-in is not configured on this server.');
  if (!pending || pending.state !== url.searchParams.get('state')) {
    throw new SignInError('This sign-in answer does not match a sign-in started in this tab. Please sign in again.');
  }
  session.save(
    await tokenRequest(session.signIn.tokenUrl, {
      grant_type: 'authorization_code',
      client_id: session.signIn.clientId,
      code: code!,
      redirect_uri: redirectUri(),
      code_verifier: pending.verifier,
    }),
  );
}
