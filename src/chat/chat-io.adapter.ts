import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { LIMITS } from '../common/limits';
import type { AppConfig } from '../config/app-config';
import { isOriginAllowed } from './origin-policy';

/** Socket.IO with the contract's settings, taken from the validated configuration. */
export class ChatIoAdapter extends IoAdapter {
  constructor(
    app: INestApplicationContext,
    private readonly config: AppConfig,
  ) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const { corsOrigins } = this.config;
    const settings: Partial<ServerOptions> = {
      ...options,
      path: '/socket.io',
      transports: ['websocket', 'polling'],
      maxHttpBufferSize: LIMITS.frameBytes,
      // Other upgrade paths (the raw endpoint /api/ws) belong to other handlers.
      destroyUpgrade: false,
      ...(corsOrigins.length > 0 && {
        cors: { origin: corsOrigins.includes('*') ? true : [...corsOrigins] },
      }),
      // The cors option alone does not stop WebSocket handshakes from other sites; this does.
      allowRequest: (request, callback) => callback(null, isOriginAllowed(request, this.config)),
    };
    return super.createIOServer(port, settings as ServerOptions);
  }
}
