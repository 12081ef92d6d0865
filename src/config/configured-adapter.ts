import type { Abstract, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { AppConfig } from './app-config';

/**
 * Binds a port to the adapter the validated configuration selects. The adapter is built in the
 * module that binds it, so it gets that module's providers (another port, a connection).
 */
export function configuredAdapter<T>(
  port: Abstract<T>,
  select: (config: AppConfig) => Type<T>,
): Provider {
  return {
    provide: port,
    inject: [AppConfig, ModuleRef],
    useFactory: (config: AppConfig, moduleRef: ModuleRef): Promise<T> =>
      moduleRef.create(select(config)),
  };
}
