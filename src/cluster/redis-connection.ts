import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';

export const KEY_PREFIX = 'chat:';
const NODE_TTL_S = 30;
const HEARTBEAT_MS = 10_000;

/**
 * The Redis connections of this server process: one for commands and publishing, one for
 * subscriptions. Commands fail at once while Redis is down (no offline queue), so the node keeps
 * serving its own sockets; both reconnect by themselves. The process announces itself with a key
 * that expires unless refreshed, so other nodes can ignore what a dead node left behind.
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly nodeId = randomUUID();
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly logger = new Logger('Redis');
  private readonly heartbeat: NodeJS.Timeout;
  private readonly readyListeners: (() => void)[] = [];

  constructor(config: AppConfig) {
    this.commands = new Redis(config.redisUrl!, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 5_000,
    });
    // Subscriptions wait for the connection however long it takes, and come back after outages.
    this.subscriber = new Redis(config.redisUrl!, {
      maxRetriesPerRequest: null,
      connectTimeout: 5_000,
    });
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.debug(`connection error: ${error.message}`));
    }
    this.commands.on('ready', () => {
      this.logger.log('connected');
      this.announce();
      for (const listener of this.readyListeners) listener();
    });
    this.commands.on('end', () => this.logger.warn('connection closed'));
    this.heartbeat = setInterval(() => this.announce(), HEARTBEAT_MS).unref();
  }

  /**
   * The command connection as the Socket.IO adapter's publisher. The adapter does not handle a
   * failed publish, and while Redis is down every publish fails: those are logged and dropped
   * (clients recover what they missed with `sync`) instead of ending the process.
   */
  publisher(): Redis {
    const logger = this.logger;
    return new Proxy(this.commands, {
      get(target, property, receiver) {
        if (property !== 'publish') return Reflect.get(target, property, receiver) as unknown;
        return (...args: Parameters<Redis['publish']>) =>
          target.publish(...args).catch((error: Error) => {
            logger.debug(`publish dropped: ${error.message}`);
            return 0;
          });
      },
    });
  }

  get isReady(): boolean {
    return this.commands.status === 'ready';
  }

  /** Called each time the command connection becomes ready again, e.g. after an outage. */
  onReady(listener: () => void): void {
    this.readyListeners.push(listener);
  }

  nodeKey(nodeId = this.nodeId): string {
    return `${KEY_PREFIX}node:${nodeId}`;
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.heartbeat);
    await this.commands.del(this.nodeKey()).catch(() => 0);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }

  private announce(): void {
    if (!this.isReady) return;
    this.commands.set(this.nodeKey(), '1', 'EX', NODE_TTL_S).catch((error: Error) => {
      this.logger.warn(`heartbeat failed: ${error.message}`);
    });
  }
}
