import type { Abstract, Provider, Type } from '@nestjs/common';
import { configuredAdapter } from '../config/configured-adapter';

/**
 * Binds a persistence port: to its PostgreSQL adapter when DATABASE_URL is set (a loader, so that
 * TypeORM is loaded only then), to its in-memory adapter otherwise.
 */
export function storeAdapter<T>(
  port: Abstract<T>,
  adapters: { memory: Type<T>; postgres: () => Type<T> },
): Provider {
  return configuredAdapter(port, (config) =>
    config.databaseUrl === null ? adapters.memory : adapters.postgres(),
  );
}
