import type { AppConfig } from '../../config/app-config.js';

/** Scopes the page asks for; GetUser (which fills a new user's profile) needs the last one. */
export const ADMIN_PAGE_SCOPES = 'openid email profile aws.cognito.signin.user.admin';

export interface SignInSettings {
  authorizeUrl: string;
  tokenUrl: string;
  /** The Hosted UI's logout, which also ends its own session; null for the local emulator, which has none. */
  logoutUrl: string | null;
  clientId: string;
  scopes: string;
}

/** What the /admin page needs to sign people in (the redirect URI is its own address, `<origin>/admin`), and the pools' names. */
export interface AdminPageSettings {
  signIn: SignInSettings | null;
  /** The configured pools' names, `default` first: with more than one, the page shows each person's pool and filters by it. */
  pools: string[];
}

export function adminPageSettings(config: AppConfig): AdminPageSettings {
  const { domain, webClientId, endpoint } = config.cognito;
  const pools = config.pools.map((pool) => pool.name);
  if (!domain || !webClientId) return { signIn: null, pools };
  return {
    pools,
    signIn: {
      authorizeUrl: `${domain}/oauth2/authorize`,
      tokenUrl: `${domain}/oauth2/token`,
      logoutUrl: domain === endpoint ? null : `${domain}/logout`,
      clientId: webClientId,
      scopes: ADMIN_PAGE_SCOPES,
    },
  };
}
