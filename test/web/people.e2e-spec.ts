import type { Locator, Page } from 'playwright-core';
import { createRoom, joinRoom, sendMessage, type CreatedRoom } from '../factories/rooms.factory';
import {
  registerUser,
  signInAdmin,
  uniqueName,
  type RegisteredUser,
} from '../factories/users.factory';
import { startApp, STORES, type TestApp } from '../support/test-app';
import {
  browserForSuite,
  expectMessage,
  message,
  openRoom,
  roomButton,
  signIn,
  waitForText,
  type Client,
  type ClientOptions,
} from './support/browser';

jest.setTimeout(90_000);

const suite = browserForSuite();
const PHONE = { width: 375, height: 812 };
const SESSION_ENDED = 'You were signed out: this session was ended.';

/** Opens the room list on a phone, where it is a drawer; nothing on wider screens. */
async function showRooms(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Show rooms' });
  if (await toggle.isVisible()) {
    await toggle.click();
    await page.locator('#sidebar').waitFor({ state: 'visible' });
  }
}

/** Answers the confirmation dialog with its action button. */
async function confirm(page: Page, action: string): Promise<void> {
  const dialog = page.locator('#confirm-dialog');
  await dialog.getByRole('button', { name: action, exact: true }).click();
  await dialog.waitFor({ state: 'hidden' });
}

