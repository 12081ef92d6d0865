import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { withTimeout } from '../common/with-timeout';

/** Every key this application writes in Redis starts with this. */
export const KEY_PREFIX = 'chat:';
const NODE_TTL_S = 30;
const HEARTBEAT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** A command not answered by then fails: callers fail open (allow the send, presence of this node). */
export const COMMAND_TIMEOUT_MS = 500;
/** No byte back for this long while commands wait: the connection is dead; drop it and reconnect. */
const SOCKET_TIMEOUT_MS = 5_000;
/** TCP keep-alive probes on idle connections (the subscriber mostly waits), instead of after 2 h. */
const KEEP_ALIVE_MS = 10_000;

/** A key of this application: the prefix, then the parts joined with ':'. */
export function redisKey(...parts: (string | number)[]): string {
  return KEY_PREFIX + parts.join(':');
}

/** The start of a Lua script that works on Redis's clock: sets `now` to its time in ms. */
export const LUA_NOW_MS = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)`;

/** A Lua script run with EVALSHA (EVAL the first time on each connection); see `script()`. */
export type RedisScript<T> = (
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<T>;

type Listener = () => void | Promise<void>;

/**
 * The Redis connections of this server process: one for commands and publishing, one for
 * subscriptions. Commands fail at once while Redis is down (no offline queue) and after
 * COMMAND_TIMEOUT_MS when it does not answer, so the node keeps serving its own sockets; both
 * connections reconnect by themselves. The process announces itself with a key that expires
 * unless refreshed, so other nodes can ignore what a dead node left behind.
 *
 * Two hooks tell the rest of the application what happened to Redis:
 * - `onResync`: this node's state in Redis may be missing or stale and must be written again
 *   (each time the command connection becomes ready, the first time included, and whenever the
 *   heartbeat finds that this node's key had lapsed, so other nodes have dropped what it wrote);
 * - `onRecovered`: Redis is back after an outage (not the first connection).
 */
@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  readonly nodeId = randomUUID();
  /** The prefix of every node's heartbeat key: `nodeKeyPrefix + nodeId`. */
  readonly nodeKeyPrefix = redisKey('node', '');
  readonly commands: Redis;
  readonly subscriber: Redis;
  private readonly logger = new Logger('Redis');
  private readonly heartbeatTimer: NodeJS.Timeout;
  private readonly resyncListeners: Listener[] = [];
  private readonly recoveredListeners: Listener[] = [];
  private readonly scripts = new Map<string, string>();
  /** Both connections have been ready at the same time at least once. */
  private connectedOnce = false;
  /** A connection was lost after `connectedOnce`: the next time both are ready is a recovery. */
  private outage = false;
  /** Bumped by each recovery check, so that only the latest one reports. */
  private recoveryCheck = 0;
  private closing = false;

  constructor(config: AppConfig) {
    this.commands = new Redis(config.redisUrl!, {
      enableOfflineQueue: false,
      // Commands in flight when the connection drops fail at once and are never sent again on
      // the next connection: a replayed presence delta would count twice after resync.
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      connectTimeout: CONNECT_TIMEOUT_MS,
      commandTimeout: COMMAND_TIMEOUT_MS,
      // A hung Redis or a half-open connection is replaced instead of timing out every command.
      socketTimeout: SOCKET_TIMEOUT_MS,
      keepAlive: KEEP_ALIVE_MS,
    });
    // Subscriptions wait for the connection however long it takes, and come back after outages.
    this.subscriber = new Redis(config.redisUrl!, {
      maxRetriesPerRequest: null,
      // ioredis sends (S)SUBSCRIBE and PING at once on a connection still in its handshake, and
      // sends its ready check (INFO) only once the handshake is answered: a subscription made in
      // between (a room joined while the connection opens) would make Redis refuse the INFO and
      // leave the subscriber unusable. It needs no ready check.
      enableReadyCheck: false,
      connectTimeout: CONNECT_TIMEOUT_MS,
      keepAlive: KEEP_ALIVE_MS,
    });
    for (const client of [this.commands, this.subscriber]) {
      client.on('error', (error: Error) => this.logger.debug(`connection error: ${error.message}`));
      client.on('close', () => {
        if (this.connectedOnce) this.outage = true;
      });
      client.on('ready', () => void this.checkRecovered());
    }
    this.commands.on('ready', () => {
      if (this.closing || !this.isReady) return;
      this.logger.log('connected');
      void this.announce(true);
    });
    this.commands.on('end', () => this.logger.warn('connection closed'));
    this.heartbeatTimer = setInterval(() => void this.heartbeat(), HEARTBEAT_MS).unref();
  }

  /**
   * The command connection as the Socket.IO adapter's publisher. The adapter does not handle a
   * failed publish, and while Redis is down every publish fails: those are logged and dropped
   * (clients recover what they missed with `sync`) instead of ending the process. Both kinds of
   * publishing are guarded: `publish`, and `spublish` (sharded pub/sub).
   */
  publisher(): Redis {
    const logger = this.logger;
    return new Proxy(this.commands, {
      get(target, property, receiver) {
        if (property !== 'publish' && property !== 'spublish') {
          return Reflect.get(target, property, receiver) as unknown;
        }
        return (channel: string, message: string | Buffer) =>
          target[property](channel, message).catch((error: Error) => {
            logger.debug(`${property} dropped: ${error.message}`);
            return 0;
          });
      },
    });
  }

  /**
   * Resolves true once every subscription and unsubscription asked for so far on the subscriber
   * connection is in force: a PING sent after them is answered, and one connection answers in
   * order. False at once while the subscriber is not connected (it subscribes again when it is,
   * and onRecovered tells), or when it does not answer within COMMAND_TIMEOUT_MS.
   */
  async subscriptionsInForce(): Promise<boolean> {
    if (this.subscriber.status !== 'ready') return false;
    const answered = this.subscriber.ping().then(
      () => true,
      () => false,
    );
    return withTimeout(answered, COMMAND_TIMEOUT_MS, false);
  }

  get isReady(): boolean {
    return this.commands.status === 'ready';
  }

  /**
   * Called whenever this node's state in Redis may be missing or stale and must be written again:
   * each time the command connection becomes ready (the first time included, once this node's key
   * is set), and when the heartbeat finds that this node's key had lapsed without a reconnect
   * (other nodes then took this node for dead and dropped what it wrote).
   */
  onResync(listener: Listener): void {
    this.resyncListeners.push(listener);
  }

  /**
   * Called when Redis is back after an outage: both connections are ready again after one of them
   * was lost, and the subscriber's subscriptions are in force again (a PING sent after its
   * automatic re-subscription has been answered), so whatever is published from then on reaches
   * this node. Not called for the first connection. Publications of the outage are lost: this is
   * the moment to re-subscribe and have clients catch up (`sync`).
   */
  onRecovered(listener: Listener): void {
    this.recoveredListeners.push(listener);
  }

  /** A key of this application, like `redisKey()`. */
  key(...parts: (string | number)[]): string {
    return redisKey(...parts);
  }

  nodeKey(nodeId = this.nodeId): string {
    return this.nodeKeyPrefix + nodeId;
  }

  /**
   * A Lua script on the command connection, run with EVALSHA (ioredis sends EVAL the first time
   * on each connection, which loads it). `name` must be unique to the script.
   */
  script<T>(name: string, lua: string): RedisScript<T> {
    const known = this.scripts.get(name);
    if (known === undefined) {
      if (name in this.commands) throw new Error(`"${name}" is already a Redis command`);
      this.commands.defineCommand(name, { lua });
      this.scripts.set(name, lua);
    } else if (known !== lua) {
      throw new Error(`another Redis script is already named "${name}"`);
    }
    const run = (this.commands as unknown as Record<string, (...args: unknown[]) => Promise<T>>)[
      name
    ].bind(this.commands);
    return (keys, args) => run(keys.length, ...keys, ...args);
  }

  /**
   * Refreshes this node's key, as the timer does every HEARTBEAT_MS; when the key had lapsed
   * although this node was connected, the resync listeners are called.
   */
  async heartbeat(): Promise<void> {
    await this.announce(false);
  }

  async onApplicationShutdown(): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeatTimer);
    await this.commands.del(this.nodeKey()).catch(() => 0);
    this.commands.disconnect();
    this.subscriber.disconnect();
  }

  /** Sets this node's key; after a (re)connection, or when it had lapsed, the state is resynced. */
  private async announce(connected: boolean): Promise<void> {
    if (!this.isReady || this.closing) return;
    let lapsed = false;
    try {
      const previous = await this.commands.set(this.nodeKey(), '1', 'EX', NODE_TTL_S, 'GET');
      lapsed = previous === null && !connected;
      if (lapsed) this.logger.warn('this node’s key had lapsed: writing its state again');
    } catch (error) {
      // Not reachable: the next heartbeat finds the key missing, or the reconnection resyncs.
      this.logger.warn(`heartbeat failed: ${(error as Error).message}`);
    }
    if ((connected || lapsed) && !this.closing) this.notify(this.resyncListeners, 'resync');
  }

  /** Reports a recovery once both connections are ready again after one was lost. */
  private async checkRecovered(): Promise<void> {
    if (this.closing || !this.bothReady()) return;
    if (!this.connectedOnce) {
      this.connectedOnce = true;
      return;
    }
    if (!this.outage) return;
    const check = ++this.recoveryCheck;
    try {
      // Answered after the SUBSCRIBEs that ioredis re-sent on 'ready': they are in force.
      await this.subscriber.ping();
    } catch {
      return; // Lost again: the next 'ready' checks again.
    }
    if (check !== this.recoveryCheck || !this.outage || this.closing || !this.bothReady()) return;
    this.outage = false;
    this.logger.log('recovered after an outage');
    this.notify(this.recoveredListeners, 'recovered');
  }

  private bothReady(): boolean {
    return this.commands.status === 'ready' && this.subscriber.status === 'ready';
  }

  private notify(listeners: readonly Listener[], event: string): void {
    for (const listener of listeners) {
      try {
        void Promise.resolve(listener()).catch((error: Error) =>
          this.logger.warn(`${event} listener failed: ${error.message}`),
        );
      } catch (error) {
        this.logger.warn(`${event} listener failed: ${(error as Error).message}`);
      }
    }
  }
}
