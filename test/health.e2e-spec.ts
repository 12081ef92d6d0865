import { startApp, STORES, TestApp } from './support/test-app';

describe.each(STORES)('GET /health (%s store)', (store) => {
  let app: TestApp;

  beforeAll(async () => {
    app = await startApp(store);
  });
  afterAll(() => app.close());

  it('answers 200 and names the store', async () => {
    const response = await app.http().get('/health').expect(200);
    expect(response.body).toMatchObject({
      status: 'ok',
      storage: store,
      checks: { storage: 'up' },
    });
  });
});
