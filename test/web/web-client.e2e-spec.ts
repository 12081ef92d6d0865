import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createRoom, sendMessage } from '../factories/rooms.factory';
import { registerUser, uniqueName } from '../factories/users.factory';
import { startApp, STORES, type TestApp } from '../support/test-app';
import {
  browserForSuite,
  connected,
  createRoomInUi,
  expectMessage,
  joinRoomInUi,
  message,
  openRoom,
  roomButton,
  send,
  signIn,
  signUp,
  waitForText,
  type Client,
  type PageWindow,
} from './support/browser';

jest.setTimeout(90_000);

const suite = browserForSuite();

function client(app: TestApp, viewport?: { width: number; height: number }): Promise<Client> {
  return suite.open(app, { viewport });
}

describe('web client: serving and security headers', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp('memory');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('serves the page at / with a strict CSP and no inline script or style', async () => {
    const response = await app.http().get('/').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    const host = new URL(app.url).host;
    expect(csp).toContain(`connect-src 'self' ws://${host} wss://${host}`);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    const html = response.text;
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/<style\b/i);
    expect(html).not.toMatch(/\sstyle=/i);
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('serves hashed bundles for good, and answers unknown files with the JSON 404', async () => {
    const page = (await app.http().get('/').expect(200)).text;
    const [script] = /\/assets\/app-[\w]+\.js/.exec(page) ?? [];
    const [style] = /\/assets\/styles-[\w]+\.css/.exec(page) ?? [];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    const js = await app.http().get(script!).set('accept-encoding', 'br').expect(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.headers['cache-control']).toContain('immutable');
    expect(js.headers['content-encoding']).toBe('br');
    const css = await app.http().get(style!).expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    const etag = (await app.http().get('/').expect(200)).headers.etag;
    await app.http().get('/').set('if-none-match', etag).expect(304);
    const missing = await app.http().get('/assets/nope-123.js').expect(404);
    expect(missing.body).toEqual({
      status_code: 404,
      code: 'not_found',
      message: expect.any(String),
    });
  });

  it('leaves the API alone: unknown /api routes keep the JSON 404; health and docs work', async () => {
    for (const path of ['/api/nope', '/api/rooms/1/nope', '/nope', '/index.html']) {
      const response = await app.http().get(path).expect(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual({
        status_code: 404,
        code: 'not_found',
        message: expect.any(String),
      });
    }
    await app.http().get('/health').expect(200);
    const docs = await app.http().get('/api/docs').redirects(1).expect(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    // Swagger UI needs inline script: the client's policy must not be applied there.
    expect(docs.headers['content-security-policy'] ?? '').not.toContain("script-src 'self'");
    const openapi = await app.http().get('/api/docs-json').expect(200);
    expect(
      Object.keys(openapi.body.paths as object).some((path) => path.startsWith('/assets')),
    ).toBe(false);
  });

  it('follows the system colour scheme: light and dark', async () => {
    const background = async (colorScheme: 'light' | 'dark') => {
      const context = await suite.browser().newContext({ colorScheme });
      try {
        const page = await context.newPage();
        await page.goto(app.url);
        await page.locator('#auth-view').waitFor();
        return await page.evaluate(() => {
          const style = (globalThis as unknown as PageWindow).getComputedStyle(
            (globalThis as unknown as PageWindow).document.body,
          );
          const [r, g, b] = (style.backgroundColor.match(/\d+/g) ?? []).map(Number);
          return (r + g + b) / 3;
        });
      } finally {
        await context.close();
      }
    };
    expect(await background('light')).toBeGreaterThan(200);
    expect(await background('dark')).toBeLessThan(60);
  });

  // What a browser downloads is what the page's first load waits for: the brotli files the server
  // sends. The minified size bounds what it parses.
  it('keeps what the browser downloads under 64 KB, and the minified JS and CSS under 200 KB', () => {
    const assets = join(__dirname, '..', '..', 'public', 'assets');
    const page = readdirSync(join(assets, '..')).includes('index.html');
    expect(page).toBe(true);
    const index = readdirSync(assets);
    // The newest bundle of each kind (other builds may have left older ones).
    const newest = (pattern: RegExp) =>
      index
        .filter((name) => pattern.test(name))
        .map((name) => ({ name, at: statSync(join(assets, name)).mtimeMs }))
        .sort((a, b) => b.at - a.at)[0].name;
    const bundles = [newest(/^app-\w+\.js$/), newest(/^styles-\w+\.css$/)];
    const bytes = (names: string[]) =>
      names.reduce((total, name) => total + statSync(join(assets, name)).size, 0);
    expect(bytes(bundles.map((name) => `${name}.br`))).toBeLessThan(64 * 1024);
    expect(bytes(bundles)).toBeLessThan(200 * 1024);
  });
});

describe.each(STORES)('web client on the %s store', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('lets two users create and join a room and talk both ways, with typing and presence', async () => {
    const ada = uniqueName('ada');
    const bob = uniqueName('bob');
    const room = uniqueName('room');
    const a = await client(app);
    await signUp(a.page, ada);
    await createRoomInUi(a.page, room);
    // The empty state invites the first message.
    await waitForText(a.page.locator('#empty'), 'Say hello');

    const b = await client(app);
    await signUp(b.page, bob);
    await joinRoomInUi(b.page, room);

    // Ada sees Bob arrive, online. (Listed whether or not the layout has room for the members.)
    await a.page
      .locator('#members-online .member')
      .filter({ hasText: bob })
      .waitFor({ state: 'attached' });

    // Bob types: Ada sees the indicator; it goes once Bob's message arrives.
    const bobInput = b.page.getByRole('textbox', { name: 'Message' });
    await bobInput.pressSequentially('Hi Ada');
    await waitForText(a.page.locator('#typing'), `${bob} is typing`);
    await bobInput.press('Enter');
    await expectMessage(a.page, 'Hi Ada');
    await a.page.locator('#typing').filter({ hasText: 'typing' }).waitFor({ state: 'detached' });
    await expectMessage(b.page, 'Hi Ada');
    // New messages are announced to screen readers.
    await waitForText(a.page.locator('#live'), `${bob}: Hi Ada`);

    // And back: shown at once to the sender, confirmed by the ack.
    await send(a.page, 'Hello Bob! How are you?');
    await expectMessage(a.page, 'Hello Bob! How are you?');
    await expectMessage(b.page, 'Hello Bob! How are you?');

    // Shift+Enter starts a new line; Enter sends both lines as one message.
    await bobInput.fill('');
    await bobInput.pressSequentially('line one');
    await bobInput.press('Shift+Enter');
    await bobInput.pressSequentially('line two');
    await bobInput.press('Enter');
    await expectMessage(a.page, 'line one\nline two');
    await expectMessage(b.page, 'line one\nline two');

    // Each message once, in the same order on both sides.
    const texts = (page: typeof a.page) =>
      page.locator('#message-list .msg-content').allTextContents();
    expect(await texts(a.page)).toEqual([
      'Hi Ada',
      'Hello Bob! How are you?',
      'line one\nline two',
    ]);
    expect(await texts(b.page)).toEqual(await texts(a.page));

    // Bob leaves the page: Ada sees him go offline.
    await b.context.close();
    await a.page
      .locator('#members-offline .member')
      .filter({ hasText: bob })
      .waitFor({ state: 'attached' });

    // No token ever travels in a URL (HTTP requests or the WebSocket).
    const token = await a.page.evaluate(
      () =>
        (
          JSON.parse(
            (globalThis as unknown as PageWindow).localStorage.getItem('nest-chat.session') ?? '{}',
          ) as { token?: string }
        ).token,
    );
    expect(token).toEqual(expect.any(String));
    expect(a.urls.length).toBeGreaterThan(0);
    expect(a.urls.some((url) => url.startsWith('ws://'))).toBe(true);
    expect(
      a.urls.filter((url) => url.includes(token!) || /[?&](token|access_token)=/.test(url)),
    ).toEqual([]);
    expect(a.errors).toEqual([]);
  });

  it('shows markup in messages and room names as text: nothing runs, no dialog opens', async () => {
    const owner = await registerUser(app);
    const roomName = `<img src=x onerror=alert(2)>${uniqueName('r')}`.slice(0, 64);
    const room = await createRoom(app, owner, { name: roomName });
    const evil = '<img src=x onerror=alert(1)>';
    await sendMessage(app, owner, room.id, evil);
    await sendMessage(app, owner, room.id, '<script>alert(3)</script><b>bold?</b>');

    const a = await client(app);
    await signUp(a.page, uniqueName('eve'));
    await joinRoomInUi(a.page, roomName);
    await expectMessage(a.page, evil);
    await expectMessage(a.page, '<script>alert(3)</script><b>bold?</b>');
    await send(a.page, '<svg onload=alert(4)>');
    await expectMessage(a.page, '<svg onload=alert(4)>');
    await waitForText(a.page.locator('#room-title'), roomName);

    expect(
      await a.page.locator('#message-list img, #message-list script, #message-list b').count(),
    ).toBe(0);
    expect(await a.page.locator('#app-view img, #sidebar b').count()).toBe(0);
    // The image would have been requested had the markup been parsed.
    expect(a.urls.filter((url) => new URL(url).pathname === '/x')).toEqual([]);
    expect(a.dialogs).toEqual([]);
    expect(await a.cspViolations()).toEqual([]);
    expect(a.errors).toEqual([]);
  });

  it('isolates what people wrote, so a direction override cannot turn the text around it', async () => {
    const owner = await registerUser(app);
    const room = await createRoom(app, owner);
    const flipped = 'gnp.exe \u202Etxt';
    await sendMessage(app, owner, room.id, flipped);

    const a = await client(app);
    await signUp(a.page, uniqueName('iso'));
    await joinRoomInUi(a.page, room.name);
    await expectMessage(a.page, flipped);
    // The member list loads after the room opens.
    await a.page.locator('#members .member-name').first().waitFor({ state: 'attached' });

    const isolation = await a.page.evaluate(() => {
      const page = globalThis as unknown as {
        document: {
          querySelectorAll(
            selector: string,
          ): ArrayLike<{ getAttribute(name: string): string | null }>;
        };
        getComputedStyle(element: unknown): { unicodeBidi: string };
      };
      const selectors = [
        '.msg-content',
        '.msg-author',
        '.room-name',
        '.member-name',
        '.room-title-text',
        '#room-desc',
      ];
      return selectors.map((selector) => {
        const elements = Array.from(page.document.querySelectorAll(selector));
        return {
          selector,
          found: elements.length > 0,
          isolated: elements.every(
            (element) =>
              element.getAttribute('dir') === 'auto' &&
              page.getComputedStyle(element).unicodeBidi === 'isolate',
          ),
        };
      });
    });
    expect(isolation.filter((item) => !item.found || !item.isolated)).toEqual([]);
  });

  it('keeps the session and the history across a reload, and signs out', async () => {
    const name = uniqueName('rita');
    const room = uniqueName('reload');
    const a = await client(app);
    await signUp(a.page, name);
    await createRoomInUi(a.page, room);
    for (const text of ['first', 'second', 'third']) {
      await send(a.page, text);
      await expectMessage(a.page, text);
    }
    await a.page.reload();
    await connected(a.page);
    await a.page.locator('#room-title').filter({ hasText: room }).waitFor();
    for (const text of ['first', 'second', 'third']) await expectMessage(a.page, text);
    expect(await a.page.locator('#auth-view').isHidden()).toBe(true);

    await a.page.getByRole('button', { name: 'Sign out' }).click();
    await a.page.locator('#auth-view').waitFor({ state: 'visible' });
    expect(
      await a.page.evaluate(() =>
        (globalThis as unknown as PageWindow).localStorage.getItem('nest-chat.session'),
      ),
    ).toBeNull();
    await a.page.reload();
    await a.page.locator('#auth-view').waitFor({ state: 'visible' });

    // Signing in again (not signing up) brings the same rooms back.
    await signIn(a.page, name);
    await a.page.locator('#joined-rooms .room').filter({ hasText: room }).waitFor();
    await expectMessage(a.page, 'third');
  });

  it('loads older history when scrolling up', async () => {
    const owner = await registerUser(app);
    const room = await createRoom(app, owner);
    for (let i = 1; i <= 75; i += 1) await sendMessage(app, owner, room.id, `history ${i}`);

    const a = await client(app);
    await signUp(a.page, uniqueName('hist'));
    await joinRoomInUi(a.page, room.name);
    await expectMessage(a.page, 'history 75');
    await expectMessage(a.page, 'history 26');
    expect(await message(a.page, 'history 25').count()).toBe(0);

    await a.page.locator('#messages').evaluate((element) => {
      element.scrollTop = 0;
    });
    await expectMessage(a.page, 'history 1');
    await waitForText(a.page.locator('#history-status'), 'This is the beginning');
    expect(await a.page.locator('#message-list .msg').count()).toBe(75);
  });

  it('counts unread messages in rooms the user is not viewing', async () => {
    const owner = await registerUser(app);
    const watched = await createRoom(app, owner);
    const other = await createRoom(app, owner);
    const a = await client(app);
    await signUp(a.page, uniqueName('una'));
    await joinRoomInUi(a.page, other.name);
    await joinRoomInUi(a.page, watched.name);

    await sendMessage(app, owner, other.id, 'psst 1');
    const badge = roomButton(a.page, other.name).locator('.badge');
    await waitForText(badge, '1');
    await sendMessage(app, owner, other.id, 'psst 2');
    await waitForText(badge, '2');
    await a.page.waitForFunction(() =>
      (globalThis as unknown as PageWindow).document.title.startsWith('(2)'),
    );
    // Messages in the room on screen are not unread.
    await sendMessage(app, owner, watched.id, 'here');
    await expectMessage(a.page, 'here');
    expect(await roomButton(a.page, watched.name).locator('.badge').count()).toBe(0);

    await openRoom(a.page, other.name);
    await expectMessage(a.page, 'psst 2');
    await badge.waitFor({ state: 'detached' });
  });

  it('lets the owner of a private room invite someone, who then sees it live', async () => {
    const ownerName = uniqueName('own');
    const guestName = uniqueName('gst');
    const room = uniqueName('secret');
    const a = await client(app);
    await signUp(a.page, ownerName);
    const b = await client(app);
    await signUp(b.page, guestName);

    await createRoomInUi(a.page, room, true);
    expect(await roomButton(b.page, room).count()).toBe(0);
    await a.page.getByRole('button', { name: 'Invite' }).click();
    const dialog = a.page.getByRole('dialog', { name: 'Invite to the room' });
    await dialog.getByLabel('Username').fill(guestName);
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await a.page
      .locator('#members .member')
      .filter({ hasText: guestName })
      .waitFor({ state: 'attached' });

    // The guest's room list picks the room up from the user_joined event.
    await roomButton(b.page, room).waitFor();
    await openRoom(b.page, room);
    await send(b.page, 'thanks for the invite');
    await expectMessage(a.page, 'thanks for the invite');
    // Messages Ada sends in the room she created reach Bob live.
    await send(a.page, 'welcome!');
    await expectMessage(b.page, 'welcome!');

    // An unknown user is refused with a readable error.
    await a.page.getByRole('button', { name: 'Invite' }).click();
    await dialog.getByLabel('Username').fill(uniqueName('ghost'));
    await dialog.getByRole('button', { name: 'Invite' }).click();
    await waitForText(a.page.locator('#invite-error'), 'There is no user called');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The guest leaves (after confirming): the room is gone from the list, and from the members.
    await b.page.getByRole('button', { name: 'Leave' }).click();
    await b.page
      .getByRole('dialog', { name: /Leave the private room/ })
      .getByRole('button', { name: 'Leave room' })
      .click();
    await roomButton(b.page, room).waitFor({ state: 'detached' });
    await a.page.locator('#members .member').filter({ hasText: guestName }).waitFor({
      state: 'detached',
    });
  });

  it('can be used with the keyboard alone', async () => {
    const owner = await registerUser(app);
    const user = await registerUser(app, uniqueName('kbd'));
    // A private room: it is listed first, under the user's rooms, whatever else the store holds.
    const room = await createRoom(app, owner, { isPrivate: true });
    await app
      .http()
      .post(`/api/rooms/${room.id}/members`)
      .set('Authorization', owner.auth)
      .send({ username: user.username })
      .expect(201);
    const a = await client(app);
    const focused = (locator: ReturnType<typeof a.page.locator>) =>
      locator.evaluate((element) => element === element.ownerDocument.activeElement);
    await a.page.locator('#auth-username').focus();
    await a.page.keyboard.type(user.username);
    await a.page.keyboard.press('Tab');
    await a.page.keyboard.type(user.password);
    await a.page.keyboard.press('Enter');
    await connected(a.page);

    // Tab through the page until the room's button has the focus, then open it with Enter.
    const target = roomButton(a.page, room.name);
    await target.waitFor();
    for (let presses = 0; presses < 10 && !(await focused(target)); presses += 1) {
      await a.page.keyboard.press('Tab');
    }
    expect(await focused(target)).toBe(true);
    await a.page.keyboard.press('Enter');
    await a.page.locator('#room-title').filter({ hasText: room.name }).waitFor();
    // Opening a room puts the focus in the composer: type and send without the mouse.
    const input = a.page.getByRole('textbox', { name: 'Message' });
    expect(await focused(input)).toBe(true);
    await a.page.keyboard.type('typed, not clicked');
    await a.page.keyboard.press('Enter');
    await expectMessage(a.page, 'typed, not clicked');

    // Dialogs take the focus and give it up on Escape.
    await a.page.getByRole('button', { name: 'Create a room' }).first().focus();
    await a.page.keyboard.press('Enter');
    const name = a.page.getByRole('dialog', { name: 'Create a room' }).getByLabel('Name');
    await name.waitFor();
    expect(await focused(name)).toBe(true);
    await a.page.keyboard.press('Escape');
    await name.waitFor({ state: 'hidden' });
  });

  it('lets a user reply to a message: both see the quote, which leads to the original', async () => {
    const ada = uniqueName('ada');
    const bob = uniqueName('bob');
    const room = uniqueName('room');
    const a = await client(app);
    await signUp(a.page, ada);
    await createRoomInUi(a.page, room);
    const b = await client(app);
    await signUp(b.page, bob);
    await joinRoomInUi(b.page, room);

    const original = 'Lunch at noon?\nThe usual place.';
    await send(a.page, original);
    await expectMessage(b.page, original);

    // The Reply action shows on hover; Escape cancels the reply, and it can be chosen again.
    const replyBar = b.page.locator('#reply-bar');
    const replyButton = message(b.page, original).getByRole('button', { name: `Reply to ${ada}` });
    await message(b.page, original).hover();
    await replyButton.click();
    await waitForText(replyBar, `Replying to ${ada}: Lunch at noon?`);
    const input = b.page.getByRole('textbox', { name: 'Message' });
    await input.press('Escape');
    await replyBar.waitFor({ state: 'hidden' });
    await message(b.page, original).hover();
    await replyButton.click();
    await replyBar.waitFor({ state: 'visible' });
    await send(b.page, 'Yes, see you there');
    await replyBar.waitFor({ state: 'hidden' });

    for (const page of [a.page, b.page]) {
      await expectMessage(page, 'Yes, see you there');
      const quote = message(page, 'Yes, see you there').locator('button.reply-quote');
      await waitForText(quote, `${ada}: Lunch at noon?`);
      expect(await quote.textContent()).not.toContain('The usual place.');
    }

    // The quote brings the original into view, marked for a moment.
    await message(a.page, 'Yes, see you there').locator('button.reply-quote').click();
    await message(a.page, original).and(a.page.locator('.msg.highlight')).waitFor();
    expect([...a.errors, ...b.errors]).toEqual([]);
    expect([...(await a.cspViolations()), ...(await b.cspViolations())]).toEqual([]);
  });

  it('quotes a message older than the loaded history, and pages back to it from the quote', async () => {
    const owner = await registerUser(app);
    const room = await createRoom(app, owner);
    const parent = await sendMessage(app, owner, room.id, 'the very first word');
    for (let i = 1; i <= 60; i += 1) await sendMessage(app, owner, room.id, `filler ${i}`);
    await app
      .http()
      .post(`/api/rooms/${room.id}/messages`)
      .set('Authorization', owner.auth)
      .send({ content: 'an answer from far below', reply_to: parent.id })
      .expect(201);

    const a = await client(app);
    await signUp(a.page, uniqueName('far'));
    await joinRoomInUi(a.page, room.name);
    await expectMessage(a.page, 'an answer from far below');
    // Not in the loaded page: the quote was fetched on its own.
    const quote = message(a.page, 'an answer from far below').locator('button.reply-quote');
    await waitForText(quote, 'the very first word');
    expect(await message(a.page, 'the very first word').count()).toBe(0);

    await quote.click();
    const first = message(a.page, 'the very first word');
    await first.and(a.page.locator('.msg.highlight')).waitFor();
    const shown = await first.evaluate((element) => {
      const box = element.getBoundingClientRect();
      const list = element.ownerDocument.getElementById('messages')!.getBoundingClientRect();
      return box.bottom > list.top && box.top < list.bottom;
    });
    expect(shown).toBe(true);
    expect(a.errors).toEqual([]);
  });

  it('at 375 px hides the room list behind a toggle button', async () => {
    const owner = await registerUser(app);
    const first = await createRoom(app, owner);
    const second = await createRoom(app, owner);
    const a = await client(app, { width: 375, height: 812 });
    await signUp(a.page, uniqueName('mob'));
    const toggle = a.page.getByRole('button', { name: 'Show rooms' });
    const sidebar = a.page.locator('#sidebar');
    // Closed at this width: the toggle opens it, and picking a room closes it again.
    await sidebar.waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await toggle.click();
    await joinRoomInUi(a.page, first.name);
    await sidebar.waitFor({ state: 'hidden' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    await toggle.click();
    await sidebar.waitFor({ state: 'visible' });
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await a.page.keyboard.press('Escape');
    await sidebar.waitFor({ state: 'hidden' });

    await toggle.click();
    await roomButton(a.page, second.name).click();
    await sidebar.waitFor({ state: 'hidden' });
    await a.page.locator('#room-title').filter({ hasText: second.name }).waitFor();

    // Nothing wider than the screen.
    const width = await a.page.evaluate(
      () => (globalThis as unknown as PageWindow).document.documentElement.scrollWidth,
    );
    expect(width).toBeLessThanOrEqual(375);
  });
});

describe('web client across a server restart (postgres)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp('postgres');
  });

  afterAll(async () => {
    await app?.close();
  });

  it('shows reconnecting, then every message sent meanwhile, and delivers its own pending one', async () => {
    const bob = await registerUser(app);
    const room = await createRoom(app, bob);
    await sendMessage(app, bob, room.id, 'before the restart');

    const a = await client(app);
    await signUp(a.page, uniqueName('ada'));
    await joinRoomInUi(a.page, room.name);
    await expectMessage(a.page, 'before the restart');

    const port = (app.app.getHttpServer().address() as AddressInfo).port;
    await app.close();
    await a.page.locator('#conn[data-state="reconnecting"]').waitFor({ state: 'attached' });
    await waitForText(a.page.locator('#banner'), 'Reconnecting');

    // Sent while the server is down: shown at once, pending.
    await send(a.page, 'sent while offline');
    await message(a.page, 'sent while offline')
      .and(a.page.locator('[data-state="pending"]'))
      .waitFor();

    app = await startApp('postgres', {}, port);
    // While the client is still in its reconnection backoff, Bob talks over REST.
    const missed = ['missed 1', 'missed 2', 'missed 3'];
    for (const text of missed) await sendMessage(app, bob, room.id, text);

    await a.page.locator('#conn[data-state="connected"]').waitFor({ state: 'attached' });
    await a.page.locator('#banner').waitFor({ state: 'hidden' });
    // Caught up or received live, whichever way the reconnection went: on a loaded machine the
    // catch-up's sync may wait for its ack's timeout and go to REST, hence the wider bound.
    for (const text of missed) await expectMessage(a.page, text, 30_000);
    await expectMessage(a.page, 'sent while offline');

    // Everything once, in order; the offline message stored exactly once.
    const shown = await a.page.locator('#message-list .msg-content').allTextContents();
    expect(shown.filter((text) => text !== 'sent while offline')).toEqual([
      'before the restart',
      ...missed,
    ]);
    expect(shown.filter((text) => text === 'sent while offline')).toHaveLength(1);
    const history = await app
      .http()
      .get(`/api/rooms/${room.id}/messages`)
      .set('Authorization', bob.auth)
      .expect(200);
    const contents = (history.body as { content: string }[]).map((m) => m.content);
    expect(contents.filter((text) => text === 'sent while offline')).toHaveLength(1);
    expect(contents).toEqual(expect.arrayContaining(['before the restart', ...missed]));
  });
});
