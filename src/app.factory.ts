import type { NextFunction, Request, Response } from 'express';
import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';
import { ChatIoAdapter } from './chat/chat-io.adapter';
import { accessLog } from './common/http/access-log';
import { AppLogger } from './common/logging/app-logger';
import { createLogRoot } from './common/logging/log-root';
import { AppValidationPipe } from './common/validation/validation.pipe';
import { Metrics } from './metrics/metrics';
import { AppConfig } from './config/app-config';
import { setupOpenApi } from './openapi';

/**
 * Builds the whole application from a validated configuration; used by main and the e2e tests.
 * `logDestination` replaces standard output for the log.
 */
export async function createApp(
  config: AppConfig,
  logDestination?: DestinationStream,
): Promise<INestApplication> {
  const logger = new AppLogger(
    createLogRoot({ levels: config.logLevels, json: config.logJson }, logDestination),
  );
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    logger,
    bodyParser: false,
  });
  app.useBodyParser('json', { limit: '64kb' });
  app.disable('x-powered-by');
  app.use(accessLog(logger.root, app.get(Metrics)));
  // Browsers must take every answer for the type it declares (JSON stays JSON).
  app.use((_request: Request, response: Response, next: NextFunction) => {
    response.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });
  // Behind a load balancer, the auth rate limit must count the client's address, not the proxy's.
  app.set('trust proxy', config.trustProxy);
  app.useGlobalPipes(new AppValidationPipe());
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins] });
  }
  app.useWebSocketAdapter(new ChatIoAdapter(app, config));
  // Exit with 0 once shut down cleanly, rather than dying by the re-sent signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  setupOpenApi(app);
  if (config.jwt.generated) {
    logger.warn(
      'JWT_SECRET is not set: using a random secret, so tokens will not survive a restart',
      'Config',
    );
  }
  return app;
}
