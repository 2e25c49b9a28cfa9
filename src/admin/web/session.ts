import type { SignIn } from './types.js';

const TOKENS_KEY = 'admin.tokens';

export interface Tokens {
  accessToken: string;
  idToken?: string;
  refreshToken?: string;
}

export interface AccessClaims {
  sub: string;
  username?: string;
  exp: number;
  'cognito:groups'?: string[];
}

/** The claims of a JWT, read without verifying it: only for display; the API verifies. */
export function claimsOf(token: string): AccessClaims | null {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as AccessClaims;
  } catch {
    return null;
  }
}

/**
 * The signed-in user's tokens, in sessionStorage: they live as long as the tab, are not shared with
 * other tabs, and sign-out (or closing the tab) forgets them.
 */
export class Session {
  constructor(readonly signIn: SignIn | null) {}

  get tokens(): Tokens | null {
    try {
      const tokens = JSON.parse(sessionStorage.getItem(TOKENS_KEY) ?? 'null') as Tokens | null;
      return tokens && typeof tokens.accessToken === 'string' ? tokens : null;
    } catch {
      return null;
    }
  }

  get accessToken(): string | null {
    return this.tokens?.accessToken ?? null;
  }

  get claims(): AccessClaims | null {
    const token = this.accessToken;
    return token ? claimsOf(token) : null;
  }

  save(tokens: Tokens): void {
    sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  }

  clear(): void {
    sessionStorage.removeItem(TOKENS_KEY);
  }

  /** Trades the refresh token for a new access token; false when there is none or it is refused. */
  async refresh(): Promise<boolean> {
    const refreshToken = this.tokens?.refreshToken;
    if (!refreshToken || !this.signIn) return false;
    try {
      const tokens = await tokenRequest(this.signIn.tokenUrl, {
        grant_type: 'refresh_token',
        client_id: this.signIn.clientId,
        refresh_token: refreshToken,
      });
      this.save({ ...tokens, refreshToken: tokens.refreshToken ?? refreshToken });
      return true;
    } catch {
      return false;
    }
  }
}

export class SignInError extends Error {}

/** A request to the pool's /oauth2/token endpoint (a form post; Cognito answers with CORS headers). */
export async function tokenRequest(tokenUrl: string, params: Record<string, string>): Promise<Tokens> {
  let response: Response;
  try {
    response = await fetch(tokenUrl, { method: 'POST', body: new URLSearchParams(params) });
  } catch {
    throw new SignInError(`Could not reach the sign-in service at ${new URL(tokenUrl).origin}. Check your connection and try again.`);
  }
  const body = (await response.json().catch(() => ({}))) as Record<string, string | undefined>;
  if (!response.ok || !body.access_token) {
    throw new SignInError(`The sign-in service refused the request: ${body.error_description ?? body.error ?? `HTTP ${response.status}`}.`);
  }
  return { accessToken: body.access_token, idToken: body.id_token, refreshToken: body.refresh_token };
}
