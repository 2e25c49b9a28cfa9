import { DeleteWebAuthnCredentialCommand } from '@aws-sdk/client-cognito-identity-provider';
import { emulatorClient } from '@backend/local-cognito';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { collectPageProblems, launchChromium, screenshots } from './support/browser.js';
import { createPoolUser, signIn } from './support/cognito.js';
import { startDevServer, type DevServer } from './support/dev-server.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const STEP_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 90_000;

type Shown = { value?: unknown; error?: string; message?: string };

/**
 * Passkeys of an SPA written for Cognito (aws-amplify 6, unchanged), in headless Chromium on a dev
 * server at http://localhost:<port>, whose host is the local pool's relying party id. Chromium's
 * virtual authenticator (DevTools Protocol, WebAuthn domain) stands in for a phone or a security key.
 */
describe('Passkeys of an SPA against the local pool, in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  let devServer: DevServer;
  const shot = screenshots('passkeys');
  const origin = () => `http://localhost:${testStack().devServerPort}`;

  beforeAll(async () => {
    const stack = testStack();
    api = await startTestApp({ env: { CORS_ORIGINS: origin() } });
    browser = await launchChromium();
    devServer = await startDevServer({
      entry: 'test/support/spa/amplify-passkeys.ts',
      port: stack.devServerPort,
      config: { userPoolId: stack.userPoolId, clientId: stack.webClientId, endpoint: stack.emulatorEndpoint, apiUrl: api.url },
      body: '<h1>Passkeys</h1>',
    });
  }, TEST_TIMEOUT_MS);
  afterAll(async () => {
    await devServer?.close();
    await browser?.close();
    await api?.close();
  });

  /** The SPA in a fresh profile with a platform authenticator that verifies its user (a fingerprint, say). */
  async function openSpa(url = `${origin()}/`): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string; problems: string[] }> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    const problems = collectPageProblems(page);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true },
    });
    await page.goto(url);
    await page.waitForFunction(() => document.getElementById('result')?.textContent === 'ready');
    return { page, cdp, authenticatorId, problems };
  }

  /** Presses one of the SPA's buttons: what it showed. */
  const press = (page: Page, action: string, ...args: string[]): Promise<Shown> =>
    page.evaluate(
      ([name, params]) => (window.passkeyApp as unknown as Record<string, (...a: string[]) => Promise<Shown>>)[name](...params),
      [action, args] as const,
    );

  it(
    'adds a passkey with associateWebAuthnCredential(), lists it, signs in with it (preferred, and chosen from the factors), and the tokens open /api/v1/me',
    async () => {
      const { username, password } = await createPoolUser();
      const { page, cdp, authenticatorId, problems } = await openSpa();

      await expect(press(page, 'signInWithPassword', username, password)).resolves.toMatchObject({ value: { isSignedIn: true } });
      await expect(press(page, 'addPasskey')).resolves.toEqual({ value: null });
      const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
      expect(credentials).toHaveLength(1);
      expect(credentials[0]).toMatchObject({ rpId: 'localhost', isResidentCredential: true });
      const credentialId = Buffer.from(credentials[0].credentialId, 'base64').toString('base64url');

      const listed = await press(page, 'listPasskeys');
      expect(listed).toEqual({
        value: [
          {
            credentialId,
            friendlyCredentialName: 'Platform passkey',
            relyingPartyId: 'localhost',
            authenticatorAttachment: 'platform',
            authenticatorTransports: ['internal'],
            createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          },
        ],
      });
      await press(page, 'signOut');

      // Without a preference the pool now offers the passkey among the factors; choosing it signs in.
      await expect(press(page, 'startSignIn', username)).resolves.toMatchObject({
        value: {
          nextStep: {
            signInStep: 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION',
            availableChallenges: expect.arrayContaining(['WEB_AUTHN']),
          },
        },
      });
      await expect(press(page, 'chooseFactor', 'WEB_AUTHN')).resolves.toMatchObject({ value: { isSignedIn: true } });
      await expect(press(page, 'me')).resolves.toMatchObject({ value: { status: 200, body: { username } } });
      await press(page, 'signOut');

      const flows: string[] = [];
      page.on('request', (request) => {
        const target = request.headers()['x-amz-target'];
        const body = request.postDataJSON() as { AuthFlow?: string; ChallengeName?: string } | null;
        if (target) flows.push(`${target.split('.').pop()} ${body?.AuthFlow ?? body?.ChallengeName ?? ''}`.trim());
      });
      await expect(press(page, 'signInWithPasskey', username)).resolves.toMatchObject({
        value: { isSignedIn: true, nextStep: { signInStep: 'DONE' } },
      });
      expect(flows).toEqual(['InitiateAuth USER_AUTH', 'RespondToAuthChallenge WEB_AUTHN']);
      await expect(press(page, 'me')).resolves.toMatchObject({
        value: { status: 200, body: { username, email: `${username}@example.com` } },
      });
      await shot(page, 'signed-in-with-passkey');

      await expect(press(page, 'deletePasskey', credentialId)).resolves.toEqual({ value: null });
      await expect(press(page, 'listPasskeys')).resolves.toEqual({ value: [] });
      await press(page, 'signOut');
      const offered = (await press(page, 'startSignIn', username)) as { value: { nextStep: { availableChallenges: string[] } } };
      expect(offered.value.nextStep.availableChallenges).not.toContain('WEB_AUTHN');
      expect(problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'cannot add a passkey from a page whose host is not the relying party id (127.0.0.1 for localhost): the browser refuses',
    async () => {
      const { username, password } = await createPoolUser();
      const { page } = await openSpa(`http://127.0.0.1:${testStack().devServerPort}/`);
      await expect(press(page, 'signInWithPassword', username, password)).resolves.toMatchObject({ value: { isSignedIn: true } });
      await expect(press(page, 'addPasskey')).resolves.toMatchObject({ error: 'RelyingPartyMismatch' });
      await expect(press(page, 'listPasskeys')).resolves.toEqual({ value: [] });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "refuses with Cognito's NotAuthorizedException the answer of a passkey the pool no longer has",
    async () => {
      const { username, password } = await createPoolUser();
      const { page } = await openSpa();
      await press(page, 'signInWithPassword', username, password);
      await press(page, 'addPasskey');
      const [passkey] = (await press(page, 'listPasskeys')).value as Array<{ credentialId: string }>;
      await press(page, 'signOut');

      // Deleted from another device while this browser was answering the sign-in's challenge.
      const { accessToken } = await signIn(username, password);
      const pool = emulatorClient(testStack().emulatorEndpoint);
      await page.route(`${testStack().emulatorEndpoint}/`, async (route) => {
        if ((route.request().postDataJSON() as { ChallengeName?: string }).ChallengeName === 'WEB_AUTHN') {
          await pool.send(new DeleteWebAuthnCredentialCommand({ AccessToken: accessToken, CredentialId: passkey.credentialId }));
        }
        await route.continue();
      });
      try {
        await expect(press(page, 'signInWithPasskey', username)).resolves.toEqual({
          error: 'NotAuthorizedException',
          message: 'The passkey is not registered for this user.',
        });
      } finally {
        pool.destroy();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
