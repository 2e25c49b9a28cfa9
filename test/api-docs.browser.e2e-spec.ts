import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser.js';
import { signIn } from './support/cognito.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const ME = '#operations-me-MeController_me';

/** Swagger UI in a real browser, under the policy the server sends: what a developer sees. */
describe('Swagger UI in headless Chromium', () => {
  let api: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    api = await startTestApp();
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(10_000);
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`),
      ),
    );
    page.on('console', (message) => {
      if (message.text().startsWith('CSP violation')) problems.push(message.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  async function execute(): Promise<{ status: string; body: string; curl: string }> {
    await page.locator(`${ME} button.execute`).click();
    const status = page.locator(`${ME} .live-responses-table tbody .response-col_status`).first();
    await status.waitFor();
    return {
      status: (await status.textContent())?.trim() ?? '',
      body: (await page.locator(`${ME} .live-responses-table .microlight`).first().textContent()) ?? '',
      curl: (await page.locator(`${ME} .curl`).first().textContent()) ?? '',
    };
  }

  it('shows the operations with no script blocked by the policy', async () => {
    await page.goto(`${api.url}/api/docs`);
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/me' }).first().waitFor();
    expect(problems).toEqual([]);
  });

  it('takes a token once in Authorize and sends it with "Try it out"', async () => {
    const { accessToken } = await signIn('alice');
    await page.locator('.auth-wrapper button.authorize').click();
    // The bearer scheme comes first; the client-credentials scheme of the users API follows it.
    await page.locator('.modal-ux input').first().fill(accessToken);
    await page.getByRole('button', { name: 'Apply credentials', exact: true }).click();
    await page.locator('.modal-ux button.btn-done').first().click();

    await page.locator(`${ME} .opblock-summary`).click();
    await page.locator(`${ME} button.try-out__btn`).click();
    const response = await execute();
    expect(response.curl).toContain('Authorization: Bearer ey');
    expect(response.status).toBe('200');
    expect(response.body).toContain('"username": "alice"');
  });

  it('still has the token when the page is opened again', async () => {
    await page.goto(`${api.url}/api/docs`);
    await page.locator('.auth-wrapper button.authorize.locked').waitFor();
    await page.locator(`${ME} .opblock-summary`).click();
    await page.locator(`${ME} button.try-out__btn`).click();
    const response = await execute();
    expect(response.status).toBe('200');
    expect(problems).toEqual([]);
  });
});
