import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module';
import { ChatSocketIoAdapter } from './realtime/socketio/socket-io.adapter';
import { registerAccessLog } from './http/access-log';
import { createHttpAdapter } from './http/http-engine';
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
  // Behind a load balancer, the auth rate limit must count the client's address, not the proxy's.
  const adapter = createHttpAdapter(config.trustProxy);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger,
    bodyParser: false,
  });
  registerAccessLog(adapter.getInstance(), logger.root, app.get(Metrics));
  app.useGlobalPipes(new AppValidationPipe());
  if (config.corsOrigins.length > 0) {
    app.enableCors({ origin: config.corsOrigins.includes('*') ? true : [...config.corsOrigins] });
  }
  app.useWebSocketAdapter(new ChatSocketIoAdapter(app, config));
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
