// An SPA's passkey screens as its authors write them for Cognito with Amplify v6: sign in, add a
// passkey, list and delete passkeys, sign in with one. Only userPoolEndpoint points at the local pool.
// The test presses its "buttons" through window.passkeyApp and reads what each one showed.
import { Amplify } from 'aws-amplify';
import {
  associateWebAuthnCredential,
  confirmSignIn,
  deleteWebAuthnCredential,
  fetchAuthSession,
  listWebAuthnCredentials,
  signIn,
  signOut,
} from 'aws-amplify/auth';

interface SpaConfig {
  userPoolId: string;
  clientId: string;
  endpoint: string;
  apiUrl: string;
}

const config = JSON.parse(document.getElementById('config')!.textContent) as SpaConfig;
Amplify.configure({
  Auth: { Cognito: { userPoolId: config.userPoolId, userPoolClientId: config.clientId, userPoolEndpoint: config.endpoint } },
});

/** What a screen shows: the call's result, or the error Amplify raised (its name is Cognito's exception). */
async function shown(action: () => Promise<unknown>): Promise<unknown> {
  try {
    return { value: (await action()) ?? null };
  } catch (error) {
    return { error: (error as Error).name, message: (error as Error).message };
  }
}

const USER_AUTH = { authFlowType: 'USER_AUTH' } as const;

const app = {
  signInWithPassword: (username: string, password: string) =>
    shown(() => signIn({ username, password, options: { ...USER_AUTH, preferredChallenge: 'PASSWORD' } })),
  addPasskey: () => shown(() => associateWebAuthnCredential()),
  listPasskeys: () =>
    shown(async () => (await listWebAuthnCredentials()).credentials.map((c) => ({ ...c, createdAt: c.createdAt?.toISOString() }))),
  deletePasskey: (credentialId: string) => shown(() => deleteWebAuthnCredential({ credentialId })),
  signInWithPasskey: (username: string) => shown(() => signIn({ username, options: { ...USER_AUTH, preferredChallenge: 'WEB_AUTHN' } })),
  /** Choice-based sign-in without a preference: the factors offered. */
  startSignIn: (username: string) => shown(() => signIn({ username, options: USER_AUTH })),
  chooseFactor: (factor: string) => shown(() => confirmSignIn({ challengeResponse: factor })),
  signOut: () => shown(() => signOut()),
  /** The API's answer to the signed-in user's access token. */
  me: () =>
    shown(async () => {
      const { tokens } = await fetchAuthSession();
      const response = await fetch(`${config.apiUrl}/api/v1/me`, {
        headers: { authorization: `Bearer ${tokens!.accessToken.toString()}` },
      });
      return { status: response.status, body: (await response.json()) as unknown };
    }),
};

declare global {
  interface Window {
    passkeyApp: typeof app;
  }
}
window.passkeyApp = app;
document.getElementById('result')!.textContent = 'ready';
