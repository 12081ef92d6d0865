import {
  BaseResolver,
  createConfig,
  lintFromString,
  type NormalizedProblem,
  type Source,
} from '@redocly/openapi-core';
import { MISSING_ROOM_ID } from './support/http-expectations';
import { startApp, STORES, TestApp } from './support/test-app';

type Auth = 'none' | 'optional' | 'token';

/** Every REST operation, in OpenAPI's notation, with the auth the contract gives it. */
const CONTRACT_OPERATIONS: [path: string, method: string, auth: Auth][] = [
  ['/health', 'get', 'none'],
  ['/metrics', 'get', 'none'],
  ['/api/auth/register', 'post', 'none'],
  ['/api/auth/login', 'post', 'none'],
  ['/api/auth/logout', 'post', 'token'],
  ['/api/auth/logout-all', 'post', 'token'],
  ['/api/users/me/sessions', 'get', 'token'],
  ['/api/users/me/sessions/{id}', 'delete', 'token'],
  ['/api/users/me', 'get', 'token'],
  ['/api/users/me', 'patch', 'token'],
  ['/api/users/me/password', 'post', 'token'],
  ['/api/users', 'get', 'token'],
  ['/api/rooms', 'get', 'optional'],
  ['/api/rooms', 'post', 'token'],
  ['/api/rooms/{id}', 'get', 'optional'],
  ['/api/rooms/{id}', 'patch', 'token'],
  ['/api/rooms/{id}', 'delete', 'token'],
  ['/api/rooms/{id}/messages', 'get', 'optional'],
  ['/api/rooms/{id}/messages', 'post', 'token'],
  ['/api/rooms/{id}/messages/{message_id}', 'get', 'optional'],
  ['/api/rooms/{id}/messages/{message_id}', 'patch', 'token'],
  ['/api/rooms/{id}/messages/{message_id}', 'delete', 'token'],
  ['/api/rooms/{id}/messages/{message_id}/reactions/{emoji}', 'put', 'token'],
  ['/api/rooms/{id}/messages/{message_id}/reactions/{emoji}', 'delete', 'token'],
  ['/api/rooms/{id}/join', 'post', 'token'],
  ['/api/rooms/{id}/leave', 'post', 'token'],
  ['/api/rooms/{id}/read', 'post', 'token'],
  ['/api/dms', 'post', 'token'],
  ['/api/rooms/{id}/members', 'get', 'optional'],
  ['/api/rooms/{id}/members', 'post', 'token'],
  ['/api/rooms/{id}/members/{user_id}', 'patch', 'token'],
  ['/api/rooms/{id}/members/{user_id}', 'delete', 'token'],
  ['/api/rooms/{id}/bans', 'get', 'token'],
  ['/api/rooms/{id}/bans', 'post', 'token'],
  ['/api/rooms/{id}/bans/{user_id}', 'delete', 'token'],
  ['/api/search/messages', 'get', 'token'],
  ['/api/admin/users', 'get', 'token'],
  ['/api/admin/users/{id}/deactivate', 'post', 'token'],
  ['/api/admin/users/{id}/reactivate', 'post', 'token'],
];

/** Warnings of the recommended ruleset that stay, as `rule pointer`, each with its reason. */
const ACCEPTED_WARNINGS: Record<string, string> = {
  'operation-4xx-response #/paths/~1health/get/responses':
    '/health answers 200 or 503; there is no client error to document',
};

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
  components: {
    securitySchemes?: Record<string, { type: string; scheme?: string }>;
    schemas?: Record<string, { properties?: Record<string, unknown>; required?: string[] }>;
  };
}

/** Refuses every reference outside the document, so linting never reaches the network. */
class LocalOnlyResolver extends BaseResolver {
  override loadExternalRef(absoluteRef: string): Promise<Source> {
    return Promise.reject(new Error(`external reference not loaded: ${absoluteRef}`));
  }
}

/** The findings of the recommended ruleset as `severity rule pointer: message`. */
async function lintRecommended(source: string): Promise<string[]> {
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({
    source,
    absoluteRef: '/api/docs-json',
    config,
    externalRefResolver: new LocalOnlyResolver(),
  });
  return problems.map(describeProblem);
}

function describeProblem({ severity, ruleId, message, location }: NormalizedProblem): string {
  const where = location.map((at) => at.pointer ?? `${at.start.line}:${at.start.col}`).join(', ');
  return `${severity} ${ruleId} ${where}: ${message}`;
}

/** A concrete URL for a path template, naming a room that does not exist. */
const urlOf = (path: string) => path.replace('{id}', String(MISSING_ROOM_ID));

describe.each(STORES)('OpenAPI (%s store)', (store) => {
  let app: TestApp;
  let source: string;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await startApp(store);
    const response = await app.http().get('/api/docs-json').expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    source = response.text;
    document = response.body;
  });
  afterAll(() => app.close());

  it('is an OpenAPI 3 document', () => {
    expect(document.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(typeof document.paths).toBe('object');
  });

  it('documents exactly the operations of the contract', () => {
    const documented = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    const contract = CONTRACT_OPERATIONS.map(([path, method]) => `${method} ${path}`);
    expect(documented.sort()).toEqual(contract.sort());
  });

  it('passes the recommended Redocly ruleset', async () => {
    const problems = await lintRecommended(source);
    const accepted = (problem: string) =>
      Object.keys(ACCEPTED_WARNINGS).some((warning) => problem.startsWith(`warn ${warning}:`));
    expect(problems.filter((problem) => !accepted(problem))).toEqual([]);
  });

  it('has one bearer security scheme', () => {
    const schemes = Object.values(document.components.securitySchemes ?? {});
    expect(schemes).toEqual([expect.objectContaining({ type: 'http', scheme: 'bearer' })]);
  });

  it('gives each operation the security of its auth: none, optional or a token', () => {
    const [bearer] = Object.keys(document.components.securitySchemes ?? {});
    const expected: Record<Auth, Record<string, string[]>[]> = {
      none: [],
      optional: [{}, { [bearer]: [] }],
      token: [{ [bearer]: [] }],
    };
    for (const [path, method, auth] of CONTRACT_OPERATIONS) {
      const { security } = document.paths[path][method];
      expect({ path, method, security }).toEqual({ path, method, security: expected[auth] });
    }
  });

  it('matches what the server enforces: only operations that need a token refuse a call without one', async () => {
    for (const [path, method] of CONTRACT_OPERATIONS) {
      const { security = [] } = document.paths[path][method];
      const needsToken = security.length > 0 && !security.some((s) => Object.keys(s).length === 0);
      const call = app.http()[method as 'get' | 'post' | 'put' | 'patch' | 'delete'](urlOf(path));
      const response = await (method === 'get' ? call : call.send({}));
      expect({ path, method, unauthorized: response.status === 401 }).toEqual({
        path,
        method,
        unauthorized: needsToken,
      });
    }
  });

  it('documents every client error with the ErrorBody schema', () => {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, { responses }] of Object.entries(item)) {
        for (const [status, response] of Object.entries(responses)) {
          if (!status.startsWith('4')) continue;
          expect({ path, method, status, schema: response.content?.['application/json'] }).toEqual({
            path,
            method,
            status,
            schema: { schema: { $ref: '#/components/schemas/ErrorBody' } },
          });
        }
      }
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
