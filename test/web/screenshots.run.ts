/**
 * `npm run screenshots`: boots the app on the in-memory store, stages a realistic conversation and
 * saves docs/screenshot-desktop.png (1440x900), docs/screenshot-mobile.png (375x812) and
 * docs/screenshot-dark.png. Not part of `npm test` (its name does not end in .e2e-spec.ts).
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { Socket } from 'socket.io-client';
import { createRoom, joinRoom, sendMessage } from '../factories/rooms.factory';
import { registerUser, type RegisteredUser } from '../factories/users.factory';
import { connectSocket } from '../support/realtime-clients';
import { startApp, type TestApp } from '../support/test-app';
import {
  buildClient,
  connected,
  expectMessage,
  launchBrowser,
  openRoom,
  signIn,
  waitForText,
} from './support/browser';

jest.setTimeout(120_000);

const DOCS = join(__dirname, '..', '..', 'docs');

let app: TestApp;
let browser: Browser;
const sockets: Socket[] = [];

beforeAll(async () => {
  buildClient();
  app = await startApp('memory');
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await browser?.close();
  await app?.close();
});

async function online(user: RegisteredUser): Promise<Socket> {
  const { socket, error } = await connectSocket(app.url, user.token);
  if (error) throw error;
  sockets.push(socket);
  return socket;
}

async function openAs(
  user: RegisteredUser,
  viewport: { width: number; height: number },
  colorScheme: 'light' | 'dark' = 'light',
): Promise<Page> {
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'Europe/Berlin',
    colorScheme,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  await page.goto(app.url);
  await signIn(page, user.username, user.password);
  await connected(page);
  return page;
}

async function typing(socket: Socket, page: Page, roomId: number, name: string): Promise<void> {
  socket.emit('typing', { room_id: roomId, is_typing: true });
  await waitForText(page.locator('#typing'), `${name} is typing`);
  // No hover highlight from where the pointer last clicked.
  await page.mouse.move(0, 0);
}

it('takes the README screenshots', async () => {
  const [maya, jonas, priya, leo, sam, chen] = await Promise.all(
    ['maya', 'jonas', 'priya', 'leo', 'sam', 'chen'].map((name) => registerUser(app, name)),
  );
  const design = await createRoom(app, jonas, { name: 'design' });
  // The server starts with a room called general.
  const rooms = (await app.http().get('/api/rooms').expect(200)).body as {
    id: number;
    name: string;
  }[];
  const general = rooms.find((room) => room.name === 'general')!;
  const engineering = await createRoom(app, leo, { name: 'engineering' });
  const random = await createRoom(app, sam, { name: 'random' });
  const launch = await createRoom(app, maya, { name: 'launch-plan', isPrivate: true });
  await createRoom(app, chen, { name: 'book-club' });
  await createRoom(app, sam, { name: 'hiring' });
  for (const user of [maya, priya, leo, sam]) await joinRoom(app, user, design.id);
  for (const user of [maya, jonas, priya, leo, sam, chen]) await joinRoom(app, user, general.id);
  for (const user of [maya, jonas, priya]) await joinRoom(app, user, engineering.id);
  for (const user of [maya, jonas, leo]) await joinRoom(app, user, random.id);
  await app
    .http()
    .post(`/api/rooms/${launch.id}/members`)
    .set('Authorization', maya.auth)
    .send({ username: 'priya' })
    .expect(201);

  const conversation: [RegisteredUser, string][] = [
    [jonas, 'Morning! I pushed the new onboarding mockups to the shared folder.'],
    [jonas, 'Three variants: compact, guided, and the one with the progress bar.'],
    [
      priya,
      'Nice work. The guided one reads much better on phones, the step labels are finally legible at 375 px.',
    ],
    [
      maya,
      'Agreed. Can we keep the progress bar from variant C though? People liked knowing how far along they were in the last test round.',
    ],
    [
      leo,
      'Heads up: the illustration on step 2 is 480 KB. I can export it as SVG, that should get it under 20 KB.',
    ],
    [jonas, 'Please do, thanks!'],
    [priya, 'My review notes: https://example.com/design/onboarding-review'],
    [
      maya,
      "Let's walk through them at 14:00.\nI'll book the small meeting room and post the call link here.",
    ],
    [sam, "I'll join for the first half, then I have to jump to the release sync."],
  ];
  for (const [user, text] of conversation) await sendMessage(app, user, design.id, text);
  await sendMessage(app, leo, engineering.id, 'CI is green again after the flaky socket test fix.');
  await sendMessage(app, priya, launch.id, 'Draft of the announcement is ready for review.');

  const jonasSocket = await online(jonas);
  const priyaSocket = await online(priya);
  await online(leo);

  // Desktop, light.
  const desktop = await openAs(maya, { width: 1440, height: 900 });
  await openRoom(desktop, 'design');
  await expectMessage(
    desktop,
    "I'll join for the first half, then I have to jump to the release sync.",
  );
  await desktop.locator('#members-online .member').filter({ hasText: 'leo' }).waitFor();
  await sendMessage(app, chen, general.id, 'Reminder: all-hands moves to Thursday this week.');
  await sendMessage(app, sam, general.id, 'Pizza is on the way to the third floor.');
  await sendMessage(app, jonas, general.id, 'Who took the good HDMI adapter?');
  await sendMessage(app, leo, random.id, 'Anyone up for a climbing session on Friday?');
  await waitForText(desktop.locator('.room[data-room-id="' + general.id + '"] .badge'), '3');
  await waitForText(desktop.locator('.room[data-room-id="' + random.id + '"] .badge'), '1');
  await typing(priyaSocket, desktop, design.id, 'priya');
  await desktop.screenshot({ path: join(DOCS, 'screenshot-desktop.png') });

  // Phone, light: the room list is behind the menu button.
  const phone = await openAs(maya, { width: 375, height: 812 });
  await phone.locator('#room-title').filter({ hasText: 'design' }).waitFor();
  await expectMessage(
    phone,
    "I'll join for the first half, then I have to jump to the release sync.",
  );
  await sendMessage(app, sam, random.id, 'Count me in!');
  await phone.locator('#rooms-toggle-badge').waitFor();
  await typing(jonasSocket, phone, design.id, 'jonas');
  await phone.screenshot({ path: join(DOCS, 'screenshot-mobile.png') });

  // Desktop, dark (the system's preference).
  const dark = await openAs(maya, { width: 1440, height: 900 }, 'dark');
  await dark.locator('#room-title').filter({ hasText: 'design' }).waitFor();
  await expectMessage(
    dark,
    "I'll join for the first half, then I have to jump to the release sync.",
  );
  await dark.locator('#members-online .member').filter({ hasText: 'leo' }).waitFor();
  await typing(priyaSocket, dark, design.id, 'priya');
  await dark.screenshot({ path: join(DOCS, 'screenshot-dark.png') });
});
