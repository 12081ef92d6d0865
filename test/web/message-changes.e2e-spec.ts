import type { Locator, Page } from 'playwright-core';
import { createRoom, joinRoom, sendMessage } from '../factories/rooms.factory';
import { registerUser, type RegisteredUser } from '../factories/users.factory';
import { TcpProxy } from '../support/tcp-proxy';
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
} from './support/browser';

jest.setTimeout(90_000);

const suite = browserForSuite();

const TOMBSTONE = 'This message was deleted';

/** The message with this id in the list, whatever it shows. */
function byId(page: Page, id: number): Locator {
  return page.locator(`#message-list .msg[data-id="${id}"]`);
}

/** The id of the confirmed message whose text is `text`. */
async function idOf(page: Page, text: string): Promise<number> {
  await expectMessage(page, text);
  return Number(await message(page, text).getAttribute('data-id'));
}

/** A message's action button (Reply, Add a reaction, Edit message, Delete message), after hovering. */
async function action(item: Locator, name: string | RegExp): Promise<Locator> {
  await item.hover();
  const button = item.getByRole('group', { name: 'Message actions' }).getByRole('button', { name });
  await button.waitFor();
  return button;
}

/** A reaction's chip under a message. */
function chip(item: Locator, emoji: string): Locator {
  return item.locator(`button.reaction[data-emoji="${emoji}"]`);
}

/** Waits until the chip shows `count` and is pressed or not, as the user reacted or not. */
async function expectChip(item: Locator, emoji: string, count: number, mine: boolean) {
  await chip(item, emoji)
    .and(item.page().locator(`[aria-pressed="${mine}"]`))
    .filter({ has: item.page().locator('.reaction-count', { hasText: new RegExp(`^${count}$`) }) })
    .waitFor();
}

/**
 * Waits until the chip's tooltip names who reacted as `title` (names show once the member list,
 * which loads after the room opens, has them).
 */
async function expectTitle(item: Locator, emoji: string, title: string) {
  try {
    await chip(item, emoji)
      .and(item.page().locator(`[title="${title}"]`))
      .waitFor();
  } catch (error) {
    const shown = await chip(item, emoji).getAttribute('title');
    throw new Error(`the ${emoji} chip's title is "${shown}", not "${title}"`, { cause: error });
  }
}