async function openProfile(page: Page): Promise<Locator> {
  await showRooms(page);
  await page.getByRole('button', { name: 'Profile', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Your profile' });
  await dialog.getByLabel('Display name').waitFor();
  return dialog;
}

async function openSettings(page: Page): Promise<Locator> {
  await page.getByRole('button', { name: 'Room settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Room settings' });
  await dialog.locator('#room-members .manage-item').first().waitFor();
  return dialog;
}

/** The member's row in the room settings. */
function memberRow(dialog: Locator, user: RegisteredUser): Locator {
  return dialog.locator(`#room-members .manage-item[data-user-id="${user.id}"]`);
}

/** Waits for the sign-in screen, showing `notice` when one is given. */
async function signedOut(page: Page, notice?: string): Promise<void> {
  await page.locator('#auth-view').waitFor({ state: 'visible' });
  if (notice) await waitForText(page.locator('#auth-error'), notice);
  // Nothing of the session stays open over the sign-in screen.
  expect(await page.locator('dialog[open]').count()).toBe(0);
}

describe.each(STORES)(
  'people, sessions and moderation in the web client on the %s store',
  (store) => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startApp(store);
    });

    afterAll(async () => {
      await app?.close();
    });

    /** Ada owns a room that Bob and Cid are in. */
    async function trio(): Promise<{
      ada: RegisteredUser;
      bob: RegisteredUser;
      cid: RegisteredUser;
      room: CreatedRoom;
    }> {
      const ada = await registerUser(app, uniqueName('ada'));
      const bob = await registerUser(app, uniqueName('bob'));
      const cid = await registerUser(app, uniqueName('cid'));
      const room = await createRoom(app, ada);
      await joinRoom(app, bob, room.id);
      await joinRoom(app, cid, room.id);
      return { ada, bob, cid, room };
    }

    async function makeAdmin(owner: RegisteredUser, room: CreatedRoom, user: RegisteredUser) {
      await app
        .http()
        .patch(`/api/rooms/${room.id}/members/${user.id}`)
        .set('Authorization', owner.auth)
        .send({ role: 'admin' })
        .expect(200);
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

    it('shows a changed display name to the others live, the username staying the handle', async () => {
      const { ada, bob, room } = await trio();
      await sendMessage(app, ada, room.id, 'Hello from Ada');
      const a = await signedIn(ada, room);
      const b = await signedIn(bob, room);
      await expectMessage(b.page, 'Hello from Ada');

      const profile = await openProfile(a.page);
      await waitForText(profile, `Signed in as @${ada.username}`);
      await profile.getByLabel('Display name').fill('Ada Lovelace');
      await profile.getByRole('button', { name: 'Save', exact: true }).click();
      await waitForText(a.page.locator('#me-name'), 'Ada Lovelace');
      await profile.getByRole('button', { name: 'Close' }).click();

      // Bob's view follows at once: the message's author and the member list.
      const author = message(b.page, 'Hello from Ada').locator('.msg-meta');
      await waitForText(author.locator('.msg-author'), 'Ada Lovelace');
      await waitForText(author.locator('.handle'), `@${ada.username}`);
      const member = b.page.locator(`#members .member[data-user-id="${ada.id}"]`);
      await waitForText(member.locator('.member-name'), 'Ada Lovelace');
      // Mentions and direct messages still go by the username.
      await b.page.getByRole('button', { name: `Message ${ada.username}`, exact: true }).waitFor();
      noErrors(a, b);
    });

    it('signs out another session from the list, then every session, each tab told why', async () => {
      const ada = await registerUser(app, uniqueName('ada'));
      const first = await signedIn(ada, null);
      const second = await signedIn(ada, null);
      const third = await signedIn(ada, null);

      const profile = await openProfile(first.page);
      const sessions = profile.locator('#sessions-list .manage-item');
      await waitForText(profile.locator('#sessions-status'), /^[3-9] active sessions$/);
      await sessions.filter({ hasText: 'This device' }).waitFor();
      expect(await sessions.filter({ hasText: 'This device' }).count()).toBe(1);
      // Each other session can be signed out on its own: one of the other two tabs' (the session
      // of the registration, made by the tests' HTTP client, names no browser).
      await sessions
        .filter({ hasNotText: 'This device' })
        .filter({ hasText: 'Chrome on Linux' })
        .first()
        .getByRole('button', { name: /^Sign out/ })
        .click();
      await confirm(first.page, 'Sign out');
      // Which of the two it was, the list does not say (same browser): the one that signs out.
      const ended = await Promise.race(
        [second, third].map((client) =>
          signedOut(client.page, SESSION_ENDED).then(
            () => client,
            () => new Promise<never>(() => undefined),
          ),
        ),
      );
      const still = ended === second ? third : second;
      expect(await still.page.locator('#app-view').isVisible()).toBe(true);

      await profile.getByRole('button', { name: 'Sign out everywhere' }).click();
      await confirm(first.page, 'Sign out everywhere');
      await signedOut(first.page);
      await signedOut(still.page, SESSION_ENDED);
      noErrors(first, second, third);
    });

    it('tells a wrong current password, and a new one signs the other sessions out (375 px)', async () => {
      const ada = await registerUser(app, uniqueName('ada'));
      const phone = await signedIn(ada, null, { viewport: PHONE });
      const other = await signedIn(ada, null);

      const profile = await openProfile(phone.page);
      await profile.getByLabel('Current password').fill('not my password');
      await profile.getByLabel('New password').fill('a brand new secret');
      await profile.getByRole('button', { name: 'Change password' }).click();
      await waitForText(profile.locator('#password-error'), 'The current password is wrong.');
      expect(await profile.getByLabel('Current password').getAttribute('aria-invalid')).toBe(
        'true',
      );

      await profile.getByLabel('Current password').fill(ada.password);
      await profile.getByRole('button', { name: 'Change password' }).click();
      await signedOut(other.page, SESSION_ENDED);
      await waitForText(profile.locator('#sessions-status'), '1 active session');
      // Nothing is wider than the phone's screen.
      const width = await phone.page.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
            .document.documentElement.scrollWidth,
      );
      expect(width).toBeLessThanOrEqual(PHONE.width);
      await profile.getByRole('button', { name: 'Close' }).click();

      await signIn(other.page, ada.username, 'a brand new secret');
      noErrors(phone, other);
    });

    it('the owner makes an admin; the admin removes a member, who sees the room go', async () => {
      const { ada, bob, cid, room } = await trio();
      const a = await signedIn(ada, room);
      const settings = await openSettings(a.page);
      await waitForText(memberRow(settings, ada).locator('.role-tag'), 'Owner');
      await memberRow(settings, bob)
        .getByRole('button', { name: `Make admin: ${bob.username}` })
        .click();
      await waitForText(memberRow(settings, bob).locator('.role-tag'), 'Admin');
      await memberRow(settings, bob)
        .getByRole('button', { name: `Make member: ${bob.username}` })
        .waitFor();
      await settings.getByRole('button', { name: 'Close' }).click();

      const b = await signedIn(bob, room);
      const c = await signedIn(cid, room);
      const bobSettings = await openSettings(b.page);
      // Admins act on plain members only, and change no roles.
      await memberRow(bobSettings, cid)
        .getByRole('button', { name: `Remove ${cid.username}` })
        .waitFor();
      expect(await memberRow(bobSettings, ada).getByRole('button').count()).toBe(0);
      expect(await bobSettings.getByRole('button', { name: /^Make / }).count()).toBe(0);
      expect(await bobSettings.getByRole('button', { name: 'Delete room' }).isVisible()).toBe(
        false,
      );

      await memberRow(bobSettings, cid)
        .getByRole('button', { name: `Remove ${cid.username}` })
        .click();
      await confirm(b.page, 'Remove');
      await memberRow(bobSettings, cid).waitFor({ state: 'detached' });

      await waitForText(c.page.locator('#toasts'), `You are no longer a member of ${room.name}.`);
      await c.page
        .locator('#room-title')
        .filter({ hasText: room.name })
        .waitFor({ state: 'detached' });
      await c.page
        .locator('#joined-rooms .room')
        .filter({ has: c.page.getByText(room.name, { exact: true }) })
        .waitFor({ state: 'detached' });
      noErrors(a, b, c);
    });

    it("a banned user's join is refused with a clear word, until unbanned", async () => {
      const { ada, cid, room } = await trio();
      const a = await signedIn(ada, room);
      const c = await signedIn(cid, room);
      const settings = await openSettings(a.page);
      await memberRow(settings, cid)
        .getByRole('button', { name: `Ban ${cid.username}` })
        .click();
      await confirm(a.page, 'Ban');
      await memberRow(settings, cid).waitFor({ state: 'detached' });
      const banned = settings.locator('#room-bans');
      await banned.getByRole('button', { name: `Unban ${cid.username}` }).waitFor();

      await waitForText(c.page.locator('#toasts'), `You are no longer a member of ${room.name}.`);
      // The public room is still there to be found; joining it is refused.
      await openRoom(c.page, room.name);
      await c.page.getByRole('button', { name: 'Join room' }).click();
      await waitForText(c.page.locator('#toasts'), 'You are banned from this room.');
      expect(await c.page.locator('#composer').isVisible()).toBe(false);

      await banned.getByRole('button', { name: `Unban ${cid.username}` }).click();
      await banned.getByRole('button').waitFor({ state: 'detached' });
      await c.page.getByRole('button', { name: 'Join room' }).click();
      await c.page.locator('#composer').waitFor({ state: 'visible' });
      noErrors(a, c);
    });

    it('a renamed room is renamed for its members live; a deleted one leaves their lists', async () => {
      const { ada, bob, room } = await trio();
      const a = await signedIn(ada, room);
      const b = await signedIn(bob, room);
      const settings = await openSettings(a.page);
      const renamed = uniqueName('renamed');
      await settings.getByLabel('Name').fill(renamed);
      await settings.getByLabel('Description').fill('Plans and dates');
      await settings.getByRole('button', { name: 'Save changes' }).click();
      await waitForText(a.page.locator('#toasts'), 'Room settings saved');
      // room_updated: the others' view follows.
      await b.page.locator('#room-title').filter({ hasText: renamed }).waitFor();
      await waitForText(b.page.locator('#room-desc'), 'Plans and dates');
      await roomButton(b.page, renamed).waitFor();

      await settings.getByRole('button', { name: 'Delete room' }).click();
      await confirm(a.page, 'Delete room');
      await settings.waitFor({ state: 'hidden' });
      await waitForText(a.page.locator('#toasts'), `${renamed} was deleted`);

      await waitForText(b.page.locator('#toasts'), `You are no longer a member of ${renamed}.`);
      for (const page of [a.page, b.page]) {
        await roomButton(page, renamed).waitFor({ state: 'detached' });
      }
      noErrors(a, b);
    });

    it("a room admin deletes another's message; everyone sees the tombstone", async () => {
      const { ada, bob, cid, room } = await trio();
      await makeAdmin(ada, room, bob);
      await sendMessage(app, cid, room.id, 'Buy cheap watches');
      const b = await signedIn(bob, room);
      const c = await signedIn(cid, room);
      await expectMessage(c.page, 'Buy cheap watches');

      const spam = message(b.page, 'Buy cheap watches');
      await spam.hover();
      await spam.getByRole('button', { name: 'Delete message' }).click();
      await confirm(b.page, 'Delete');
      await c.page.locator('#message-list .msg-tombstone').waitFor();
      await b.page.locator('#message-list .msg-tombstone').waitFor();
      // Others' messages offer no Delete to plain members.
      await sendMessage(app, bob, room.id, 'Cleaned up');
      await expectMessage(c.page, 'Cleaned up');
      await message(c.page, 'Cleaned up').hover();
      expect(
        await message(c.page, 'Cleaned up').getByRole('button', { name: 'Delete message' }).count(),
      ).toBe(0);
      noErrors(b, c);
    });

    it('a server admin deactivates an account: it is signed out at once and cannot sign in', async () => {
      const dan = await registerUser(app, uniqueName('dan'));
      const admin = await signedIn(await signInAdmin(app), null);
      const d = await signedIn(dan, null);

      await admin.page.getByRole('button', { name: 'Accounts', exact: true }).click();
      const dialog = admin.page.getByRole('dialog', { name: 'Manage accounts' });
      await dialog.getByRole('searchbox', { name: 'Find an account' }).fill(dan.username);
      await dialog.getByRole('button', { name: `Deactivate ${dan.username}` }).click();
      await confirm(admin.page, 'Deactivate');
      await dialog.getByRole('button', { name: `Reactivate ${dan.username}` }).waitFor();

      await signedOut(d.page, SESSION_ENDED);
      const form = d.page.locator('#auth-form');
      await form.getByLabel('Username').fill(dan.username);
      await form.getByLabel('Password').fill(dan.password);
      await form.getByRole('button', { name: 'Sign in' }).click();
      await waitForText(d.page.locator('#auth-error'), 'This account has been deactivated.');

      await dialog.getByRole('button', { name: `Reactivate ${dan.username}` }).click();
      await confirm(admin.page, 'Reactivate');
      await dialog.getByRole('button', { name: `Deactivate ${dan.username}` }).waitFor();
      await signIn(d.page, dan.username, dan.password);
      noErrors(admin, d);
    });

    it('only server admins see the accounts dialog', async () => {
      const ada = await registerUser(app, uniqueName('ada'));
      const a = await signedIn(ada, null);
      await a.page.getByRole('button', { name: 'Profile', exact: true }).waitFor();
      expect(await a.page.getByRole('button', { name: 'Accounts', exact: true }).count()).toBe(0);
    });
  },
);
