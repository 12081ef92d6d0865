import type { Abstract, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from '../config/app-config';

/** A port's adapters: in memory, and on PostgreSQL (a loader, so TypeORM is loaded only then). */
export interface StoreAdapters<T> {
  memory: Type<T>;
  postgres: () => Type<T>;
}

/**
 * Binds a persistence port to the adapter of the configured store: PostgreSQL when DATABASE_URL
 * is set, memory otherwise. Each feature module binds its own ports with it; the adapter is built
 * in that module, so it gets the module's providers (another port, the DataSource).
 */
export function storeAdapter<T>(port: Abstract<T>, adapters: StoreAdapters<T>): Provider {
  return {
    provide: port,
    inject: [AppConfig, ModuleRef],
    useFactory: (config: AppConfig, moduleRef: ModuleRef): Promise<T> =>
      moduleRef.create(config.databaseUrl === null ? adapters.memory : adapters.postgres()),
  };
}
