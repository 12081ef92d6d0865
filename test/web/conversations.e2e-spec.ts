import type { Locator, Page } from 'playwright-core';
import { createRoom, joinRoom, sendMessage, type CreatedRoom } from '../factories/rooms.factory';
import { registerUser, uniqueName, type RegisteredUser } from '../factories/users.factory';
import { startApp, STORES, type TestApp } from '../support/test-app';
import {
  browserForSuite,
  expectMessage,
  message,
  openRoom,
  send,
  signIn,
  waitForText,
  type Client,
  type ClientOptions,
  type PageWindow,
} from './support/browser';

jest.setTimeout(90_000);

/** What the notification spec replaces the page's Notification with. */
interface NotificationWindow {
  Notification: { permission: string; requestPermission(): Promise<string> };
  __shown?: string[];
}

/** The page's document, as far as these tests hide and show it. */
interface VisibilityWindow {
  document: { dispatchEvent(event: unknown): boolean };
  Event: new (type: string) => unknown;
}

const suite = browserForSuite();
const PHONE = { width: 375, height: 812 };

/** The entry of a direct room in the sidebar, by the other person's name. */
function directEntry(page: Page, name: string): Locator {
  return page.locator('#direct-rooms .room').filter({ has: page.getByText(name, { exact: true }) });
}

/** A joined room's entry in the sidebar. */
function roomEntry(page: Page, name: string): Locator {
  return page.locator('#joined-rooms .room').filter({ has: page.getByText(name, { exact: true }) });
}

/** Opens the room list on a phone, where it is a drawer; nothing on wider screens. */
async function showRooms(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Show rooms' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await page.locator('#sidebar').waitFor({ state: 'visible' });
  }
}

