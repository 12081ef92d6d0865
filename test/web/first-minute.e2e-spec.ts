import { registerUser, uniqueName } from '../factories/users.factory';
import { startApp, STORES, type TestApp } from '../support/test-app';
import { browserForSuite, message, send, signUp } from './support/browser';

jest.setTimeout(90_000);

const suite = browserForSuite();

/** The Go server's promise: enter a username, choose a chat room, start messaging. */
describe.each(STORES)('the first minute of a new user (%s store)', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each([
    ['a desktop', { width: 1280, height: 800 }],
    ['a 375 px phone', { width: 375, height: 812 }],
  ])('on %s: signs up and types into general with no other step', async (_name, viewport) => {
    const { page } = await suite.open(app, { viewport });
    const username = uniqueName('newcomer');

    await signUp(page, username);

    await page.locator('#room-title').filter({ hasText: 'general' }).waitFor();
    const composer = page.getByRole('textbox', { name: 'Message' });
    await composer.waitFor({ state: 'visible' });
    await send(page, `hello from ${username}`);
    await message(page, `hello from ${username}`).waitFor();
  });

  it('lists the new account among the members of general over REST', async () => {
    const user = await registerUser(app);
    const rooms = await app.http().get('/api/rooms').set('Authorization', user.auth).expect(200);
    const general = (rooms.body as { name: string; is_member: boolean; id: number }[]).find(
      (room) => room.name === 'general',
    );
    expect(general).toMatchObject({ is_member: true });
    const members = await app.http().get(`/api/rooms/${general!.id}/members`).expect(200);
    expect((members.body as { id: number }[]).map((member) => member.id)).toContain(user.id);
  });
});
