import type { INestApplication } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { createApp } from '../../src/app.factory';
import { loadConfig } from '../../src/config/load-config';
import { TEST_ADMIN } from './test-admin';
import { testDatabaseUrl } from './test-database';

export type Store = 'memory' | 'postgres';
/** Every e2e suite runs once per store. */
export const STORES: Store[] = ['memory', 'postgres'];
export const TEST_JWT_SECRET = 'e2e-test-secret-not-for-production';

export interface TestApp {
  app: INestApplication;
  /** http://127.0.0.1:port */
  url: string;
  http: () => ReturnType<typeof request>;
  close: () => Promise<void>;
}

/**
 * Boots the real application on a free port (or the given one, to restart in place), as main does,
 * on the given store. `env` overrides the environment the configuration is read from;
 * `logDestination` receives the log instead of standard output.
 */
export async function startApp(
  store: Store,
  env: Record<string, string> = {},
  port = 0,
  logDestination?: DestinationStream,
): Promise<TestApp> {
  const config = loadConfig({
    LOG_LEVEL: 'error',
    JWT_SECRET: TEST_JWT_SECRET,
    RATE_LIMIT_AUTH: '0',
    RATE_LIMIT_MESSAGES: '0',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    ...(store === 'postgres' && { DATABASE_URL: testDatabaseUrl() }),
    ...env,
  });
  const app = await createApp(config, logDestination);
  await app.listen(port, '127.0.0.1');
  const address = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}`;
  return { app, url, http: () => request(url), close: () => app.close() };
}