describe.each(STORES)('conversations in the web client on the %s store', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Two people (names starting with ada and bob) in a room Ada owns. */
  async function pair(): Promise<{ ada: RegisteredUser; bob: RegisteredUser; room: CreatedRoom }> {
    const ada = await registerUser(app, uniqueName('ada'));
    const bob = await registerUser(app, uniqueName('bob'));
    const room = await createRoom(app, ada);
    await joinRoom(app, bob, room.id);
    return { ada, bob, room };
  }

  /** Signs `user` in on a page of their own, with `room` open. */
  async function signedIn(
    user: RegisteredUser,
    room: CreatedRoom | null,
    options?: ClientOptions,
  ): Promise<Client> {
    const client = await suite.open(app, options);
    await signIn(client.page, user.username, user.password);
    if (room) {
      await showRooms(client.page);
      await openRoom(client.page, room.name);
    }
    return client;
  }

  function noErrors(...clients: Client[]): void {
    expect(clients.flatMap((client) => client.errors)).toEqual([]);
    expect(clients.flatMap((client) => client.dialogs)).toEqual([]);
  }

  it('starts a direct conversation from the member list; the other sees it appear live', async () => {
    const { ada, bob, room } = await pair();
    const a = await signedIn(ada, room);
    const b = await signedIn(bob, room);

    // Wide enough for the member list to stay open beside the conversation.
    await a.page.getByRole('button', { name: `Message ${bob.username}`, exact: true }).click();
    await a.page.locator('#room-title').filter({ hasText: bob.username }).waitFor();
    await waitForText(a.page.locator('#room-desc'), 'Direct message');
    // Bob is online: his dot shows on Ada's entry.
    await directEntry(a.page, bob.username).locator('.direct-icon.online').waitFor();
    // Nothing to leave or invite to in a direct room.
    expect(await a.page.locator('#leave-btn').isVisible()).toBe(false);

    // room_added: the conversation is in Bob's list at once, before any message.
    await directEntry(b.page, ada.username).waitFor();

    await send(a.page, 'Hi Bob, a word in private?');
    await expectMessage(a.page, 'Hi Bob, a word in private?');
    // Bob has the room open elsewhere: the message counts as unread on the entry.
    await directEntry(b.page, ada.username).locator('.badge', { hasText: /^1$/ }).waitFor();
    await directEntry(b.page, ada.username).click();
    await b.page.locator('#room-title').filter({ hasText: ada.username }).waitFor();
    await expectMessage(b.page, 'Hi Bob, a word in private?');
    await b.page.locator('#new-divider').waitFor();
    await directEntry(b.page, ada.username).locator('.badge').waitFor({ state: 'detached' });
    await send(b.page, 'Sure.');
    await expectMessage(a.page, 'Sure.');

    // Messaging him again opens the same room.
    await openRoom(a.page, room.name);
    await a.page.getByRole('button', { name: `Message ${bob.username}`, exact: true }).click();
    await a.page.locator('#room-title').filter({ hasText: bob.username }).waitFor();
    await expectMessage(a.page, 'Sure.');
    expect(await a.page.locator('#direct-rooms .room').count()).toBe(1);
    noErrors(a, b);
  });

  it('completes @names with the keyboard and highlights the message for the one named', async () => {
    const { ada, bob, room } = await pair();
    const a = await signedIn(ada, room);
    const b = await signedIn(bob, room);
    await a.page.locator('#members-online .member').filter({ hasText: bob.username }).waitFor();

    const input = a.page.getByRole('textbox', { name: 'Message' });
    const list = a.page.getByRole('listbox', { name: 'People to mention' });
    await input.click();
    await input.pressSequentially('hello @b');
    await list.waitFor();
    const option = list.getByRole('option', { name: bob.username });
    await option.waitFor();
    expect(await option.getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    // The arrow keys stay in the list (one name: it stays on it); Enter takes it, and sends nothing.
    await input.press('ArrowDown');
    await input.press('Enter');
    await list.waitFor({ state: 'hidden' });
    expect(await input.inputValue()).toBe(`hello @${bob.username} `);
    expect(await input.getAttribute('aria-activedescendant')).toBeNull();

    // Escape closes the list and keeps the text.
    await input.pressSequentially('and @');
    await list.getByRole('option').first().waitFor();
    await input.press('Escape');
    await list.waitFor({ state: 'hidden' });
    expect(await input.inputValue()).toBe(`hello @${bob.username} and @`);
    await input.fill(`hello @${bob.username}, see this`);
    await input.press('Enter');

    const text = `hello @${bob.username}, see this`;
    await expectMessage(b.page, text);
    await message(b.page, text).and(b.page.locator('.mentioned')).waitFor();
    // Not for the author.
    await expectMessage(a.page, text);
    expect(await message(a.page, text).and(a.page.locator('.mentioned')).count()).toBe(0);

    // Tab takes a name too.
    await input.pressSequentially('@bo');
    await list.getByRole('option', { name: bob.username }).waitFor();
    await input.press('Tab');
    expect(await input.inputValue()).toBe(`@${bob.username} `);
    noErrors(a, b);
  });

  it('notifies a mention on the desktop once the user turned notifications on', async () => {
    const { ada, bob, room } = await pair();
    const elsewhere = await createRoom(app, ada);
    await joinRoom(app, bob, elsewhere.id);
    const b = await signedIn(bob, room);
    await b.context.grantPermissions(['notifications'], { origin: app.url });
    // Records the notifications the page makes instead of showing them.
    await b.page.evaluate(() => {
      const page = globalThis as unknown as NotificationWindow;
      const Real = page.Notification;
      page.__shown = [];
      class Recorded {
        static get permission() {
          return Real.permission;
        }
        static requestPermission() {
          return Real.requestPermission();
        }
        constructor(title: string, options: { body?: string }) {
          page.__shown!.push(`${title}: ${options.body ?? ''}`);
        }
      }
      page.Notification = Recorded;
    });
    const shown = () =>
      b.page.evaluate(() => (globalThis as unknown as NotificationWindow).__shown ?? []);

    // Off until the user turns them on: nothing is asked on load.
    const bell = b.page.getByRole('button', { name: 'Desktop notifications' });
    expect(await bell.getAttribute('aria-pressed')).toBe('false');
    await sendMessage(app, ada, elsewhere.id, `not yet, @${bob.username}`);
    await roomEntry(b.page, elsewhere.name).locator('.mention-badge').waitFor();
    expect(await shown()).toEqual([]);
    await bell.click();
    await b.page.getByRole('button', { name: 'Desktop notifications', pressed: true }).waitFor();

    await sendMessage(app, ada, elsewhere.id, `now, @${bob.username}`);
    const expected = `${ada.username} mentioned you in ${elsewhere.name}: now, @${bob.username}`;
    await b.page.waitForFunction(
      (text) => ((globalThis as unknown as NotificationWindow).__shown ?? []).includes(text),
      expected,
    );
    // Once, though the message and the mention event both tell of it.
    expect((await shown()).filter((text) => text === expected)).toHaveLength(1);

    // A direct message notifies while the tab is hidden, and stays unread until it is seen.
    await b.page.evaluate(() => {
      const { document } = globalThis as unknown as VisibilityWindow;
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
    });
    const direct = await app
      .http()
      .post('/api/dms')
      .set('Authorization', ada.auth)
      .send({ username: bob.username });
    await directEntry(b.page, ada.username).waitFor();
    await openRoom(b.page, ada.username);
    await sendMessage(app, ada, direct.body.id, 'Are you there?');
    const dm = `${ada.username} (direct message): Are you there?`;
    await b.page.waitForFunction(
      (text) => ((globalThis as unknown as NotificationWindow).__shown ?? []).includes(text),
      dm,
    );
    await directEntry(b.page, ada.username).locator('.badge', { hasText: /^1$/ }).waitFor();
    // Seen once the tab shows again.
    await b.page.evaluate(() => {
      const { document, Event } = globalThis as unknown as VisibilityWindow;
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    await directEntry(b.page, ada.username).locator('.badge').waitFor({ state: 'detached' });
    noErrors(b);
  });

  it("one user's two tabs: reading a room in one clears its badge in the other", async () => {
    const { ada, bob, room } = await pair();
    const quiet = await createRoom(app, ada);
    await joinRoom(app, bob, quiet.id);
    const one = await signedIn(bob, room);
    const two = await signedIn(bob, room);

    await sendMessage(app, ada, quiet.id, 'first news');
    await sendMessage(app, ada, quiet.id, `second news for @${bob.username}`);
    for (const tab of [one, two]) {
      // The mention's badge, the name in bold, both counts in the entry's name.
      const entry = roomEntry(tab.page, quiet.name);
      await entry.locator('.mention-badge', { hasText: '@1' }).waitFor();
      await entry.and(tab.page.locator('.has-unread')).waitFor();
      await entry.and(tab.page.locator('[aria-label$="@1 mention, 2 unread"]')).waitFor();
    }
    await two.page.waitForFunction(() =>
      (globalThis as unknown as PageWindow).document.title.startsWith('(2) '),
    );

    await openRoom(one.page, quiet.name);
    await expectMessage(one.page, 'first news');
    // The divider sits over the first message not read.
    await one.page.locator('.msg.first-new #new-divider').waitFor();
    await waitForText(one.page.locator('.msg.first-new .msg-content'), 'first news');

    // The other tab follows the read event: no badge, no count in the title.
    await roomEntry(two.page, quiet.name).locator('.badge').first().waitFor({ state: 'detached' });
    await two.page.waitForFunction(
      () => !(globalThis as unknown as PageWindow).document.title.startsWith('('),
    );

    // A room left in one tab leaves the other's list too (room_removed), and its screen.
    await one.page.getByRole('button', { name: 'Leave' }).click();
    await one.page.locator('#join-bar').waitFor();
    await roomEntry(two.page, quiet.name).waitFor({ state: 'detached' });
    noErrors(one, two);
  });

  it('opens a room with more unread messages than a page at its "New messages" divider', async () => {
    const { ada, bob, room } = await pair();
    await sendMessage(app, bob, room.id, 'read before');
    for (let index = 0; index < 70; index += 1) {
      await sendMessage(app, ada, room.id, `news ${index}`);
    }
    const b = await signedIn(bob, null);
    await roomEntry(b.page, room.name).locator('.badge', { hasText: /^70$/ }).waitFor();
    await openRoom(b.page, room.name);
    const first = b.page.locator('.msg.first-new');
    await first.locator('#new-divider').waitFor();
    await waitForText(first.locator('.msg-content'), /^news 0$/);
    expect(await first.isVisible()).toBe(true);
    await expectMessage(b.page, 'read before');
    await expectMessage(b.page, 'news 69');
    await roomEntry(b.page, room.name).locator('.badge').waitFor({ state: 'detached' });
    noErrors(b);
  });

  it('searches messages and opens a hit in its room, around it', async () => {
    const { ada, bob, room } = await pair();
    const other = await createRoom(app, bob);
    const word = `zebra${Date.now().toString(36)}`;
    const target = await sendMessage(app, ada, room.id, `The ${word} report is ready`);
    // More than a page after it: the hit is not in the history the room opens with.
    for (let index = 0; index < 60; index += 1) {
      await sendMessage(app, ada, room.id, `filler ${index}`);
    }
    await sendMessage(app, bob, other.id, `No ${word}s here, only ${word.toUpperCase()}`);
    const b = await signedIn(bob, other);

    // `/` opens the search when no field has the focus.
    await b.page.locator('#messages').focus();
    await b.page.keyboard.press('/');
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' });
    const box = dialog.getByRole('searchbox', { name: 'Words to find' });
    await box.waitFor();
    await box.fill(word);
    await box.press('Enter');
    const hits = dialog.locator('.search-hit');
    await hits.nth(1).waitFor();
    // Newest first, the matching words marked.
    await waitForText(hits.first().locator('.search-hit-room'), other.name);
    expect(await hits.first().locator('mark').allTextContents()).toEqual([word.toUpperCase()]);
    const hit = hits.filter({ hasText: 'report is ready' });
    await waitForText(hit.locator('.search-hit-room'), room.name);
    await waitForText(hit.locator('.search-hit-author'), ada.username);
    expect(await hit.locator('mark').allTextContents()).toEqual([word]);

    await hit.click();
    await dialog.waitFor({ state: 'hidden' });
    await b.page.locator('#room-title').filter({ hasText: room.name }).waitFor();
    const shown = b.page.locator(`#message-list .msg[data-id="${target.id}"]`);
    await shown.and(b.page.locator('.highlight')).waitFor();
    expect(await shown.isVisible()).toBe(true);
    // Its neighbours are there, and the history runs on to the newest.
    await expectMessage(b.page, 'filler 0');
    await expectMessage(b.page, 'filler 59');

    // Ctrl+K opens it again.
    await b.page.locator('#messages').focus();
    await b.page.keyboard.press('Control+k');
    await box.waitFor();
    noErrors(b);
  });

  it('375 px: a direct conversation started from the people picker, the menu button, the search', async () => {
    const ada = await registerUser(app, uniqueName('ada'));
    const bob = await registerUser(app, uniqueName('bob'));
    const a = await signedIn(ada, null, { viewport: PHONE, hasTouch: true });
    const b = await signedIn(bob, null, { viewport: PHONE, hasTouch: true });

    await showRooms(a.page);
    await a.page.getByRole('button', { name: 'New direct message' }).click();
    const picker = a.page.getByRole('dialog', { name: 'New direct message' });
    await picker.getByRole('searchbox', { name: 'Find a person' }).fill(bob.username);
    await picker.getByRole('button', { name: bob.username }).click();
    await picker.waitFor({ state: 'hidden' });
    await a.page.locator('#room-title').filter({ hasText: bob.username }).waitFor();
    // The drawer closed to show the conversation.
    await a.page.locator('#sidebar').waitFor({ state: 'hidden' });
    await send(a.page, 'Lunch at noon?');
    await expectMessage(a.page, 'Lunch at noon?');

    // Bob's menu button shows there is something unread; the drawer has the conversation.
    await b.page.locator('#rooms-toggle-badge').waitFor();
    await showRooms(b.page);
    await directEntry(b.page, ada.username).locator('.badge').waitFor();
    await directEntry(b.page, ada.username).click();
    await expectMessage(b.page, 'Lunch at noon?');
    expect(
      await b.page.evaluate(
        () => (globalThis as unknown as PageWindow).document.documentElement.scrollWidth,
      ),
    ).toBeLessThanOrEqual(PHONE.width);

    await b.page.getByRole('button', { name: 'Search messages' }).click();
    const dialog = b.page.getByRole('dialog', { name: 'Search messages' });
    await dialog.getByRole('searchbox').fill('lunch');
    await dialog.getByRole('searchbox').press('Enter');
    await dialog.locator('.search-hit mark', { hasText: 'Lunch' }).waitFor();
    noErrors(a, b);
  });
});
