import type { Browser, Page } from 'playwright-core';
import { collectPageProblems, launchChromium, screenshots } from './support/browser.js';
import { startDevServer, type DevServer } from './support/dev-server.js';
import { authorizeUrl } from './support/hosted-ui.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const STEP_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 60_000;

/** SPAs written for Cognito, in headless Chromium, served by a dev server whose origin the pool knows. */
describe('Single-page apps against the local pool, in a browser', () => {
  let api: TestApp;
  let browser: Browser;
  let devServer: DevServer | undefined;
  const shot = screenshots('spa-sign-in');
  const port = () => testStack().devServerPort;

  /** A fresh profile each time: no session stored by the test before. */
  async function newPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await (await browser.newContext()).newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    return { page, problems: collectPageProblems(page) };
  }

  /** Serves one of the test SPAs on the dev-server port, configured for the local pool and the API. */
  async function serveSpa(kind: 'amplify' | 'hosted-ui'): Promise<{ stack: ReturnType<typeof testStack>; origin: string }> {
    const stack = testStack();
    devServer = await startDevServer(
      kind === 'amplify'
        ? {
            entry: 'test/support/spa/amplify-sign-in.ts',
            port: port(),
            config: { userPoolId: stack.userPoolId, clientId: stack.webClientId, endpoint: stack.emulatorEndpoint, apiUrl: api.url },
            body: '<form><input name="username" aria-label="Username"><input name="password" type="password" aria-label="Password"><button>Sign in</button></form>',
          }
        : {
            entry: 'test/support/spa/hosted-ui-pkce.ts',
            port: port(),
            config: { clientId: stack.webClientId, endpoint: stack.emulatorEndpoint, apiUrl: api.url },
            body: '<button id="sign-in">Sign in with the Hosted UI</button>',
          },
    );
    return { stack, origin: devServer.origin };
  }

  async function result(page: Page): Promise<Record<string, unknown>> {
    await page.waitForFunction(() => document.getElementById('result')?.textContent !== '');
    return JSON.parse((await page.locator('#result').textContent())!) as Record<string, unknown>;
  }

  beforeAll(async () => {
    const origins = [`http://localhost:${port()}`, `http://127.0.0.1:${port()}`];
    api = await startTestApp({ env: { CORS_ORIGINS: origins.join(',') } });
    browser = await launchChromium();
  }, TEST_TIMEOUT_MS);
  afterEach(async () => {
    await devServer?.close();
    devServer = undefined;
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it(
    'signs in with Amplify v6 (SRP, only userPoolEndpoint changed) and calls /api/v1/me with the access token',
    async () => {
      const { stack, origin } = await serveSpa('amplify');
      const { page, problems } = await newPage();
      const flows: string[] = [];
      page.on('request', (request) => {
        const target = request.headers()['x-amz-target'];
        if (target && request.url().startsWith(stack.emulatorEndpoint))
          flows.push(
            `${target.split('.').pop()} ${(request.postDataJSON() as { AuthFlow?: string; ChallengeName?: string }).AuthFlow ?? (request.postDataJSON() as { ChallengeName?: string }).ChallengeName}`,
          );
      });

      await page.goto(`${origin}/`);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('Alice-pass-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const answer = await result(page);
      await shot(page, 'amplify-signed-in');

      expect(answer).toMatchObject({ status: 200, body: { username: 'alice', email: 'alice@example.com' } });
      expect(flows).toEqual(['InitiateAuth USER_SRP_AUTH', 'RespondToAuthChallenge PASSWORD_VERIFIER']);
      expect(problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "reports Amplify's NotAuthorizedException for a wrong password",
    async () => {
      await serveSpa('amplify');
      const { page } = await newPage();
      // The other loopback name: an origin whose storage holds no session from the test before.
      await page.goto(`http://localhost:${port()}/`);
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('Wrong-pass-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      expect(await result(page)).toEqual({ error: 'NotAuthorizedException', message: 'Incorrect username or password.' });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'signs in through the Hosted UI (code + PKCE) from a localhost dev server, back on its /callback',
    async () => {
      const { stack } = await serveSpa('hosted-ui');
      const { page, problems } = await newPage();
      await page.goto(`http://localhost:${port()}/`);
      await page.getByRole('button', { name: 'Sign in with the Hosted UI' }).click();
      await page.waitForURL((url) => url.origin === stack.emulatorEndpoint && url.pathname === '/oauth2/authorize');

      // The pool's own page: styled, with an icon, saying what it is and offering the seeded users.
      expect(await page.title()).toBe('Sign in · Local Cognito pool');
      await page.getByText('local only · not AWS').waitFor();
      await page.getByRole('button', { name: 'Continue as alice' }).waitFor();
      await page.getByRole('button', { name: 'Continue as admin' }).waitFor();
      expect(await page.locator('.card').evaluate((card) => getComputedStyle(card).borderRadius)).toBe('10px');
      const icon = await page.evaluate(async () => {
        const response = await fetch('/favicon.svg');
        return { status: response.status, type: response.headers.get('content-type') };
      });
      expect(icon).toEqual({ status: 200, type: 'image/svg+xml' });
      await shot(page, 'hosted-ui-sign-in');

      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('Wrong-pass-1');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
      expect(await page.getByLabel('Username').inputValue()).toBe('alice');
      await shot(page, 'hosted-ui-wrong-password');

      await page.getByLabel('Password').fill('Alice-pass-1');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((url) => url.origin === `http://localhost:${port()}` && url.pathname === '/callback');
      expect(await result(page)).toMatchObject({ status: 200, body: { username: 'alice' } });
      await shot(page, 'hosted-ui-back-on-callback');
      expect(problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "signs a seeded user in with one click on the pool's page",
    async () => {
      await serveSpa('hosted-ui');
      const { page, problems } = await newPage();
      await page.goto(`http://127.0.0.1:${port()}/`);
      await page.getByRole('button', { name: 'Sign in with the Hosted UI' }).click();
      await page.getByRole('button', { name: 'Continue as admin' }).click();
      await page.waitForURL((url) => url.pathname === '/callback');
      expect(await result(page)).toMatchObject({ status: 200, body: { username: 'admin', groups: ['admin'] } });
      expect(problems).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it('refuses a callback the web client does not list, with its own error page', async () => {
    const stack = testStack();
    const response = await fetch(authorizeUrl(stack.emulatorEndpoint, stack.webClientId, 'http://localhost:9/elsewhere'));
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('redirect_uri http://localhost:9/elsewhere is not a callback URL of the app client web.');
  });
});
