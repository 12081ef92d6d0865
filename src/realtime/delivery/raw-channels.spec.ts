import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { RedisConnection } from '../../cluster/redis-connection';
import { loadConfig } from '../../config/load-config';
import { SerialQueue } from '../commands/serial-queue';
import { RawClient, RawClients } from '../raw-ws/raw-clients';
import { RawChannels } from './raw-channels';
import { RAW_ROOMS_CHANNEL, rawRoomChannel, rawUserChannel } from './redis-channels';

const SECRET = 'raw-channels-test-secret-0123456789';

/** The subscriber and publisher of a RedisConnection, recording what is sent. */
class FakeRedis {
  readonly nodeId = 'this-node';
  readonly sent: string[] = [];
  readonly published: { command: string; channel: string; message: string }[] = [];
  readonly subscriber = Object.assign(new EventEmitter(), {
    ssubscribe: (channel: string) => this.send('ssubscribe', channel),
    sunsubscribe: (channel: string) => this.send('sunsubscribe', channel),
    subscribe: (channel: string) => this.send('subscribe', channel),
    unsubscribe: (channel: string) => this.send('unsubscribe', channel),
  });

  publisher() {
    const publish = (command: string) => async (channel: string, message: string) => {
      this.published.push({ command, channel, message });
      return 1;
    };
    return { spublish: publish('spublish'), publish: publish('publish') };
  }

  private async send(command: string, channel: string): Promise<number> {
    this.sent.push(`${command} ${channel}`);
    return 1;
  }
}

function setUp(mode: 'sharded' | 'classic' = 'sharded') {
  const redis = new FakeRedis();
  const clients = new RawClients();
  const config = loadConfig({
    REDIS_URL: 'redis://cache:6379',
    JWT_SECRET: SECRET,
    REDIS_PUBSUB: mode,
  });
  const channels = new RawChannels(clients, config, redis as unknown as RedisConnection);
  return { redis, clients, channels };
}

function client(userId: number, roomIds: number[] = []): RawClient & { frames: string[] } {
  const frames: string[] = [];
  const socket = {
    readyState: 1,
    OPEN: 1,
    bufferedAmount: 0,
    send: (frame: string) => frames.push(frame),
  };
  return {
    socket: socket as unknown as WebSocket,
    user: { id: userId, username: `user${userId}` },
    sessionId: `session-${userId}`,
    rooms: new Set(roomIds),
    queue: new SerialQueue(),
    frames,
  };
}

/** A message as another process publishes it. */
function fromOtherNode(frame: string, envelope: Record<string, unknown> = {}): string {
  return `${JSON.stringify({ node: 'other-node', ...envelope })}\n${frame}`;
}

describe('RawChannels', () => {
  it('subscribes the shared channel at once, and a room’s or user’s while a client is in it', () => {
    const { redis, clients } = setUp();
    expect(redis.sent).toEqual([`ssubscribe ${RAW_ROOMS_CHANNEL}`]);

    const [first, second] = [client(1, [7]), client(2, [7])];
    clients.add(first);
    clients.add(second);
    clients.remove(first);
    expect(redis.sent.slice(1)).toEqual([
      `ssubscribe ${rawUserChannel(1)}`,
      `ssubscribe ${rawRoomChannel(7)}`,
      `ssubscribe ${rawUserChannel(2)}`,
      `sunsubscribe ${rawUserChannel(1)}`,
    ]);

    clients.unsubscribe(2, 7);
    clients.unsubscribe(2, 7); // not in it any more: nothing more to unsubscribe
    expect(redis.sent.slice(5)).toEqual([`sunsubscribe ${rawRoomChannel(7)}`]);
  });

  it('counts a hold like a client: the channels stay while either wants them', () => {
    const { redis, clients, channels } = setUp();
    const release = channels.hold(1, [7]);
    const accepted = client(1);
    clients.add(accepted);
    clients.join(accepted, [7]);
    release();
    expect(redis.sent.slice(1)).toEqual([
      `ssubscribe ${rawUserChannel(1)}`,
      `ssubscribe ${rawRoomChannel(7)}`,
    ]);

    clients.remove(accepted);
    expect(redis.sent.slice(3)).toEqual([
      `sunsubscribe ${rawUserChannel(1)}`,
      `sunsubscribe ${rawRoomChannel(7)}`,
    ]);
  });

  it('keeps the rooms a re-subscription keeps, and lets go of the others', () => {
    const { redis, clients } = setUp();
    const known = client(1, [7, 8]);
    clients.add(known);
    clients.resubscribe(known, [8, 9]);
    expect(redis.sent.slice(4)).toEqual([
      `sunsubscribe ${rawRoomChannel(7)}`,
      `ssubscribe ${rawRoomChannel(9)}`,
    ]);
  });

  it('publishes a room’s frame on its channel, several rooms’ on the shared one, users’ on theirs', () => {
    const { redis, channels } = setUp();
    channels.toRooms([7], '{"type":"typing"}', 3);
    channels.toRooms([7, 8], '{"type":"presence"}');
    channels.toUsers([4, 5], '{"type":"mention"}');
    expect(redis.published).toEqual([
      {
        command: 'spublish',
        channel: rawRoomChannel(7),
        message: '{"node":"this-node","except":3}\n{"type":"typing"}',
      },
      {
        command: 'spublish',
        channel: RAW_ROOMS_CHANNEL,
        message: '{"node":"this-node","rooms":[7,8]}\n{"type":"presence"}',
      },
      {
        command: 'spublish',
        channel: rawUserChannel(4),
        message: '{"node":"this-node"}\n{"type":"mention"}',
      },
      {
        command: 'spublish',
        channel: rawUserChannel(5),
        message: '{"node":"this-node"}\n{"type":"mention"}',
      },
    ]);
  });

  it('uses plain pub/sub in classic mode', () => {
    const { redis, clients, channels } = setUp('classic');
    const known = client(1, [7]);
    clients.add(known);
    clients.remove(known);
    channels.toRooms([7], '{}');
    expect(redis.sent).toEqual([
      `subscribe ${RAW_ROOMS_CHANNEL}`,
      `subscribe ${rawUserChannel(1)}`,
      `subscribe ${rawRoomChannel(7)}`,
      `unsubscribe ${rawUserChannel(1)}`,
      `unsubscribe ${rawRoomChannel(7)}`,
    ]);
    expect(redis.published.map(({ command }) => command)).toEqual(['publish']);
  });

  it('delivers what other processes publish to this process’s clients, once each, but not its own', () => {
    const { redis, clients } = setUp();
    const [reader, typist, other] = [client(1, [7, 8]), client(2, [7]), client(3, [9])];
    for (const known of [reader, typist, other]) clients.add(known);
    const receive = (channel: string, message: string) =>
      redis.subscriber.emit('smessage', channel, message);

    receive(rawRoomChannel(7), fromOtherNode('typing', { except: 2 }));
    receive(RAW_ROOMS_CHANNEL, fromOtherNode('presence', { rooms: [7, 8] }));
    receive(rawUserChannel(3), fromOtherNode('mention'));
    receive(rawRoomChannel(7), `${JSON.stringify({ node: 'this-node' })}\nown`);
    receive(rawRoomChannel(10), fromOtherNode('no client here: not subscribed'));

    expect(reader.frames).toEqual(['typing', 'presence']);
    expect(typist.frames).toEqual(['presence']);
    expect(other.frames).toEqual(['mention']);
  });
});
