import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { Server, ServerOptions } from 'socket.io';
import { LIMITS } from '../../common/limits';
import type { AppConfig } from '../../config/app-config';
import { SOCKET_IO_PATH } from '../protocol/endpoints';
import { isOriginAllowed } from '../connections/origin-policy';

/** Socket.IO with the contract's settings, taken from the validated configuration. */
export class ChatSocketIoAdapter extends IoAdapter {
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
      path: SOCKET_IO_PATH,
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

  /**
   * The gateway serves the command table itself (see SocketIoGateway); the stock adapter would
   * still build an rxjs pipeline per socket here for no handler at all.
   */
  override bindMessageHandlers(): void {}
}
