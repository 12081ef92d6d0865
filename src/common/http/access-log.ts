import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../../metrics/metrics';

/** A request id a client or proxy may give: short, and nothing that could forge a log line. */
const GIVEN_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Gives every request an id (the `X-Request-Id` it came with, when well-formed, else a new one),
 * answers it in `X-Request-Id`, records the duration in the metrics by route pattern and, at the
 * `log` level, writes one access line. Only the path is logged: the query string may hold a
 * token, and neither headers nor bodies are logged.
 */
export function accessLog(root: Logger, metrics: Metrics) {
  const log = root.child({ context: 'HTTP' });
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    const given = request.headers['x-request-id'];
    const id = typeof given === 'string' && GIVEN_REQUEST_ID.test(given) ? given : randomUUID();
    response.setHeader('X-Request-Id', id);
    response.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const route = (request.route as { path?: string } | undefined)?.path ?? 'unmatched';
      const { method } = request;
      const status = response.statusCode;
      metrics.httpRequest(method, route, status, ms / 1000);
      if (!log.isLevelEnabled('info')) return;
      const path = request.originalUrl.split('?')[0];
      log.info(
        { req_id: id, method, path, status, ms: Math.round(ms * 10) / 10 },
        `${method} ${path} ${status} ${ms.toFixed(1)}ms`,
      );
    });
    next();
  };
}
