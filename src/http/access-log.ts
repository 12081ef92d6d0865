import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Metrics } from '../metrics/metrics';

/** A request id a client or proxy may give: short, and nothing that could forge a log line. */
const GIVEN_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id (Fastify's `request.id`): the `X-Request-Id` it came with when well-formed. */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && GIVEN_REQUEST_ID.test(given) ? given : randomUUID();
}

/**
 * The headers of every answer: the request's id, and `nosniff` (browsers must take every answer
 * for the type it declares). Also for answers the router gives before any hook runs.
 */
export function setAnswerHeaders(request: FastifyRequest, reply: FastifyReply): void {
  void reply.header('X-Request-Id', request.id).header('X-Content-Type-Options', 'nosniff');
}

/**
 * Sets the answer headers, records each request's duration in the metrics by route pattern and,
 * at the `log` level, writes one access line. Only the path is logged: the query string may hold
 * a token, and neither headers nor bodies are logged.
 */
export function registerAccessLog(instance: FastifyInstance, root: Logger, metrics: Metrics): void {
  const log = root.child({ context: 'HTTP' });
  instance.addHook('onRequest', (request, reply, done) => {
    setAnswerHeaders(request, reply);
    done();
  });
  instance.addHook('onResponse', (request, reply, done) => {
    const ms = reply.elapsedTime;
    const route = request.routeOptions.url ?? 'unmatched';
    const { method } = request;
    const status = reply.statusCode;
    metrics.httpRequest(method, route, status, ms / 1000);
    if (log.isLevelEnabled('info')) {
      const path = request.url.split('?')[0];
      log.info(
        { req_id: request.id, method, path, status, ms: Math.round(ms * 10) / 10 },
        `${method} ${path} ${status} ${ms.toFixed(1)}ms`,
      );
    }
    done();
  });
}
