import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  const logger = new Logger('Bootstrap');
  try {
    const config = loadConfig();
    const app = await createApp(config);
    await app.listen(config.port);
    logger.log(`Listening on ${await app.getUrl()} with the ${config.storage} store`);
  } catch (error) {
    // One line that says why, rather than an unhandled rejection's stack.
    const reason =
      error instanceof ConfigError
        ? `Invalid configuration: ${error.message}`
        : `Could not start: ${error instanceof Error ? error.message : String(error)}`;
    logger.fatal(reason);
    process.exit(1);
  }
}

void bootstrap();
