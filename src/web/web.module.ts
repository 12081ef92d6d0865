import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CLIENT_ROOT } from './client-files';
import { webClient } from './web-client.plugin';

/**
 * The browser client, built into public/ by `npm run build:client`, served at `/` by Fastify
 * itself: no Nest route, guard or OpenAPI entry is involved.
 */
@Module({})
export class WebModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    void this.adapterHost.httpAdapter
      .getInstance<FastifyInstance>()
      .register(webClient, { root: CLIENT_ROOT });
  }
}
