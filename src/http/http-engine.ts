import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { LIMITS } from '../common/limits';
import { RequestError } from '../common/errors/app-error';
import { errorBody } from '../common/errors/error-body';
import { requestIdOf, setAnswerHeaders } from './access-log';

/** Path parameters are ids and asset names; a longer one is refused by its pipe, not the router. */
const MAX_PARAM_LENGTH = 1024;

/**
 * The HTTP engine: Fastify, whose request path costs a fraction of Express's. Routing keeps the
 * rules clients already rely on: a trailing slash and the letter case of a path do not matter.
 */
export function createHttpAdapter(trustProxy: boolean | number | string[]): FastifyAdapter {
  const adapter = new FastifyAdapter({
    bodyLimit: LIMITS.bodyBytes,
    // A number trusts that many hops, as Express did.
    trustProxy:
      typeof trustProxy === 'number'
        ? (_address: string, hop: number) => hop < trustProxy
        : trustProxy,
    requestIdHeader: false,
    genReqId: requestIdOf,
    // The router refuses a path that is not percent-encoded UTF-8 before any hook or filter runs.
    frameworkErrors: (_error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      const error = RequestError.validation([
        { field: 'path', message: 'is not valid percent-encoding' },
      ]);
      setAnswerHeaders(request, reply);
      void reply.code(400).send(errorBody(400, error));
    },
    routerOptions: {
      ignoreTrailingSlash: true,
      caseSensitive: false,
      maxParamLength: MAX_PARAM_LENGTH,
    },
  });
  acceptBodies(adapter.getInstance());
  return adapter;
}

/**
 * JSON bodies are parsed as JSON.parse does: `__proto__` and `constructor` keys reach validation,
 * which refuses them as unknown fields, and an empty body is an empty object. A body of any other
 * type is not read, and validation finds its fields missing.
 */
function acceptBodies(instance: FastifyInstance): void {
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: LIMITS.bodyBytes },
    (_request, body, done) => {
      if (body === '') return done(null, {});
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(RequestError.validation([{ field: 'body', message: 'is not valid JSON' }]));
      }
    },
  );
  instance.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
}
