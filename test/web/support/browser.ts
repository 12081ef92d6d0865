import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { TestApp } from '../../support/test-app';

/** Debian's Chromium; `npx playwright install` cannot download a browser here. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** How long a browser expectation waits before failing. */
export const UI_TIMEOUT_MS = 10_000;

const ROOT = join(__dirname, '..', '..', '..');

/**
 * Builds the client into public/ (esbuild, well under a second), so that `npm test` needs no
 * earlier build step. Old assets are kept: several suites may build at once. The type check is
 * left to `npm run build`.
 */
export function buildClient(): void {
  execFileSync(
    process.execPath,
    [join(ROOT, 'client', 'scripts', 'build.mjs'), '--quiet', '--keep-stale', '--no-check'],
    {
      cwd: ROOT,
      stdio: 'inherit',
    },
  );
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** What page callbacks use of the browser's globals (the tests' tsconfig has no DOM library). */
export interface PageWindow {
  localStorage: { getItem(key: string): string | null };
  getComputedStyle(element: unknown): { backgroundColor: string };
  document: {
    body: unknown;
    title: string;
    documentElement: { scrollWidth: number };
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  __csp?: string[];
}

/** A browser tab with what it reported: page errors, dialogs, CSP violations, requested URLs. */
export interface Client {
  context: BrowserContext;
  page: Page;
  errors: string[];
  dialogs: string[];
  urls: string[];
  cspViolations: () => Promise<string[]>;
}

export interface ClientOptions {
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** A touch screen (taps, and no hover). */
  hasTouch?: boolean;
}

export async function openClient(
  browser: Browser,
  app: TestApp,
  { viewport = { width: 1280, height: 800 }, colorScheme = 'light', hasTouch }: ClientOptions = {},
): Promise<Client> {
  const context = await browser.newContext({
    viewport,
    colorScheme,
    hasTouch,
    locale: 'en-US',
    timezoneId: 'UTC',
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  const client: Client = {
    context,
    page,
    errors: [],
    dialogs: [],
    urls: [],
    cspViolations: () => page.evaluate(() => (globalThis as unknown as PageWindow).__csp ?? []),
  };
  await context.addInitScript(() => {
    const seen: string[] = [];
    const browserWindow = globalThis as unknown as PageWindow;
    browserWindow.__csp = seen;
    browserWindow.document.addEventListener('securitypolicyviolation', (event) => {
      seen.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('pageerror', (error) => client.errors.push(error.message));
  page.on('dialog', (dialog) => {
    client.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (request) => client.urls.push(request.url()));
  page.on('websocket', (socket) => client.urls.push(socket.url()));
  await page.goto(app.url);
  return client;
}

/**
 * The Chromium of a suite, with the client built first: registers the suite's hooks, and `open`
 * gives a tab that is closed after the test. `browser()` is the browser itself, for other contexts.
 */
export function browserForSuite(): {
  browser: () => Browser;
  open: (app: TestApp, options?: ClientOptions) => Promise<Client>;
} {
  let browser: Browser | undefined;
  const clients: Client[] = [];
  beforeAll(async () => {
    buildClient();
    browser = await launchBrowser();
  });
  afterEach(() => closeClients(clients));
  afterAll(() => browser?.close());
  return {
    browser: () => browser!,
    open: async (app, options) => {
      const client = await openClient(browser!, app, options);
      clients.push(client);
      return client;
    },
  };
}

export async function closeClients(clients: Client[]): Promise<void> {
  await Promise.all(clients.splice(0).map((client) => client.context.close()));
}

async function authenticate(
  page: Page,
  username: string,
  password: string,
  button: 'Sign in' | 'Create account',
): Promise<void> {
  const form = page.locator('#auth-form');
  await form.getByLabel('Username').fill(username);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: button }).click();
  await connected(page);
}

export const PASSWORD = 'correct horse battery';

/** Creates an account through the sign-in screen and waits for the live connection. */
export function signUp(page: Page, username: string): Promise<void> {
  return authenticate(page, username, PASSWORD, 'Create account');
}

export function signIn(page: Page, username: string, password = PASSWORD): Promise<void> {
  return authenticate(page, username, password, 'Sign in');
}

export async function connected(page: Page): Promise<void> {
  await page.locator('#app-view').waitFor({ state: 'visible' });
  await page.locator('#conn[data-state="connected"]').waitFor({ state: 'attached' });
}

/** The room's button in the sidebar (joined or not). */
export function roomButton(page: Page, name: string): Locator {
  return page.locator('.room').filter({ has: page.getByText(name, { exact: true }) });
}

export async function openRoom(page: Page, name: string): Promise<void> {
  await roomButton(page, name).click();
  await page.locator('#room-title').filter({ hasText: name }).waitFor();
}

export async function createRoomInUi(page: Page, name: string, isPrivate = false): Promise<void> {
  await page.getByRole('button', { name: 'Create a room' }).first().click();
  const dialog = page.getByRole('dialog', { name: 'Create a room' });
  await dialog.getByLabel('Name').fill(name);
  if (isPrivate) await dialog.getByLabel(/Private room/).check();
  await dialog.getByRole('button', { name: 'Create room' }).click();
  await page.locator('#room-title').filter({ hasText: name }).waitFor();
  await page.locator('#composer').waitFor({ state: 'visible' });
}

export async function joinRoomInUi(page: Page, name: string): Promise<void> {
  await openRoom(page, name);
  await page.getByRole('button', { name: 'Join room' }).click();
  await page.locator('#composer').waitFor({ state: 'visible' });
  // Listed among the joined rooms; at narrow widths that list sits in the closed drawer.
  await page
    .locator('#joined-rooms .room')
    .filter({ hasText: name })
    .waitFor({ state: 'attached' });
}

/** Types into the composer and sends with Enter. */
export async function send(page: Page, text: string): Promise<void> {
  const input = page.getByRole('textbox', { name: 'Message' });
  await input.fill(text);
  await input.press('Enter');
}

/** The message in the list whose text is exactly `text`. */
export function message(page: Page, text: string): Locator {
  return page.locator('#message-list .msg').filter({
    has: page.locator('.msg-content').getByText(text, { exact: true }),
  });
}

/**
 * Waits until `text` is shown as a confirmed (sent) message, at most `timeoutMs`; a failure says
 * what the page showed instead.
 */
export async function expectMessage(page: Page, text: string, timeoutMs = 10_000): Promise<void> {
  try {
    await message(page, text)
      .and(page.locator('[data-state="sent"]'))
      .waitFor({ timeout: timeoutMs });
  } catch (error) {
    const shown = await page
      .locator('#message-list .msg')
      .evaluateAll((items) =>
        items.map((item) => `${item.getAttribute('data-state')}: ${item.textContent ?? ''}`),
      );
    const connection = await page.locator('#conn').getAttribute('data-state');
    throw new Error(
      `"${text}" was not shown as sent; connection ${connection}; the list: ${JSON.stringify(shown)}`,
      { cause: error },
    );
  }
}

/**
 * Waits until an element the locator matches has `expected` in its text (case-sensitive). The
 * locator is matched afresh until then: the client rebuilds lists (rooms, badges, members) on
 * every change, so an element found before the awaited change may be replaced, never updated.
 */
export async function waitForText(locator: Locator, expected: string | RegExp): Promise<void> {
  const pattern =
    typeof expected === 'string'
      ? new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      : expected;
  await locator.filter({ hasText: pattern }).first().waitFor({ state: 'attached' });
}
