import type { Abstract, Provider, Type } from '@nestjs/common';
import { configuredAdapter } from '../config/configured-adapter';

/**
 * Binds a port of state shared between server processes: to Redis when REDIS_URL is set, to this
 * process alone otherwise. The binding module imports ClusterModule for the connection.
 */
export function sharedStateAdapter<T>(
  port: Abstract<T>,
  adapters: { local: Type<T>; redis: Type<T> },
): Provider {
  return configuredAdapter(port, (config) =>
    config.redisUrl === null ? adapters.local : adapters.redis,
  );
}
