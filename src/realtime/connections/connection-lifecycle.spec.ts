import type { SessionsService } from '../../auth/sessions.service';
import type { Metrics } from '../../metrics/metrics';
import type { ReadState } from '../../rooms/read-state';
import type { RoomsService } from '../../rooms/rooms.service';
import type { Presence } from '../../users/presence';
import type { RealtimeBroadcaster } from '../delivery/realtime-broadcaster';
import { SESSION_ENDED } from './connection-ends';
import { ConnectionLifecycle, LiveConnection } from './connection-lifecycle';
import { TokenExpiry } from './token-expiry';

describe('ConnectionLifecycle', () => {
  const ended = new Set<string>();
  let expiry: TokenExpiry;
  let lifecycle: ConnectionLifecycle;

  beforeEach(() => {
    ended.clear();
    expiry = new TokenExpiry();
    lifecycle = new ConnectionLifecycle(
      { roomIdsOf: async () => [] } as unknown as RoomsService,
      { connected: async () => false, disconnected: async () => false } as unknown as Presence,
      { presence: () => undefined } as unknown as RealtimeBroadcaster,
      {
        connectionOpened: () => undefined,
        connectionClosed: () => undefined,
      } as unknown as Metrics,
      expiry,
      { flush: async () => undefined } as unknown as ReadState,
      { hasEnded: (id: string) => ended.has(id) } as unknown as SessionsService,
    );
  });
  afterEach(() => expiry.onModuleDestroy());

  function connection(): LiveConnection & { end: jest.Mock } {
    return {
      transport: 'raw',
      user: { id: 1, username: 'ada' },
      joinUser: jest.fn(),
      joinRooms: jest.fn(),
      end: jest.fn(),
    };
  }
  const identity = (sessionId: string) => ({
    user: { id: 1, username: 'ada' },
    sessionId,
    expiresAt: Date.now() + 60_000,
    roomIds: [],
  });

  it('closes a connection whose session ended after its handshake, once the transport is set up', async () => {
    ended.add('ended-session');
    const live = connection();

    const close = lifecycle.open(live, identity('ended-session'));

    // Not from inside open: the transport has yet to hook the returned function to its close.
    expect(live.end).not.toHaveBeenCalled();
    await Promise.resolve();
    expect(live.end).toHaveBeenCalledWith(SESSION_ENDED);
    close();
  });

  it('leaves a connection of a live session open', async () => {
    const live = connection();

    const close = lifecycle.open(live, identity('live-session'));

    await Promise.resolve();
    expect(live.joinUser).toHaveBeenCalled();
    expect(live.end).not.toHaveBeenCalled();
    close();
  });
});
