import { startApp, STORES, TestApp } from './support/test-app';

/** Every REST path of the contract, in OpenAPI's notation, with its methods. */
const CONTRACT_PATHS: Record<string, string[]> = {
  '/health': ['get'],
  '/api/auth/register': ['post'],
  '/api/auth/login': ['post'],
  '/api/users/me': ['get'],
  '/api/users': ['get'],
  '/api/rooms': ['get', 'post'],
  '/api/rooms/{id}': ['get'],
  '/api/rooms/{id}/messages': ['get', 'post'],
  '/api/rooms/{id}/join': ['post'],
  '/api/rooms/{id}/leave': ['post'],
  '/api/rooms/{id}/members': ['get', 'post'],
};

/** Operations the contract marks "auth: yes". */
const AUTHENTICATED: [string, string][] = [
  ['/api/users/me', 'get'],
  ['/api/users', 'get'],
  ['/api/rooms', 'post'],
  ['/api/rooms/{id}/join', 'post'],
  ['/api/rooms/{id}/leave', 'post'],
  ['/api/rooms/{id}/members', 'post'],
];

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>;
  components: {
    securitySchemes?: Record<string, { type: string; scheme?: string }>;
    schemas?: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
  };
}

describe.each(STORES)('OpenAPI (%s store)', (store) => {
  let app: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await startApp(store);
    const response = await app.http().get('/api/docs-json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    document = response.body;
  });
  afterAll(() => app.close());

  it('is an OpenAPI 3 document', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(typeof document.paths).toBe('object');
  });

  it.each(Object.entries(CONTRACT_PATHS))('documents %s with its methods', (path, methods) => {
    expect(Object.keys(document.paths)).toContain(path);
    for (const method of methods) expect(Object.keys(document.paths[path])).toContain(method);
  });

  it('has a bearer security scheme, required by the authenticated operations', () => {
    const schemes = Object.entries(document.components.securitySchemes ?? {}).filter(
      ([, scheme]) => scheme.type === 'http' && scheme.scheme?.toLowerCase() === 'bearer',
    );
    expect(schemes).toHaveLength(1);
    const [name] = schemes[0];
    for (const [path, method] of AUTHENTICATED) {
      const security = document.paths[path]?.[method]?.security ?? [];
      expect({ path, method, bearer: security.some((entry) => name in entry) }).toEqual({
        path,
        method,
        bearer: true,
      });
    }
  });

  it('has the ErrorBody schema', () => {
    const errorBody = document.components.schemas?.ErrorBody;
    expect(errorBody).toBeDefined();
    expect(Object.keys(errorBody!.properties ?? {})).toEqual(
      expect.arrayContaining(['status_code', 'code', 'message', 'details']),
    );
    expect(errorBody!.required ?? []).toEqual(
      expect.arrayContaining(['status_code', 'code', 'message']),
    );
  });

  it('serves the UI as HTML at /api/docs', async () => {
    const response = await app.http().get('/api/docs').redirects(2).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.text).toMatch(/<html/i);
    expect(response.text).toMatch(/swagger/i);
  });
});
