import type { Browser, BrowserContext, Page } from 'playwright-core';
import { SEED_USERS } from '@backend/local-cognito';
import { collectPageProblems, launchChromium, screenshots } from './support/browser.js';
import { allowWebCallback, createPoolUser, signIn, updatePoolAttributes } from './support/cognito.js';
import { call } from './support/http.js';
import { testStack } from './support/stack-env.js';
import { startTestApp, type TestApp } from './support/test-app.js';
import { insertUsers } from './support/users.js';

/** One browser step (a click, a page load); a whole test gets a few of them, on a busy machine too. */
const STEP_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 60_000;

/** Enough other users for a second page, a few of them deactivated, as a real pool would have. */
const CROWD = [
  'Grace Hopper',
  'Alan Turing',
  'Katherine Johnson',
  'Linus Torvalds',
  'Margaret Hamilton',
  'Dennis Ritchie',
  'Barbara Liskov',
  'Ken Thompson',
  'Frances Allen',
  'Edsger Dijkstra',
  'Radia Perlman',
  'Donald Knuth',
  'Hedy Lamarr',
  'John McCarthy',
  'Shafi Goldwasser',
  'Tim Berners-Lee',
  'Adele Goldberg',
  'Guido van Rossum',
  'Sophie Wilson',
  'Bjarne Stroustrup',
  'Jean Sammet',
  'Niklaus Wirth',
].map((name, i) => {
  const [firstName, ...rest] = name.split(' ');
  const username = name.toLowerCase().replace(/[^a-z]+/g, '.');
  return {
    username,
    firstName,
    lastName: rest.join(' '),
    email: `${username}@example.org`,
    isActive: i % 7 !== 3,
    createdAt: new Date(Date.now() - (i + 1) * 86_400_000 * 3),
  };
});

/**
 * The /admin page in real headless Chromium, signed in through the Cognito emulator's login form
 * (authorization code + PKCE), against the real server and database.
 */
