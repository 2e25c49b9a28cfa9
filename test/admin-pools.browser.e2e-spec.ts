import type { Browser, Page } from 'playwright-core';
import { SEED_USERS } from '@backend/local-cognito';
import { launchChromium, screenshots } from './support/browser.js';
import { allowWebCallback, signIn } from './support/cognito.js';
import { call } from './support/http.js';
import { testStack } from './support/stack-env.js';
import { staffPoolEnv, startTestApp, type TestApp } from './support/test-app.js';

const STEP_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 90_000;

/** The /admin page of an API with two pools (the local ones: admin in default, sam in staff), in headless Chromium. */
describe('The /admin page with several pools', () => {
  let sut: TestApp;
  let browser: Browser;
  let page: Page;
  const shot = screenshots('admin-pools');
  const userRow = (username: string) => page.locator(`[data-testid="user-row"][data-username="${username}"]`);

  beforeAll(async () => {
    const stack = testStack();
    sut = await startTestApp({
      env: { ...staffPoolEnv(), COGNITO_DOMAIN: stack.emulatorEndpoint, COGNITO_WEB_CLIENT_ID: stack.webClientId },
    });
    expect((await call(`${sut.url}/api/v1/me`, { token: (await signIn('sam', undefined, 'staff')).accessToken })).status).toBe(200);
    expect((await call(`${sut.url}/api/v1/me`, { token: (await signIn('alice')).accessToken })).status).toBe(200);
    await allowWebCallback(`${sut.url}/admin`);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${sut.url}/admin`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/oauth2/authorize');
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it(
    "offers on the pool's sign-in page that pool's seeded users only, then shows each person's pool and filters by it",
    async () => {
      const seeded = page.getByRole('region', { name: 'Seeded users' });
      await seeded.getByText('alice').first().waitFor();
      await expect(seeded.getByText('sam').count()).resolves.toBe(0);
      await page.locator('input[name="username"]').fill('admin');
      await page.locator('input[name="password"]').fill(SEED_USERS.find((user) => user.username === 'admin')!.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${sut.url}/admin`);

      await userRow('sam').getByTestId('pool').getByText('staff').waitFor();
      await expect(userRow('alice').getByTestId('pool').textContent()).resolves.toBe('default');
      await page.getByRole('combobox', { name: 'User pool' }).selectOption('staff');
      await userRow('alice').waitFor({ state: 'detached' });
      await expect(page.getByTestId('user-row').count()).resolves.toBe(1);
      await shot(page, 'staff-only');

      await userRow('sam').click();
      const sheet = page.locator('[data-testid="user-dialog"]');
      await sheet.getByText('User pool').waitFor();
      await expect(sheet.getByText('staff', { exact: true }).count()).resolves.toBeGreaterThan(0);
      // The groups are sam's pool's: its own admin group.
      await sheet.getByTestId('group-chip').filter({ hasText: 'admin' }).waitFor();
      await page.keyboard.press('Escape');

      await page.getByRole('tab', { name: 'Pool accounts' }).click();
      const poolAccounts = page.locator('.pool-users');
      await poolAccounts.locator('[data-testid="pool-row"][data-username="alice"]').waitFor();
      await poolAccounts.getByRole('combobox', { name: 'User pool' }).selectOption('staff');
      await poolAccounts.locator('[data-testid="pool-row"][data-username="sam"]').waitFor();
      await expect(poolAccounts.locator('[data-testid="pool-row"][data-username="alice"]').count()).resolves.toBe(0);
      await shot(page, 'staff-accounts');
    },
    TEST_TIMEOUT_MS,
  );
});
