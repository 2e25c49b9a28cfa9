import { randomUUID } from 'node:crypto';
import { CreateGroupCommand } from '@aws-sdk/client-cognito-identity-provider';
import type { Browser, Page } from 'playwright-core';
import { emulatorClient, SEED_USERS } from '@backend/local-cognito';
import { launchChromium, screenshots } from './support/browser.js';
import { allowWebCallback } from './support/cognito.js';
import { FakePool } from './support/fake-pool.js';
import { call } from './support/http.js';
import { firstSignIn, outboxCode } from './support/invitations.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { waitFor } from './support/wait-for.js';

const STEP_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 90_000;
const HELPERS = 'helpers';

/**
 * People in the pool from the /admin page in headless Chromium: an invitation through to the
 * first sign-in, groups, the pool's side of deactivation, the pool's accounts, and a server the
 * pool refuses (the features greyed out with the reason).
 */
describe('The /admin page manages people in the pool', () => {
  let sut: TestApp;
  let browser: Browser;
  let page: Page;
  const shot = screenshots('admin-people');
  const userRow = (username: string) => page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  const sheet = () => page.locator('[data-testid="user-dialog"]');

  /** Shows the users table filtered to one username, freshly loaded. */
  async function search(username: string): Promise<void> {
    const box = page.getByRole('searchbox', { name: 'Search users' });
    await box.fill('');
    await box.fill(username);
  }

  beforeAll(async () => {
    const stack = testStack();
    const cognito = emulatorClient(stack.emulatorEndpoint);
    try {
      await cognito.send(new CreateGroupCommand({ UserPoolId: stack.userPoolId, GroupName: HELPERS }));
    } catch (error) {
      if ((error as Error).name !== 'GroupExistsException') throw error;
    } finally {
      cognito.destroy();
    }
    sut = await startTestApp({ env: { COGNITO_DOMAIN: stack.emulatorEndpoint, COGNITO_WEB_CLIENT_ID: stack.webClientId } });
    await allowWebCallback(`${sut.url}/admin`);
    browser = await launchChromium();
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await page.goto(`${sut.url}/admin`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL((url) => url.pathname === '/oauth2/authorize');
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill(SEED_USERS.find((user) => user.username === 'admin')!.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${sut.url}/admin`);
    await page.getByTestId('invite').waitFor();
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it(
    'invites a person, who is listed as invited until their first sign-in, then manages their groups and account',
    async () => {
      const username = `guest-${randomUUID().slice(0, 8)}`;
      await page.getByTestId('invite').click();
      const form = page.getByTestId('invite-dialog');
      await form.locator('input[name="email"]').fill(`${username}@example.org`);
      await form.locator('input[name="username"]').fill(username);
      await form.locator('input[name="firstName"]').fill('Gina');
      await form.locator('input[name="lastName"]').fill('Guest');
      await form.locator(`input[name="group"][value="${HELPERS}"]`).check();
      await shot(page, 'invite');
      await page.getByTestId('send-invitation').click();
      await page.getByText(`Invitation sent to ${username}@example.org.`).waitFor();
      await search(username);
      await userRow(username).getByText('Invited').waitFor();

      const { accessToken, challenge } = await firstSignIn(username, await outboxCode(username, 'invitation'), 'Guest-pass-1');
      expect(challenge).toBe('NEW_PASSWORD_REQUIRED');
      expect((await call(`${sut.url}/api/v1/me`, { token: accessToken })).status).toBe(200);
      await waitFor(
        async () => {
          await search(username);
          await userRow(username).getByText('Active').waitFor({ timeout: 1000 });
        },
        { timeout: 10_000, message: 'the invited person to show as active' },
      );
      await expect(userRow(username).count()).resolves.toBe(1);

      await userRow(username).click();
      await sheet().getByTestId('group-chip').filter({ hasText: HELPERS }).waitFor();
      // A server the pool lets make every call greys nothing out.
      await expect(sheet().locator('[data-denied]').count()).resolves.toBe(0);
      await expect(sheet().getByTestId('pool-denied').count()).resolves.toBe(0);
      await expect(sheet().getByTestId('reset-password').isEnabled()).resolves.toBe(true);
      await sheet().getByTestId('group-select').selectOption('admin');
      await sheet().getByTestId('add-group').click();
      await sheet().getByTestId('group-chip').filter({ hasText: 'admin' }).waitFor();
      expect(await sheet().getByTestId('groups-note').textContent()).toMatch(/next token/);
      await sheet().getByTestId('groups-sign-out').waitFor();
      await shot(page, 'groups');
      await sheet().getByTestId('remove-group-admin').click();
      await page.getByText('Removed from admin.').waitFor();
      await expect(sheet().getByTestId('group-chip').allTextContents()).resolves.toEqual([`${HELPERS}×`]);

      await sheet().getByTestId('deactivate').click();
      expect(await page.getByRole('alertdialog').textContent()).toContain('disabled in the user pool');
      await page.getByTestId('confirm').click();
      await page.getByText(`${username} was deactivated. Their pool account is disabled.`).waitFor();
      await page.keyboard.press('Escape');

      await page.getByRole('tab', { name: 'Pool accounts' }).click();
      await page.getByTestId('pool-filter').fill(username);
      const poolRow = page.locator(`[data-testid="pool-row"][data-username="${username}"]`);
      await poolRow.getByText('Disabled').waitFor();
      expect(await poolRow.getByTestId('pool-status').textContent()).toContain('Confirmed');
      await shot(page, 'pool-accounts');
      await poolRow.getByRole('button', { name: /Open/ }).click();
      await sheet().getByTestId('erase').click();
      await page.getByTestId('confirm').click();
      await page.getByText(`${username} was erased and deleted from the user pool.`).waitFor();
      await page.getByTestId('pool-filter').fill('');
      await page.getByTestId('pool-filter').fill(username);
      await page.getByTestId('pool-empty').waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  describe('against a pool that refuses this server', () => {
    let pool: FakePool;
    let refused: TestApp;

    beforeAll(async () => {
      pool = await new FakePool().start();
      refused = await startTestApp({ env: pool.env() });
      pool.attributes.set('boss-sub', { username: 'boss', email: 'boss@example.org', given_name: 'Bo', family_name: 'Boss' });
      pool.attributes.set('target-sub', { username: 'target', email: 'target@example.org', given_name: 'Tara', family_name: 'Target' });
      expect((await call(`${refused.url}/api/v1/me`, { token: pool.mint({ sub: 'target-sub', username: 'target' }) })).status).toBe(200);
      pool.deniedActions.add('*');
    });
    afterAll(async () => {
      await refused?.close();
      await pool?.stop();
    });

    it(
      'greys a refused feature out with the reason, and says what a deactivation could not do in the pool',
      async () => {
        const token = pool.mint({
          sub: 'boss-sub',
          username: 'boss',
          'cognito:groups': ['admin'],
          exp: Math.floor(Date.now() / 1000) + 3600,
        });
        const other = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        const p = await other.newPage();
        p.setDefaultTimeout(STEP_TIMEOUT_MS);
        // The page takes tokens from the fragment too (the implicit grant's callback): this pool has no sign-in page.
        await p.goto(`${refused.url}/admin#access_token=${token}`);
        await p.locator('[data-testid="user-row"][data-username="target"]').click();
        const dialog = p.locator('[data-testid="user-dialog"]');
        // The groups section asked the pool and was refused: it says why.
        await dialog.getByTestId('pool-denied').getByText('cognito-idp:AdminListGroupsForUser').waitFor();

        // Not greyed out before the server has been refused that call: it may have been granted since.
        await expect(dialog.getByTestId('reset-password').isEnabled()).resolves.toBe(true);
        await expect(dialog.getByTestId('reset-password').getAttribute('data-denied')).resolves.toBeNull();
        await dialog.getByTestId('reset-password').click();
        await p.getByTestId('confirm').click();
        await dialog
          .getByText(/cognito-idp:AdminResetUserPassword/)
          .first()
          .waitFor();
        const reset = dialog.getByTestId('reset-password');
        await expect(reset.isDisabled()).resolves.toBe(true);
        await expect(reset.getAttribute('title')).resolves.toContain('cognito-idp:AdminResetUserPassword');
        await shot(p, 'greyed-out');

        // A page opened later learns the refusals from the server (/pool-access) and greys the feature out untried.
        const later = await other.newPage();
        later.setDefaultTimeout(STEP_TIMEOUT_MS);
        await later.goto(`${refused.url}/admin#access_token=${token}`);
        await later.locator('[data-testid="user-row"][data-username="target"]').click();
        const laterReset = later.locator('[data-testid="user-dialog"] [data-testid="reset-password"][data-denied="true"]');
        await laterReset.waitFor();
        await expect(laterReset.isDisabled()).resolves.toBe(true);
        await expect(laterReset.getAttribute('title')).resolves.toContain('cognito-idp:AdminResetUserPassword');
        await later.close();

        await dialog.getByTestId('deactivate').click();
        await p.getByTestId('confirm').click();
        await p
          .getByText(/Tara Target was deactivated\. Not in the user pool: .*cognito-idp:AdminDisableUser/)
          .or(p.getByText(/target was deactivated\. Not in the user pool: .*cognito-idp:AdminDisableUser/))
          .waitFor();
        const [row] = await refused.db.query<{ is_active: boolean }>("SELECT is_active FROM users WHERE sub = 'target-sub'");
        expect(row.is_active).toBe(false);
        await other.close();
      },
      TEST_TIMEOUT_MS,
    );
  });
});
