import {
  pubSubKindOf,
  RAW_ROOMS_CHANNEL,
  rawRoomChannel,
  rawUserChannel,
  SOCKET_IO_PREFIX,
} from './redis-channels';

describe('pubSubKindOf', () => {
  it.each([
    [rawRoomChannel(7), 'room'],
    [`${SOCKET_IO_PREFIX}#/#room:7#`, 'room'],
    [rawUserChannel(7), 'user'],
    [`${SOCKET_IO_PREFIX}#/#user:7#`, 'user'],
    [`${SOCKET_IO_PREFIX}#/#session:0b9f3c1e-5a7d-4c2e-9f1a-2d3e4f5a6b7c#`, 'user'],
    [`${SOCKET_IO_PREFIX}#/#`, 'control'],
    [`${SOCKET_IO_PREFIX}#/#c0ffee0123456789#`, 'control'],
    [`${SOCKET_IO_PREFIX}-request#/#`, 'control'],
    [RAW_ROOMS_CHANNEL, 'control'],
    ['chat:sessions:ended', 'control'],
  ])('counts %s as %s', (channel, kind) => {
    expect(pubSubKindOf(channel)).toBe(kind);
  });
});
