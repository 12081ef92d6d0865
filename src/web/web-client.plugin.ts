import { Logger } from '@nestjs/common';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest, onSendHookHandler } from 'fastify';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assetFile, cacheControlOf, contentTypeOf, PAGE } from './client-files';
import { securityHeaders } from './security-headers';

/** Statuses of a file sent (304: the client's copy is current). */
const FILE_SENT = new Set([200, 304]);

type Sender = (reply: FastifyReply, file: string) => FastifyReply;

const sendFile: Sender = (reply, file) => reply.sendFile(file);

/**
 * The web client's routes, in a Fastify scope of their own: the page at `/`, its bundles under
 * `/assets/`, the icon. Only these routes are taken, so every other path (unknown /api routes
 * included) keeps the JSON 404. @fastify/static sends the files: ETag and 304, HEAD, and the .br
 * or .gz written by the build when the client accepts it.
 */
export async function webClient(scope: FastifyInstance, { root }: { root: string }): Promise<void> {
  await scope.register(fastifyStatic, {
    root,
    serve: false,
    preCompressed: true,
    index: false,
    // What the client's answers have always carried: no Last-Modified, no ranges, our caching.
    lastModified: false,
    acceptRanges: false,
    cacheControl: false,
  });
  route(scope, '/', () => PAGE, pageSender(root));
  route(scope, '/favicon.svg', () => 'favicon.svg');
  route(scope, '/assets/:file', (request) => assetFile((request.params as { file: string }).file));
}

/**
 * Sends the page, or while the client is not built, 503 with how to build it (logged once each
 * time it goes missing).
 */
function pageSender(root: string): Sender {
  const logger = new Logger('WebClient');
  let missing = false;
  return (reply, file) => {
    const built = existsSync(join(root, file));
    if (!built && !missing) {
      logger.warn(`The web client is not built (no ${join(root, file)}): run npm run build`);
    }
    missing = !built;
    if (built) return sendFile(reply, file);
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The web client is not built. Run `npm run build` (or `npm run build:client`).\n');
  };
}

/**
 * GET (and HEAD) `url`: the file `fileOf` names under the root, with the client's headers, or
 * the JSON 404 when it names none.
 */
function route(
  scope: FastifyInstance,
  url: string,
  fileOf: (request: FastifyRequest) => string | null,
  send: Sender = sendFile,
): void {
  const headers: onSendHookHandler = (request, reply, payload, done) => {
    const file = fileOf(request);
    if (file !== null && FILE_SENT.has(reply.statusCode)) {
      void reply.headers({
        ...securityHeaders(request.headers.host),
        // @fastify/send would call JavaScript application/javascript: the types are the client's.
        'Content-Type': contentTypeOf(file),
        'Cache-Control': cacheControlOf(file),
        Vary: 'Accept-Encoding',
      });
      // A 304 describes the representation the client holds; it has no body to encode.
      if (reply.statusCode === 304) void reply.removeHeader('Content-Encoding');
    }
    done(null, payload);
  };
  scope.get(url, { onSend: headers }, (request, reply) => {
    const file = fileOf(request);
    return file === null ? reply.callNotFound() : send(reply, file);
  });
}
