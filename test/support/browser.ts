import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (apt-get install chromium; .ci/run installs it when missing). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Root needs --no-sandbox; the other flags keep Chromium off a network that this machine does not have.
 * Without a system Chromium, the one inside the @sparticuz/chromium package (a devDependency).
 */
export async function launchChromium(): Promise<Browser> {
  if (existsSync(CHROMIUM)) return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
  const { default: packaged } = await import('@sparticuz/chromium');
  // Its --single-process (made for AWS Lambda) ends the whole browser when a test closes a context.
  const args = packaged.args.filter((arg) => arg !== '--single-process');
  return chromium.launch({ executablePath: await packaged.executablePath(), headless: true, args: [...new Set([...args, ...FLAGS])] });
}

/** Saves numbered full-page screenshots under test-output/<folder>/ (gitignored), to look at after a run. */
export function screenshots(folder: string): (page: Page, name: string) => Promise<void> {
  const dir = join(process.cwd(), 'test-output', folder);
  rmSync(dir, { recursive: true, force: true }); // no stale pictures from an earlier run
  mkdirSync(dir, { recursive: true });
  let step = 0;
  return async (page, name) => {
    step += 1;
    await page.screenshot({ path: join(dir, `${String(step).padStart(2, '0')}-${name}.png`), fullPage: true });
  };
}

/**
 * Problems a page reports: script errors, console errors (content-security-policy violations among
 * them) and error answers, each named by its URL.
 */
export function collectPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // Chromium's own line for an error answer has no URL; the response listener names it instead.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) problems.push(`console: ${message.text()}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return problems;
}
