// Support for the console's end-to-end tests: build the console, drive Debian's
// Chromium through playwright-core (never a downloaded browser), check pages with axe,
// and keep screenshots under test-output/screenshots.
import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { ensureWebBuild, webBuildStale, webRoot } from '../../runtime/web-build';

export const repoRoot = path.resolve(__dirname, '..', '..');
export const screenshotDir = path.join(repoRoot, 'test-output', 'screenshots');
export const TIMEOUT = 15_000;

/** Builds web/dist when it is missing or older than its sources, as `npm start` does. */
export async function buildConsole(): Promise<void> {
  const quiet = { info: () => undefined, warn: (...args: unknown[]) => console.warn(...args) };
  await ensureWebBuild(quiet as never);
  const stale = webBuildStale();
  if (stale || !fs.existsSync(path.join(webRoot, 'dist', 'index.html'))) throw new Error(`the console did not build: ${stale ?? 'no index.html'}`);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const desktop: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'en-AU', timezoneId: 'Australia/Adelaide' };
export const phone: BrowserContextOptions = {
  viewport: { width: 360, height: 740 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'en-AU',
  timezoneId: 'Australia/Adelaide',
};

/** Everything that went wrong inside the pages: uncaught errors and console errors. */
export const pageErrors: string[] = [];

export async function openPage(browser: Browser, options: BrowserContextOptions, baseURL: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ...options, baseURL });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
  page.on('console', (message) => {
    // A stream cut when a test ends, or a refused request the page handles, is not a page error.
    if (message.type() === 'error' && !/EventSource|Failed to load resource/.test(message.text())) pageErrors.push(`console: ${message.text()}`);
  });
  return { context, page };
}

export async function signIn(page: Page, role: string): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(`${role}@demo.test`);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('banner').getByTestId('role').waitFor();
}

/** axe-core over the page as it is: no serious or critical WCAG 2.1 A/AA violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const bad = result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.impact} ${violation.id}: ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  if (bad.length) throw new Error(`axe found serious or critical violations on the ${name} page:\n${bad.join('\n')}`);
}

/** The page's scroll width: no wider than the viewport means nothing sticks out sideways. */
export const pageWidth = async (page: Page): Promise<number> => Number(await page.evaluate('document.documentElement.scrollWidth'));

export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  // From the top, so the sticky header sits where it belongs; toasts float, so leave them out.
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: file, fullPage, animations: 'disabled', style: '.toasts { visibility: hidden; }' });
  return file;
}

/** Marks the document; `stillSameDocument` is true only if the page has not reloaded since. */
export async function markDocument(page: Page): Promise<void> {
  await page.evaluate('window.__sameDocument = true');
}
export async function stillSameDocument(page: Page): Promise<boolean> {
  return (await page.evaluate('window.__sameDocument === true')) === true;
}

/** Retries an assertion until it holds (or the time is up): for what arrives live. */
export async function eventually(assertion: () => Promise<void> | void, timeout = TIMEOUT): Promise<void> {
  const deadline = Date.now() + timeout;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The card of the open task of this type on the project page. */
export const openTask = (page: Page, type: string) => page.getByTestId(`open-task-${type}`);

/** Waits until the project page shows this stage. */
export async function expectStage(page: Page, name: string): Promise<void> {
  await eventually(async () => expect(await page.getByTestId('project-stage').textContent()).toBe(name));
}
