import { Logger } from '@nestjs/common';
import Fastify, { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { webClient } from './web-client.plugin';

/** A built client in a folder of its own: the page and a bundle with their compressed forms. */
function builtClient(): { root: string; files: Record<string, Buffer> } {
  const root = mkdtempSync(join(tmpdir(), 'web-client-'));
  mkdirSync(join(root, 'assets'));
  const page = Buffer.from(`<!doctype html><title>chat</title>${'<p>hello</p>'.repeat(200)}`);
  const script = Buffer.from(`console.info(${JSON.stringify('x'.repeat(4000))});`);
  const files: Record<string, Buffer> = {
    'index.html': page,
    'index.html.br': brotliCompressSync(page),
    'index.html.gz': gzipSync(page),
    'assets/app-ABC123.js': script,
    'assets/app-ABC123.js.br': brotliCompressSync(script),
    'assets/app-ABC123.js.gz': gzipSync(script),
    'assets/app-ABC123.js.map': Buffer.from('{"version":3}'),
    'assets/.hidden.js': script,
    'favicon.svg': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    'secret.js': Buffer.from('secret'),
  };
  for (const [file, content] of Object.entries(files)) writeFileSync(join(root, file), content);
  return { root, files };
}

describe('webClient: the web client’s files over Fastify', () => {
  let root: string;
  let files: Record<string, Buffer>;
  let app: FastifyInstance;

  beforeAll(async () => {
    Logger.overrideLogger(false);
    ({ root, files } = builtClient());
    app = Fastify();
    await app.register(webClient, { root });
    app.setNotFoundHandler((_request, reply) => reply.code(404).send({ code: 'not_found' }));
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    rmSync(root, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers: { host: 'chat.example.com:8080', ...headers } });

  const expectNotFound = (response: LightMyRequestResponse) => {
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'not_found' });
    expect(response.headers['content-security-policy']).toBeUndefined();
  };

  it('serves the page at / with the security headers, revalidated on every use', async () => {
    const response = await get('/');
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload).toEqual(files['index.html']);
    expect(response.headers).toMatchObject({
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      vary: 'Accept-Encoding',
      etag: expect.any(String),
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'content-security-policy': expect.stringContaining(
        "connect-src 'self' ws://chat.example.com:8080 wss://chat.example.com:8080",
      ),
    });
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers['last-modified']).toBeUndefined();
    expect(response.headers['accept-ranges']).toBeUndefined();
  });

  it.each([
    ['br', 'br, gzip', 'index.html.br'],
    ['gzip', 'gzip, deflate', 'index.html.gz'],
    ['gzip', 'br;q=0, gzip', 'index.html.gz'],
    [undefined, 'identity', 'index.html'],
  ])(
    'sends the %s form built beside a file for Accept-Encoding: %s',
    async (encoding, accept, file) => {
      const response = await get('/', { 'accept-encoding': accept });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.rawPayload).toEqual(files[file]);
    },
  );

  it('serves bundles for good, as text/javascript whether compressed or not', async () => {
    for (const accept of ['br', 'identity']) {
      const response = await get('/assets/app-ABC123.js', { 'accept-encoding': accept });
      expect(response.statusCode).toBe(200);
      expect(response.headers).toMatchObject({
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
        'content-security-policy': expect.stringContaining("script-src 'self'"),
      });
    }
    const map = await get('/assets/app-ABC123.js.map');
    expect(map.headers['content-type']).toBe('application/json; charset=utf-8');
    const icon = await get('/favicon.svg', { 'accept-encoding': 'br' });
    expect(icon.headers).toMatchObject({
      'content-type': 'image/svg+xml',
      'cache-control': 'no-cache',
    });
    expect(icon.headers['content-encoding']).toBeUndefined();
  });

  it('answers 304 to the ETag of the representation the client holds, with the same headers', async () => {
    const plain = await get('/', { 'accept-encoding': 'identity' });
    const brotli = await get('/', { 'accept-encoding': 'br' });
    expect(brotli.headers.etag).not.toBe(plain.headers.etag);

    const current = await get('/', {
      'accept-encoding': 'br',
      'if-none-match': String(brotli.headers.etag),
    });
    expect(current.statusCode).toBe(304);
    expect(current.rawPayload).toHaveLength(0);
    expect(current.headers).toMatchObject({
      etag: brotli.headers.etag,
      'cache-control': 'no-cache',
      'content-type': 'text/html; charset=utf-8',
      vary: 'Accept-Encoding',
      'x-frame-options': 'DENY',
    });
    expect(current.headers['content-encoding']).toBeUndefined();

    const other = await get('/', {
      'accept-encoding': 'br',
      'if-none-match': String(plain.headers.etag),
    });
    expect(other.statusCode).toBe(200);
  });

  it('answers HEAD with the headers of GET and no body', async () => {
    const response = await app.inject({
      method: 'HEAD',
      url: '/assets/app-ABC123.js',
      headers: { 'accept-encoding': 'br' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.rawPayload).toHaveLength(0);
    expect(response.headers).toMatchObject({
      'content-type': 'text/javascript; charset=utf-8',
      'content-encoding': 'br',
      'content-length': String(files['assets/app-ABC123.js.br'].length),
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });

  it.each([
    '/assets/nope-123.js',
    '/assets/app-ABC123.js.br',
    '/assets/.hidden.js',
    '/assets/..%2Fsecret.js',
    '/assets/..%2F..%2Fetc%2Fpasswd',
    '/secret.js',
    '/index.html',
    '/index.html.br',
  ])('leaves %s to the 404 handler', async (url) => {
    expectNotFound(await get(url));
  });

  it('takes no other method', async () => {
    expectNotFound(await app.inject({ method: 'POST', url: '/' }));
  });

  it('answers 503 with how to build the client while the page is missing', async () => {
    const page = join(root, 'index.html');
    renameSync(page, `${page}.away`);
    try {
      const response = await get('/');
      expect(response.statusCode).toBe(503);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.body).toContain('npm run build');
      expect(response.headers['content-security-policy']).toBeUndefined();
    } finally {
      renameSync(`${page}.away`, page);
    }
    expect((await get('/')).statusCode).toBe(200);
  });
});
