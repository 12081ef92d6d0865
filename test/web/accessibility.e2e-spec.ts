import type { Page } from 'playwright-core';
import { createRoom, joinRoom, sendMessage, type CreatedRoom } from '../factories/rooms.factory';
import {
  registerUser,
  signInAdmin,
  uniqueName,
  type RegisteredUser,
} from '../factories/users.factory';
import { startApp, STORES, type TestApp } from '../support/test-app';
import { axeViolations } from './support/axe';
import { browserForSuite, expectMessage, openRoom, signIn, signUp } from './support/browser';

jest.setTimeout(90_000);

const SCHEMES = ['light', 'dark'] as const;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 375, height: 812 };
const LINK_MESSAGE = 'The agenda is at https://example.com/agenda, please have a look.';
const MENTION_TEXT = 'Can you check the numbers,';

const suite = browserForSuite();

describe.each(STORES)('accessibility (axe-core, WCAG 2.1 AA) on the %s store', (store) => {
  let app: TestApp;
  /** The member who signs in, shown online. */
  let reader: RegisteredUser;
  /** A member who never connects, shown offline. */
  let writer: RegisteredUser;
  let room: CreatedRoom;
  /** Someone who left every room, who sees the welcome screen. */
  let roomless: RegisteredUser;
  /** The server admin, a member of the conversation room. */
  let admin: RegisteredUser;

  /** Takes a user out of the default room new accounts join. */
  async function leaveGeneral(user: RegisteredUser): Promise<void> {
    const rooms = await app.http().get('/api/rooms').set('Authorization', user.auth).expect(200);
    const general = (rooms.body as { id: number; name: string }[]).find(
      (listed) => listed.name === 'general',
    )!;
    await app
      .http()
      .post(`/api/rooms/${general.id}/leave`)
      .set('Authorization', user.auth)
      .expect(204);
  }

  beforeAll(async () => {
    app = await startApp(store);
    writer = await registerUser(app);
    reader = await registerUser(app);
    room = await createRoom(app, writer);
    // Not joined by the reader: listed under Discover, with its member count.
    await createRoom(app, writer);
    await joinRoom(app, reader, room.id);
    // So that the conversation room is the reader's only one, opened by itself.
    await leaveGeneral(reader);
    roomless = await registerUser(app);
    await leaveGeneral(roomless);
    admin = await signInAdmin(app);
    await joinRoom(app, admin, room.id);
    const morning = await sendMessage(app, writer, room.id, 'Morning! Standup moves to 10:30.');
    const link = await sendMessage(app, writer, room.id, LINK_MESSAGE);
    // Changed messages: edited, reacted to, deleted (a tombstone).
    const messages = `/api/rooms/${room.id}/messages`;
    await app
      .http()
      .patch(`${messages}/${morning.id}`)
      .set('Authorization', writer.auth)
      .send({ content: 'Morning! Standup moves to 10:30 today.' })
      .expect(200);
    for (const [user, emoji] of [
      [reader, '👍'],
      [writer, '👍'],
      [writer, '🎉'],
    ] as const) {
      await app
        .http()
        .put(`${messages}/${link.id}/reactions/${encodeURIComponent(emoji)}`)
        .set('Authorization', user.auth)
        .expect(200);
    }
    const oops = await sendMessage(app, writer, room.id, 'Wrong room, sorry');
    await app.http().delete(`${messages}/${oops.id}`).set('Authorization', writer.auth).expect(204);
    // A reply, shown with the quote of the message it answers.
    await app
      .http()
      .post(`/api/rooms/${room.id}/messages`)
      .set('Authorization', reader.auth)
      .send({ content: 'Thanks, reading it now.', reply_to: link.id })
      .expect(201);
    // A mention of the reader (highlighted), and a direct conversation with unread messages, one
    // mentioning them (the sidebar's badges).
    await sendMessage(app, writer, room.id, `${MENTION_TEXT} @${reader.username}?`);
    const direct = await app
      .http()
      .post('/api/dms')
      .set('Authorization', writer.auth)
      .send({ username: reader.username });
    expect([200, 201]).toContain(direct.status);
    await sendMessage(app, writer, direct.body.id, 'Got a minute?');
    await sendMessage(app, writer, direct.body.id, `Standup notes are up, @${reader.username}`);
  });

  afterAll(async () => {
    await app?.close();
  });

  async function open(
    viewport: { width: number; height: number },
    colorScheme: 'light' | 'dark',
  ): Promise<Page> {
    const client = await suite.open(app, { viewport, colorScheme });
    await client.page.locator('#auth-form').waitFor();
    return client.page;
  }

  /** Signs the reader in; the only room they are in opens by itself. */
  async function openConversation(page: Page): Promise<void> {
    await signIn(page, reader.username, reader.password);
    await page.locator('#room-title').filter({ hasText: room.name }).waitFor();
    await expectMessage(page, LINK_MESSAGE);
    await expectMessage(page, 'Thanks, reading it now.');
    await page.locator('#message-list .day').first().waitFor();
    await page.locator('#message-list a[href="https://example.com/agenda"]').first().waitFor();
    await page.locator('#message-list button.reply-quote').waitFor();
    await page.locator('#message-list .msg-edited').waitFor();
    await page.locator('#message-list button.reaction[aria-pressed="true"]').waitFor();
    await page.locator('#message-list .msg-tombstone').waitFor();
    await page.locator('#message-list .msg.mentioned').filter({ hasText: MENTION_TEXT }).waitFor();
    // In the room list (a closed drawer on phones).
    await page
      .locator('#direct-rooms .room .mention-badge')
      .filter({ hasText: '@1' })
      .waitFor({ state: 'attached' });
  }

  async function membersShown(page: Page): Promise<void> {
    const members = page.locator('#members');
    await members.locator('#members-online .member').filter({ hasText: reader.username }).waitFor();
    await members
      .locator('#members-offline .member')
      .filter({ hasText: writer.username })
      .waitFor();
  }

  /** The create-room dialog, with its first field focused. */
  async function createDialogOpen(page: Page): Promise<void> {
    await page.getByRole('dialog', { name: 'Create a room' }).getByLabel('Name').waitFor();
  }

  it.each(SCHEMES)(
    'desktop, %s: sign-in, a conversation with its members, editing, the reaction picker, the create-room dialog',
    async (scheme) => {
      const page = await open(DESKTOP, scheme);
      const found = await axeViolations(page, `sign-in, desktop, ${scheme}`);

      await openConversation(page);
      // Wide enough for the member list to stay open beside the conversation.
      await membersShown(page);
      // Completing a name in the composer: the listbox under it.
      const composer = page.getByRole('textbox', { name: 'Message' });
      await composer.click();
      await composer.pressSequentially('@');
      await page
        .getByRole('listbox', { name: 'People to mention' })
        .getByRole('option')
        .first()
        .waitFor();
      found.push(...(await axeViolations(page, `mention completion, desktop, ${scheme}`)));
      await composer.press('Escape');
      await composer.fill('');
      // With a reply being written: the bar over the composer.
      await page
        .getByRole('button', { name: `Reply to ${writer.username}` })
        .first()
        .focus();
      await page.keyboard.press('Enter');
      await page.locator('#reply-bar').waitFor({ state: 'visible' });
      found.push(...(await axeViolations(page, `conversation, desktop, ${scheme}`)));

      // Editing the reader's own message in place, then the reaction picker.
      const own = page.locator('#message-list .msg.own').last();
      await own.hover();
      await own.getByRole('button', { name: 'Edit message' }).click();
      const editBox = page.getByRole('textbox', { name: 'Edit message' });
      await editBox.waitFor();
      found.push(...(await axeViolations(page, `editing a message, desktop, ${scheme}`)));
      await editBox.press('Escape');
      await editBox.waitFor({ state: 'detached' });
      await own.hover();
      await own.getByRole('button', { name: 'Add a reaction' }).first().click();
      const picker = page.getByRole('dialog', { name: 'Add a reaction' });
      await picker.getByRole('button', { name: 'thumbs up' }).waitFor();
      found.push(...(await axeViolations(page, `reaction picker, desktop, ${scheme}`)));
      await picker.getByRole('button', { name: 'Cancel' }).click();
      await picker.waitFor({ state: 'hidden' });

      await page.getByRole('button', { name: 'Create a room' }).click();
      await createDialogOpen(page);
      found.push(...(await axeViolations(page, `create-room dialog, desktop, ${scheme}`)));
      await page
        .getByRole('dialog', { name: 'Create a room' })
        .getByRole('button', { name: 'Cancel' })
        .click();

      // The people picker, listing the writer.
      await page.getByRole('button', { name: 'New direct message' }).click();
      const people = page.getByRole('dialog', { name: 'New direct message' });
      // The store may hold many people: the list shows the first ones until a name narrows it.
      await people.getByRole('searchbox', { name: 'Find a person' }).fill(writer.username);
      await people.getByRole('button', { name: writer.username }).waitFor();
      found.push(...(await axeViolations(page, `people picker, desktop, ${scheme}`)));
      await people.getByRole('button', { name: 'Cancel' }).click();
      await people.waitFor({ state: 'hidden' });

      // Search results, the words found marked.
      await page.locator('#messages').focus();
      await page.keyboard.press('Control+k');
      const search = page.getByRole('dialog', { name: 'Search messages' });
      await search.getByRole('searchbox').fill('standup');
      await search.getByRole('searchbox').press('Enter');
      await search.locator('.search-hit mark').first().waitFor();
      found.push(...(await axeViolations(page, `search results, desktop, ${scheme}`)));

      expect(found).toEqual([]);
    },
  );

  it.each(SCHEMES)(
    "375 px, %s: sign-in, a newcomer's first screen, the welcome screen, the create-room dialog",
    async (scheme) => {
      const page = await open(PHONE, scheme);
      const found = await axeViolations(page, `sign-in, 375 px, ${scheme}`);

      // A new account lands in general, ready to type.
      await signUp(page, uniqueName('new'));
      await page.locator('#room-title').filter({ hasText: 'general' }).waitFor();
      await page.getByRole('textbox', { name: 'Message' }).waitFor();
      found.push(...(await axeViolations(page, `newcomer in general, 375 px, ${scheme}`)));

      // Someone in no room at all is welcomed instead.
      const other = await open(PHONE, scheme);
      await signIn(other, roomless.username, roomless.password);
      const welcome = other.locator('#empty');
      await welcome.filter({ hasText: 'Welcome' }).waitFor();
      found.push(...(await axeViolations(other, `welcome, 375 px, ${scheme}`)));

      // Opened from here rather than from the room list: axe does not place a modal dialog (top
      // layer) above the open drawer, so it would skip the dialog's text as covered.
      await welcome.getByRole('button', { name: 'Create a room' }).click();
      await createDialogOpen(other);
      found.push(...(await axeViolations(other, `create-room dialog, 375 px, ${scheme}`)));

      expect(found).toEqual([]);
    },
  );

  it.each(SCHEMES)('375 px, %s: a conversation, its members, the room list', async (scheme) => {
    const page = await open(PHONE, scheme);
    await openConversation(page);
    const found = await axeViolations(page, `conversation, 375 px, ${scheme}`);

    // At this width the member list and the room list are drawers over the conversation.
    await page.getByRole('button', { name: /members, show the list/ }).click();
    await membersShown(page);
    found.push(...(await axeViolations(page, `member list, 375 px, ${scheme}`)));
    await page.getByRole('button', { name: 'Close the member list' }).click();
    await page.locator('#members').waitFor({ state: 'hidden' });

    await page.getByRole('button', { name: 'Show rooms' }).click();
    await page.locator('#sidebar').waitFor({ state: 'visible' });
    await page.locator('#public-rooms .room-note').first().waitFor();
    found.push(...(await axeViolations(page, `room list, 375 px, ${scheme}`)));

    expect(found).toEqual([]);
  });

  it.each(SCHEMES)(
    'desktop and 375 px, %s: the room settings, the profile with its sessions, the accounts',
    async (scheme) => {
      const found: string[] = [];
      for (const [width, viewport] of [
        ['desktop', DESKTOP],
        ['375 px', PHONE],
      ] as const) {
        const page = await open(viewport, scheme);
        await signIn(page, admin.username, admin.password);
        if (width === '375 px') await page.getByRole('button', { name: 'Show rooms' }).click();
        await openRoom(page, room.name);

        // A server admin moderates every channel: its members, each with what can be done.
        await page.getByRole('button', { name: 'Room settings' }).click();
        const settings = page.getByRole('dialog', { name: 'Room settings' });
        await settings.getByRole('button', { name: `Remove ${reader.username}` }).waitFor();
        await settings.getByText(/^Owner$/).waitFor();
        found.push(...(await axeViolations(page, `room settings, ${width}, ${scheme}`)));
        await settings.getByRole('button', { name: 'Close' }).click();
        await settings.waitFor({ state: 'hidden' });

        // Opened on a wide screen only: on a phone the button is in the room list's drawer, and
        // axe does not place a modal dialog (top layer) above the open drawer.
        if (width === 'desktop') {
          await page.getByRole('button', { name: 'Profile', exact: true }).click();
          const profile = page.getByRole('dialog', { name: 'Your profile' });
          await profile.locator('#sessions-list .manage-item.current').waitFor();
          found.push(...(await axeViolations(page, `profile, ${width}, ${scheme}`)));
          await profile.getByRole('button', { name: 'Close' }).click();
          await profile.waitFor({ state: 'hidden' });

          await page.getByRole('button', { name: 'Accounts', exact: true }).click();
          const accounts = page.getByRole('dialog', { name: 'Manage accounts' });
          await accounts.getByRole('searchbox').fill(writer.username);
          await accounts.getByRole('button', { name: `Deactivate ${writer.username}` }).waitFor();
          found.push(...(await axeViolations(page, `accounts, ${width}, ${scheme}`)));
        }
      }
      expect(found).toEqual([]);
    },
  );
});
