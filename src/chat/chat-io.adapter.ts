import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import { createAdapter } from '@socket.io/redis-adapter';
import { isObservable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';
import { LIMITS } from '../common/limits';
import { RedisConnection, redisKey } from '../cluster/redis-connection';
import type { AppConfig } from '../config/app-config';
import { SOCKET_IO_PATH } from './chat-events';
import { isOriginAllowed } from './origin-policy';
import { eventArgs } from './event-args';
import { commandsOf } from './serial-queue';

/**
 * Socket.IO with the contract's settings, taken from the validated configuration; with REDIS_URL,
 * rooms are shared between server processes through the Redis (pub/sub) adapter.
 */
export class ChatIoAdapter extends IoAdapter {
  constructor(
    private readonly app: INestApplicationContext,
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
    const server: Server = super.createIOServer(port, settings as ServerOptions);
    if (this.config.redisUrl !== null) {
      const redis = this.app.get(RedisConnection, { strict: false });
      server.adapter(
        createAdapter(redis.publisher(), redis.subscriber, { key: redisKey('socket.io') }),
      );
    }
    return server;
  }

  /**
   * One plain listener per event and socket. The stock adapter builds an rxjs pipeline per event
   * per socket (fromEvent, mergeMap, takeUntil the disconnect), which cost two thirds of a socket's
   * memory. A socket's events are handled one at a time in arrival order, validation included, so
   * that a join followed by a send, or two sends, take effect in that order. Answers as the stock
   * adapter does: an `{event, data}` result is emitted, any other result goes to the
   * acknowledgement, an observable's values one by one.
   */
  override bindMessageHandlers(socket: Socket, handlers: MessageMappingProperties[]): void {
    const queue = commandsOf(socket);
    for (const { message, callback, isAckHandledManually } of handlers) {
      socket.on(message as string, (...args: unknown[]) => {
        const { payload, ack } = eventArgs(args);
        const answer = (response: unknown) => {
          if (response === undefined || response === null) return;
          const { event, data: eventData } = response as { event?: string; data?: unknown };
          if (event) socket.emit(event, eventData);
          else if (!isAckHandledManually) ack?.(response);
        };
        // A handler that throws at once is answered like one that rejects.
        queue
          .run(() => new Promise((resolve) => resolve(callback(payload, ack))))
          .then(
            (result: unknown) =>
              isObservable(result)
                ? result.subscribe({ next: answer, error: (error) => this.logger.error(error) })
                : answer(result),
            (error: unknown) => this.logger.error(error),
          );
      });
    }
  }
}