describe('The /admin page in a browser', () => {
  let sut: TestApp;
  let browser: Browser;
  let adminContext: BrowserContext;
  let page: Page;
  let problems: string[];
  let aliceToken: string;
  const shot = screenshots('admin-page');

  const me = (token: string) => call(`${sut.url}/api/v1/me`, { token });
  const userRow = (p: Page, username: string) => p.locator(`[data-testid="user-row"][data-username="${username}"]`);
  const dialog = (p: Page) => p.locator('[data-testid="user-dialog"]');
  /** Waits for the toast an action in the sheet ends with; when the server refused it, fails with the sheet's error instead. */
  async function toastAfterAction(p: Page, text: string): Promise<void> {
    const done = p.getByText(text);
    const refused = dialog(p).getByRole('alert');
    await done.or(refused).first().waitFor();
    if (!(await done.isVisible())) throw new Error(`Expected "${text}", the sheet shows: ${await refused.first().textContent()}`);
  }
  /** The emulator's login page has no favicon; that is not ours to fix. */
  const unexpected = (problem: string) => problem !== `HTTP 404 GET ${testStack().emulatorEndpoint}/favicon.ico`;

  /** Opens /admin and signs in through the emulator's login form, as a person would. */
  async function signInThroughForm(p: Page, username: string): Promise<void> {
    const password = SEED_USERS.find((user) => user.username === username)!.password;
    await p.goto(`${sut.url}/admin`);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL((url) => url.pathname === '/oauth2/authorize');
    expect(new URL(p.url()).origin).toBe(testStack().emulatorEndpoint);
    await p.locator('input[name="username"]').fill(username);
    await p.locator('input[name="password"]').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.waitForURL(`${sut.url}/admin`);
    await p.locator('#profile-title').waitFor();
  }

  beforeAll(async () => {
    const stack = testStack();
    sut = await startTestApp({ env: { COGNITO_DOMAIN: stack.emulatorEndpoint, COGNITO_WEB_CLIENT_ID: stack.webClientId } });
    await allowWebCallback(`${sut.url}/admin`);
    await insertUsers(sut.db, CROWD);
    // Alice needs a row to show up in the table: her first API call creates it.
    aliceToken = (await signIn('alice')).accessToken;
    expect((await me(aliceToken)).status).toBe(200);
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    page = await adminContext.newPage();
    page.setDefaultTimeout(STEP_TIMEOUT_MS);
    problems = collectPageProblems(page);
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
    await sut?.close();
  });

  it(
    'serves the page with a content security policy that allows no inline script',
    async () => {
      const response = await fetch(`${sut.url}/admin`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = response.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1];
      expect(scriptSrc).toBe("'self'");
      expect(csp).toContain("script-src-attr 'none'");
      expect(csp).toMatch(new RegExp(`connect-src 'self' ${testStack().emulatorEndpoint}(;|$)`));
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      const html = await response.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
      expect(html).not.toMatch(/\son[a-z]+=/);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'signs an admin in through the pool login form and shows the users table',
    async () => {
      await page.goto(`${sut.url}/admin`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await shot(page, 'signed-out');

      await signInThroughForm(page, 'admin');
      // The code and state are gone from the address bar.
      expect(page.url()).toBe(`${sut.url}/admin`);
      await userRow(page, 'alice').waitFor();
      expect(await page.locator('#profile-title').textContent()).toBe('Ada Admin');
      await shot(page, 'admin-signed-in');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'pages through the table and filters it on the active state',
    async () => {
      const range = page.locator('.pager-range');
      expect(await range.textContent()).toBe(`1–20 of ${CROWD.length + 2}`);
      await page.getByRole('button', { name: 'Next →' }).click();
      await page.getByText(`21–${CROWD.length + 2} of ${CROWD.length + 2}`).waitFor();
      expect(await page.locator('[data-testid="user-row"]').count()).toBe(CROWD.length + 2 - 20);

      await page.getByRole('button', { name: 'Deactivated', exact: true }).click();
      const deactivated = CROWD.filter((user) => !user.isActive).length;
      await page.getByText(`1–${deactivated} of ${deactivated}`).waitFor();
      const statuses = await page.locator('[data-testid="user-row"] .badge').allTextContents();
      expect(statuses).toEqual(Array(deactivated).fill('Deactivated'));
      await shot(page, 'deactivated-filter');
      await page.getByRole('button', { name: 'All', exact: true }).click();
      await page.getByText(`1–20 of ${CROWD.length + 2}`).waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'finds alice with the search box',
    async () => {
      await page.getByRole('searchbox', { name: 'Search users' }).fill('alice');
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-row"]').length === 1);
      await expect(userRow(page, 'alice').textContent()).resolves.toContain('alice@example.com');
      await expect(userRow(page, 'alice').textContent()).resolves.toContain('Active');
      await shot(page, 'search-alice');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'deactivates alice after a confirmation, and her token is refused at once',
    async () => {
      await userRow(page, 'alice').click();
      await dialog(page).waitFor();
      await shot(page, 'alice-opened');

      await page.getByTestId('deactivate').click();
      await page.getByRole('alertdialog').waitFor();
      expect(await page.getByRole('alertdialog').textContent()).toContain('Deactivate alice?');
      await shot(page, 'confirm-deactivation');
      // Nothing happens before the confirmation.
      expect((await me(aliceToken)).status).toBe(200);

      await page.getByTestId('confirm').click();
      await page.getByTestId('reactivate').waitFor();
      await dialog(page).locator('[data-testid="audit-row"]').first().waitFor();
      expect(await dialog(page).locator('.sheet-title').textContent()).toContain('Deactivated');
      await shot(page, 'alice-deactivated');

      const refused = await me(aliceToken);
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('account_disabled');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'reactivates alice, whose token works again',
    async () => {
      await page.getByTestId('reactivate').click();
      await page.getByTestId('confirm').click();
      await page.getByTestId('deactivate').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-dialog"] [data-testid="audit-row"]').length === 2);
      await shot(page, 'alice-reactivated');
      expect((await me(aliceToken)).status).toBe(200);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "shows the API's refusal of a bad edit as a readable message, then saves a good one",
    async () => {
      await page.getByRole('button', { name: 'Edit profile' }).click();
      const phone = page.locator('input[name="phone"]');
      await phone.fill('12345');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toBe('Not saved: phone must be in E.164 format, e.g. +14155550123');
      // The field the API named is marked and focused; the others are not.
      expect(await phone.getAttribute('aria-invalid')).toBe('true');
      expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)).toBe('phone');
      expect(await page.locator('input[aria-invalid="true"]').count()).toBe(1);
      await shot(page, 'edit-refused');

      await phone.fill('+14155550123');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-dialog"] [data-testid="audit-row"]').length === 3);
      expect(await dialog(page).locator('.details').textContent()).toContain('+14155550123');
      const [row] = await sut.db.query('SELECT phone FROM users WHERE username = $1', ['alice']);
      expect(row.phone).toBe('+14155550123');

      await page.getByRole('button', { name: 'Close' }).click();
      await expect(userRow(page, 'alice').textContent()).resolves.toContain('Active');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'shows every change in the audit trail, newest first',
    async () => {
      await page.getByRole('tab', { name: 'Audit trail' }).click();
      await page.waitForFunction(() => document.querySelectorAll('.audit [data-testid="audit-row"]').length === 3);
      const rows = await page.locator('.audit [data-testid="audit-row"]').allTextContents();
      expect(rows[0]).toMatch(/admin.*Profile edited.*alice.*Phone.*empty.*\+14155550123/);
      expect(rows[1]).toMatch(/admin.*Reactivated.*alice/);
      expect(rows[2]).toMatch(/admin.*Deactivated.*alice/);
      await shot(page, 'audit-trail');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'says which filter emptied the list, and sorts by last seen',
    async () => {
      await page.getByRole('tab', { name: 'Users' }).click();
      await page.getByRole('searchbox', { name: 'Search users' }).fill('');
      await page.locator('.pager-range').waitFor();
      const deactivated = CROWD.filter((user) => !user.isActive).map((user) => user.username);
      await sut.db.query('UPDATE users SET is_active = true WHERE username = ANY($1)', [deactivated]);
      try {
        await page.getByRole('button', { name: 'Deactivated', exact: true }).click();
        // The cleared search reaches the list after its typing delay: wait for the list it settles on.
        await page
          .getByTestId('empty')
          .filter({ hasText: /^No deactivated users\.$/ })
          .waitFor();
        await shot(page, 'no-deactivated-users');
      } finally {
        await sut.db.query('UPDATE users SET is_active = false WHERE username = ANY($1)', [deactivated]);
      }
      await page.getByRole('button', { name: 'All', exact: true }).click();
      await page.getByTestId('sort-lastSeenAt').click();
      await page.locator('th[aria-sort="descending"] [data-testid="sort-lastSeenAt"]').waitFor();
      // Admin and alice have called the API; the crowd never has (shown last, as "never").
      const seen = await page.locator('[data-testid="user-row"] [data-testid="last-seen"]').allTextContents();
      expect(seen.slice(0, 2).every((text) => text !== 'never')).toBe(true);
      expect(seen.slice(2)).toEqual(Array(seen.length - 2).fill('never'));
      await page.getByTestId('not-seen-filter').selectOption('7');
      await page.waitForFunction(() => !document.querySelector('.results[aria-busy]'));
      await expect(userRow(page, 'alice').count()).resolves.toBe(0);
      await page.getByTestId('not-seen-filter').selectOption('');
      await page.getByTestId('sort-createdAt').click();
      await userRow(page, 'alice').waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "refreshes a user from the pool, signs them out everywhere and erases them, each after the admin's click",
    async () => {
      const email = `page-${Date.now()}@example.com`;
      const other = await createPoolUser({ attributes: { email, email_verified: 'true', given_name: 'Paige' } });
      const tokens = await signIn(other.username, other.password);
      const id = (await me(tokens.accessToken)).body.id as string;
      await updatePoolAttributes(other.username, { email: `renamed-${email}` });

      await page.getByRole('button', { name: 'All', exact: true }).click();
      await page.getByRole('searchbox', { name: 'Search users' }).fill(other.username);
      await userRow(page, other.username).click();
      await dialog(page).waitFor();
      await page.getByTestId('refresh-from-pool').click();
      await toastAfterAction(page, `${other.username} was refreshed from the pool.`);
      expect(await dialog(page).locator('.details').textContent()).toContain(`renamed-${email}`);

      await page.getByTestId('sign-out-everywhere').click();
      expect(await page.getByRole('alertdialog').textContent()).toContain(`Sign ${other.username} out everywhere?`);
      expect((await me(tokens.accessToken)).status).toBe(200); // nothing before the confirmation
      await page.getByTestId('confirm').click();
      await toastAfterAction(page, `${other.username} was signed out everywhere`);
      expect((await me(tokens.accessToken)).body.code).toBe('token_revoked');
      await shot(page, 'signed-out-everywhere');

      await page.getByTestId('erase').click();
      expect(await page.getByRole('alertdialog').textContent()).toContain(`Erase ${other.username}?`);
      await shot(page, 'confirm-erasure');
      const [before] = await sut.db.query('SELECT email FROM users WHERE id = $1', [id]);
      expect(before.email).toBe(`renamed-${email}`);
      await page.getByTestId('confirm').click();
      await page.getByText(`${other.username} was erased and deleted from the user pool.`).waitFor();
      await dialog(page).waitFor({ state: 'hidden' });
      await page.getByTestId('empty').waitFor();
      const [after] = await sut.db.query('SELECT email, username FROM users WHERE id = $1', [id]);
      expect(after).toEqual({ email: null, username: null });
      await page.getByRole('searchbox', { name: 'Search users' }).fill('');
      await userRow(page, 'alice').waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'works 390 px wide without sideways scrolling, and offers no erasure of oneself',
    async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      try {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_TIMEOUT_MS);
        const tokens = await signIn('admin');
        await phone.goto(`${sut.url}/admin#access_token=${tokens.accessToken}`);
        await userRow(phone, 'alice').waitFor();
        const overflow = () => phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        const tableOverflow = () =>
          phone.evaluate(() => {
            const wrap = document.querySelector('.table-wrap');
            return wrap ? wrap.scrollWidth - wrap.clientWidth : 0;
          });
        expect(await overflow()).toBe(0);
        expect(await tableOverflow()).toBe(0);
        await shot(phone, 'narrow-users');
        await userRow(phone, 'admin').click();
        await dialog(phone).waitFor();
        expect(await overflow()).toBe(0);
        await expect(phone.getByTestId('erase').isDisabled()).resolves.toBe(true);
        await shot(phone, 'narrow-sheet');
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'copies a working access token and signs out',
    async () => {
      await adminContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: sut.url });
      await page.getByTestId('copy-token').click();
      await page.getByText('Copied ✓').waitFor();
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      const response = await me(copied);
      expect(response.status).toBe(200);
      expect(response.body.username).toBe('admin');

      await page.getByTestId('sign-out').click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([]);
      await page.reload();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'tells a signed-in member that they are not an admin, and shows nothing of the admin tools',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
      try {
        const alicePage = await context.newPage();
        alicePage.setDefaultTimeout(STEP_TIMEOUT_MS);
        const aliceProblems = collectPageProblems(alicePage);
        await signInThroughForm(alicePage, 'alice');
        await alicePage.getByTestId('not-admin').waitFor();
        expect(await alicePage.getByTestId('not-admin').textContent()).toContain('You are not an admin');
        expect(await alicePage.locator('#profile-title').textContent()).toBe('Alice Liddell');
        await expect(alicePage.getByTestId('copy-token').isVisible()).resolves.toBe(true);
        expect(await alicePage.locator('.console, [data-testid="user-row"], .audit').count()).toBe(0);
        await shot(alicePage, 'alice-not-admin');
        // The API's 403 is how the page learns that alice is no admin.
        expect(aliceProblems.filter(unexpected)).toEqual([`HTTP 403 GET ${sut.url}/api/v1/admin/users?page=1&pageSize=20`]);
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'takes tokens from the URL fragment and clears it from the address bar, but no code it did not ask for',
    async () => {
      const context = await browser.newContext();
      try {
        const fragmentPage = await context.newPage();
        fragmentPage.setDefaultTimeout(STEP_TIMEOUT_MS);
        const tokens = await signIn('alice');
        await fragmentPage.goto(
          `${sut.url}/admin#access_token=${tokens.accessToken}&id_token=${tokens.idToken}&token_type=Bearer&expires_in=3600`,
        );
        await fragmentPage.getByTestId('not-admin').waitFor();
        expect(fragmentPage.url()).toBe(`${sut.url}/admin`);
        expect(await fragmentPage.evaluate(() => JSON.parse(sessionStorage.getItem('admin.tokens') ?? '{}').accessToken)).toBe(
          tokens.accessToken,
        );

        // A code this tab did not ask for (a forged or replayed callback) is not exchanged.
        const forged = await context.newPage();
        forged.setDefaultTimeout(STEP_TIMEOUT_MS);
        await forged.goto(`${sut.url}/admin?code=stolen-code&state=someone-elses`);
        await forged.getByRole('alert').waitFor();
        expect(await forged.getByRole('alert').textContent()).toBe(
          'This sign-in answer does not match a sign-in started in this tab. Please sign in again.',
        );
        expect(forged.url()).toBe(`${sut.url}/admin`);
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'tells a deactivated user so, and sends someone with a refused token back to sign-in',
    async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 600 } });
      try {
        const other = await createPoolUser();
        const tokens = await signIn(other.username, other.password);
        const id = (await me(tokens.accessToken)).body.id as string;
        const adminToken = (await signIn('admin')).accessToken;
        expect(
          (await call(`${sut.url}/api/v1/admin/users/${id}`, { method: 'PATCH', token: adminToken, body: { isActive: false } })).status,
        ).toBe(200);

        const disabledPage = await context.newPage();
        disabledPage.setDefaultTimeout(STEP_TIMEOUT_MS);
        await disabledPage.goto(`${sut.url}/admin#access_token=${tokens.accessToken}`);
        await disabledPage.getByRole('alert').waitFor();
        expect(await disabledPage.getByRole('alert').textContent()).toBe(
          'Your account has been deactivated. Ask an admin to reactivate it.',
        );
        expect(await disabledPage.getByTestId('copy-token').count()).toBe(0);
        await shot(disabledPage, 'deactivated-user');

        const refusedPage = await context.newPage();
        refusedPage.setDefaultTimeout(STEP_TIMEOUT_MS);
        await refusedPage.goto(`${sut.url}/admin#access_token=${tokens.accessToken.slice(0, -4)}AAAA`);
        await refusedPage.getByRole('button', { name: 'Sign in' }).waitFor();
        expect(await refusedPage.getByRole('alert').textContent()).toMatch(
          /^You have been signed out: The token signature does not verify/,
        );
        expect(await refusedPage.evaluate(() => sessionStorage.getItem('admin.tokens'))).toBeNull();
        await shot(refusedPage, 'refused-token');
      } finally {
        await context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it("ran the admin's whole session without script errors, policy violations or error answers", () => {
    // The one error answer is the bad edit that the page showed as a message.
    expect(problems.filter(unexpected)).toEqual([
      expect.stringMatching(new RegExp(`^HTTP 400 PATCH ${sut.url}/api/v1/admin/users/[0-9a-f-]{36}$`)),
    ]);
  });
});