describe.each(STORES)('message changes in the web client on the %s store', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });

  afterAll(async () => {
    await app?.close();
  });

  /** Ada owns a room Bob is in; each signs in on a page of their own, with the room open. */
  async function conversation(options: { bobVia?: TestApp; client?: ClientOptions } = {}) {
    const ada = await registerUser(app);
    const bob = await registerUser(app);
    const room = await createRoom(app, ada);
    await joinRoom(app, bob, room.id);
    const open = async (user: RegisteredUser, target: TestApp): Promise<Client> => {
      const client = await suite.open(target, options.client);
      await signIn(client.page, user.username, user.password);
      // At phone widths the room list is a drawer.
      const toggle = client.page.getByRole('button', { name: 'Show rooms' });
      if (await toggle.isVisible()) await toggle.click();
      await openRoom(client.page, room.name);
      await client.page.locator('#composer').waitFor({ state: 'visible' });
      return client;
    };
    const a = await open(ada, app);
    const b = await open(bob, options.bobVia ?? app);
    return { ada, bob, room, a, b };
  }

  function noErrors(...clients: Client[]): void {
    expect(clients.flatMap((client) => client.errors)).toEqual([]);
    expect(clients.flatMap((client) => client.dialogs)).toEqual([]);
  }

  it('edits in place: Enter saves and both see "(edited)", Escape cancels, the Up arrow edits the last one', async () => {
    const { a, b } = await conversation();
    await send(a.page, 'helo world');
    const id = await idOf(b.page, 'helo world');

    // Only the author may edit; Bob, who does not own the room, may not delete it either.
    await action(byId(b.page, id), 'Reply to');
    expect(await byId(b.page, id).getByRole('button', { name: 'Edit message' }).count()).toBe(0);
    expect(await byId(b.page, id).getByRole('button', { name: 'Delete message' }).count()).toBe(0);

    await (await action(byId(a.page, id), 'Edit message')).click();
    const editBox = a.page.getByRole('textbox', { name: 'Edit message' });
    await editBox.waitFor();
    expect(await editBox.inputValue()).toBe('helo world');
    await editBox.fill('hello world');
    await editBox.press('Enter');
    await editBox.waitFor({ state: 'detached' });
    for (const page of [a.page, b.page]) {
      await expectMessage(page, 'hello world');
      await waitForText(byId(page, id).locator('.msg-edited'), '(edited)');
    }
    expect(await message(b.page, 'helo world').count()).toBe(0);

    // Escape cancels: nothing is sent, the text stays, the composer has the focus again.
    await (await action(byId(a.page, id), 'Edit message')).click();
    await editBox.fill('never sent');
    await editBox.press('Escape');
    await editBox.waitFor({ state: 'detached' });
    await expectMessage(a.page, 'hello world');
    const composer = a.page.getByRole('textbox', { name: 'Message' });
    expect(
      await composer.evaluate((element) => element === element.ownerDocument.activeElement),
    ).toBe(true);

    // The Up arrow in the empty composer edits Ada's last message.
    await send(a.page, 'second thougth');
    const second = await idOf(b.page, 'second thougth');
    await composer.press('ArrowUp');
    await editBox.waitFor();
    expect(await editBox.inputValue()).toBe('second thougth');
    await editBox.fill('second thought');
    await editBox.press('Enter');
    for (const page of [a.page, b.page]) {
      await expectMessage(page, 'second thought');
      await byId(page, second).locator('.msg-edited').waitFor();
    }
    expect(await message(b.page, 'never sent').count()).toBe(0);
    noErrors(a, b);
  });

  it('deletes after a confirmation: both see the tombstone, and a reply quotes it as deleted', async () => {
    const { a, b, bob, room } = await conversation();
    await send(b.page, 'I said something wrong');
    const wrong = await idOf(a.page, 'I said something wrong');
    await (await action(byId(a.page, wrong), 'Reply to')).click();
    await send(a.page, 'What did you mean?');
    const reply = await idOf(b.page, 'What did you mean?');
    await waitForText(byId(b.page, reply).locator('.reply-quote'), 'I said something wrong');

    // The dialog can be cancelled: nothing happens.
    await (await action(byId(b.page, wrong), 'Delete message')).click();
    const dialog = b.page.getByRole('dialog', { name: /Delete this message\?/ });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await expectMessage(b.page, 'I said something wrong');

    await (await action(byId(b.page, wrong), 'Delete message')).click();
    await dialog.getByRole('button', { name: 'Delete' }).click();
    for (const page of [a.page, b.page]) {
      await waitForText(byId(page, wrong).locator('.msg-tombstone'), TOMBSTONE);
      expect(await message(page, 'I said something wrong').count()).toBe(0);
      await waitForText(byId(page, reply).locator('.reply-quote'), 'message deleted');
      // A tombstone has nothing left to act on.
      expect(await byId(page, wrong).getByRole('group', { name: 'Message actions' }).count()).toBe(
        0,
      );
    }

    // The owner of the room deletes someone else's message.
    await sendMessage(app, bob, room.id, 'spam spam spam');
    const spam = await idOf(a.page, 'spam spam spam');
    await (await action(byId(a.page, spam), 'Delete message')).click();
    await a.page
      .getByRole('dialog', { name: new RegExp(`Delete this message by ${bob.username}`) })
      .getByRole('button', { name: 'Delete' })
      .click();
    for (const page of [a.page, b.page]) {
      await waitForText(byId(page, spam).locator('.msg-tombstone'), TOMBSTONE);
    }
    noErrors(a, b);
  });

  it('reacts from the picker and from the chips: counts, highlight and who reacted on both pages', async () => {
    const { a, b, ada, bob } = await conversation();
    await send(a.page, 'Pizza on Friday?');
    const id = await idOf(b.page, 'Pizza on Friday?');

    // Bob picks a common emoji.
    await (await action(byId(b.page, id), 'Add a reaction')).click();
    const picker = b.page.getByRole('dialog', { name: 'Add a reaction' });
    await picker.getByRole('button', { name: 'thumbs up' }).click();
    await picker.waitFor({ state: 'hidden' });
    await expectChip(byId(b.page, id), '👍', 1, true);
    await expectChip(byId(a.page, id), '👍', 1, false);
    await expectTitle(byId(a.page, id), '👍', `${bob.username} reacted with 👍`);

    // Ada agrees by clicking the chip.
    await chip(byId(a.page, id), '👍').click();
    await expectChip(byId(a.page, id), '👍', 2, true);
    await expectChip(byId(b.page, id), '👍', 2, true);
    await expectTitle(byId(a.page, id), '👍', `You and ${bob.username} reacted with 👍`);
    await expectTitle(byId(b.page, id), '👍', `You and ${ada.username} reacted with 👍`);

    // Any emoji can be typed; what is not one emoji is refused with a message.
    await (await action(byId(a.page, id), 'Add a reaction')).click();
    const adaPicker = a.page.getByRole('dialog', { name: 'Add a reaction' });
    const field = adaPicker.getByLabel('Or type any emoji');
    await field.fill('yum');
    await field.press('Enter');
    await waitForText(adaPicker.locator('.form-error'), 'not one emoji');
    await field.fill('🍕');
    await field.press('Enter');
    await adaPicker.waitFor({ state: 'hidden' });
    await expectChip(byId(a.page, id), '🍕', 1, true);
    await expectChip(byId(b.page, id), '🍕', 1, false);

    // Clicking one's own reaction takes it back: the chip goes when its count falls to 0.
    await chip(byId(b.page, id), '👍').click();
    await expectChip(byId(b.page, id), '👍', 1, false);
    await expectChip(byId(a.page, id), '👍', 1, true);
    await chip(byId(a.page, id), '🍕').click();
    for (const page of [a.page, b.page]) {
      await chip(byId(page, id), '🍕').waitFor({ state: 'detached' });
    }
    // The order of first use is kept.
    expect(await byId(b.page, id).locator('button.reaction').count()).toBe(1);
    noErrors(a, b);
  });

  it('shows every change made while a page was disconnected once it reconnects', async () => {
    const proxy = new TcpProxy({ host: '127.0.0.1', port: Number(new URL(app.url).port) });
    await proxy.start();
    try {
      const bobVia = { ...app, url: `http://127.0.0.1:${proxy.port}` };
      const { a, b, ada, room } = await conversation({ bobVia });
      const roomId = room.id;
      for (const text of ['to edit', 'to delete', 'to react to']) {
        await send(a.page, text);
        await expectMessage(b.page, text);
      }
      const [edited, deleted, reacted] = await Promise.all(
        ['to edit', 'to delete', 'to react to'].map((text) => idOf(b.page, text)),
      );

      await proxy.stop();
      await b.page.locator('#conn[data-state="reconnecting"]').waitFor({ state: 'attached' });

      // Meanwhile, over REST: an edit, a deletion, a reaction, and a new message.
      const api = (method: 'patch' | 'delete' | 'put', path: string) =>
        app.http()[method](`/api/rooms/${roomId}/messages/${path}`).set('Authorization', ada.auth);
      await api('patch', String(edited)).send({ content: 'edited while away' }).expect(200);
      await api('delete', String(deleted)).expect(204);
      await api('put', `${reacted}/reactions/${encodeURIComponent('🎉')}`).expect(200);
      await sendMessage(app, ada, roomId, 'new while away');

      await proxy.start();
      await b.page.locator('#conn[data-state="connected"]').waitFor({ state: 'attached' });
      await expectMessage(b.page, 'edited while away', 30_000);
      await byId(b.page, edited).locator('.msg-edited').waitFor();
      await waitForText(byId(b.page, deleted).locator('.msg-tombstone'), TOMBSTONE);
      await expectChip(byId(b.page, reacted), '🎉', 1, false);
      await expectMessage(b.page, 'new while away');
      expect(await b.page.locator('#message-list .msg-content').allTextContents()).toEqual([
        'edited while away',
        'to react to',
        'new while away',
      ]);

      // And live again from then on.
      await chip(byId(b.page, reacted), '🎉').click();
      await expectChip(byId(a.page, reacted), '🎉', 2, true);
      noErrors(a, b);
    } finally {
      await proxy.stop();
    }
  });

  it('at 375 px on a touch screen, a long press shows the actions', async () => {
    const { a, b } = await conversation({
      client: { viewport: { width: 375, height: 812 }, hasTouch: true },
    });
    await send(a.page, 'hold me');
    const id = await idOf(a.page, 'hold me');
    const item = byId(a.page, id);
    const box = (await item.boundingBox())!;
    const point = { x: box.x + box.width / 2, y: box.y + box.height / 2 };
    const touch = { pointerType: 'touch', isPrimary: true, clientX: point.x, clientY: point.y };
    await item.locator('.msg-content').dispatchEvent('pointerdown', touch);
    await a.page.locator(`#message-list .msg.actions-open[data-id="${id}"]`).waitFor();
    await item.locator('.msg-content').dispatchEvent('pointerup', touch);
    await item.getByRole('button', { name: 'Edit message' }).tap();
    const editBox = a.page.getByRole('textbox', { name: 'Edit message' });
    await editBox.fill('held');
    await editBox.press('Enter');
    await expectMessage(b.page, 'held');
    const width = await a.page.evaluate(() => {
      const page = globalThis as unknown as {
        document: { documentElement: { scrollWidth: number } };
      };
      return page.document.documentElement.scrollWidth;
    });
    expect(width).toBeLessThanOrEqual(375);
    noErrors(a, b);
  });
});
