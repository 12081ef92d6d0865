import { Logger } from '@nestjs/common';
import { createApp } from './app.factory';
import { AppConfig } from './config/app-config';
import { ConfigError } from './config/config-error';
import { loadConfig } from './config/load-config';

async function bootstrap(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    new Logger('Config').fatal(`Invalid configuration: ${error.message}`);
    process.exit(1);
  }
  const app = await createApp(config);
  await app.listen(config.port);
  new Logger('Bootstrap').log(
    `Listening on ${await app.getUrl()} with the ${config.storage} store`,
  );
}

void bootstrap();
