import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { RedisConnection } from '../../cluster/redis-connection';
import { AppConfig } from '../../config/app-config';
import { RawAudienceWatcher, RawClients } from '../raw-ws/raw-clients';
import { RAW_ROOMS_CHANNEL, rawRoomChannel, rawUserChannel } from './redis-channels';

/** What travels ahead of a frame, on the line before it. */
interface Envelope {
  /** The process that published it: it delivered to its own clients already. */
  node: string;
  /** Only on RAW_ROOMS_CHANNEL: the rooms the frame is for. */
  rooms?: number[];
  /** A user whose clients do not get it (typing, presence: not to oneself). */
  except?: number;
}

interface Audience {
  kind: 'room' | 'user';
  id: number;
  /** Rooms and users are counted once for the raw clients of RawClients, once for each hold. */
  count: number;
}

/**
 * Raw WebSocket frames between processes, on Redis channels of one room or one user: a process is
 * subscribed to a channel while it has a raw client in that room or of that user (or holds it for
 * a client being accepted), so it receives only frames it delivers. Sharded pub/sub
 * (SSUBSCRIBE, SPUBLISH) with REDIS_PUBSUB=sharded, plain pub/sub with classic. Frames for several
 * rooms at once go on one channel every process receives, so a client in several of them gets
 * the frame once. Without Redis, nothing: RawClients delivers on this process alone.
 */
@Injectable()
export class RawChannels implements RawAudienceWatcher {
  private readonly logger = new Logger(RawChannels.name);
  private readonly audiences = new Map<string, Audience>();
  private readonly sharded: boolean;
  private readonly publisher?: Redis;

  constructor(
    private readonly clients: RawClients,
    config: AppConfig,
    // Null without REDIS_URL (a union type names no class for the injector: hence @Inject).
    @Inject(RedisConnection) private readonly redis: RedisConnection | null,
  ) {
    this.sharded = config.redisPubSub === 'sharded';
    if (!redis) return;
    this.publisher = redis.publisher();
    clients.watch(this);
    redis.subscriber.on(this.sharded ? 'smessage' : 'message', (channel: string, text: string) =>
      this.received(channel, text),
    );
    this.subscribe(RAW_ROOMS_CHANNEL, true);
  }

  /** To the raw clients of other processes in any of the rooms (but `exceptUserId`'s). */
  toRooms(roomIds: readonly number[], frame: string, exceptUserId?: number): void {
    if (!this.redis) return;
    const envelope: Envelope = { node: this.redis.nodeId, except: exceptUserId };
    if (roomIds.length === 1) this.publish(rawRoomChannel(roomIds[0]), envelope, frame);
    else if (roomIds.length > 1) {
      this.publish(RAW_ROOMS_CHANNEL, { ...envelope, rooms: [...roomIds] }, frame);
    }
  }

  /** To the raw clients of these users on other processes. */
  toUsers(userIds: readonly number[], frame: string): void {
    if (!this.redis) return;
    const envelope: Envelope = { node: this.redis.nodeId };
    for (const userId of userIds) this.publish(rawUserChannel(userId), envelope, frame);
  }

  /**
   * Subscribes to the channels of a client about to be accepted, before RawClients knows it;
   * returns the function that lets go once it does (or once the client is gone).
   */
  hold(userId: number, roomIds: readonly number[]): () => void {
    if (!this.redis) return () => undefined;
    const held: [Audience['kind'], number][] = [
      ['user', userId],
      ...roomIds.map((roomId): [Audience['kind'], number] => ['room', roomId]),
    ];
    for (const [kind, id] of held) this.wanted(kind, id);
    return () => held.forEach(([kind, id]) => this.unwanted(kind, id));
  }

  wanted(kind: Audience['kind'], id: number): void {
    const channel = kind === 'room' ? rawRoomChannel(id) : rawUserChannel(id);
    const audience = this.audiences.get(channel);
    if (audience) audience.count += 1;
    else {
      this.audiences.set(channel, { kind, id, count: 1 });
      this.subscribe(channel, true);
    }
  }

  unwanted(kind: Audience['kind'], id: number): void {
    const channel = kind === 'room' ? rawRoomChannel(id) : rawUserChannel(id);
    const audience = this.audiences.get(channel);
    if (!audience || --audience.count > 0) return;
    this.audiences.delete(channel);
    this.subscribe(channel, false);
  }

  /**
   * Sent on the subscriber connection, in order with the adapter's: RedisConnection's
   * subscriptionsInForce() tells when they are in force. While Redis is down they wait for the
   * connection, and ioredis subscribes again by itself after a reconnection.
   */
  private subscribe(channel: string, subscribe: boolean): void {
    const subscriber = this.redis!.subscriber;
    const sent = subscribe
      ? this.sharded
        ? subscriber.ssubscribe(channel)
        : subscriber.subscribe(channel)
      : this.sharded
        ? subscriber.sunsubscribe(channel)
        : subscriber.unsubscribe(channel);
    sent.catch((error: Error) => {
      this.logger.warn(`${subscribe ? '' : 'un'}subscribing ${channel} failed: ${error.message}`);
    });
  }

  /** A frame is JSON on one line (JSON.stringify escapes line breaks): the envelope goes before it. */
  private publish(channel: string, envelope: Envelope, frame: string): void {
    const publisher = this.publisher!;
    const message = `${JSON.stringify(envelope)}\n${frame}`;
    void (this.sharded
      ? publisher.spublish(channel, message)
      : publisher.publish(channel, message));
  }

  private received(channel: string, message: string): void {
    const audience = this.audiences.get(channel);
    if (!audience && channel !== RAW_ROOMS_CHANNEL) return;
    const lineEnd = message.indexOf('\n');
    const envelope = JSON.parse(message.slice(0, lineEnd)) as Envelope;
    if (envelope.node === this.redis!.nodeId) return;
    const frame = message.slice(lineEnd + 1);
    if (!audience) this.clients.deliver(envelope.rooms ?? [], frame, envelope.except);
    else if (audience.kind === 'room') this.clients.deliver([audience.id], frame, envelope.except);
    else this.clients.deliverToUsers([audience.id], frame);
  }
}
