import type { NewMessage } from './message';
import { InsertedRow, outcomesOf } from './message-batch-outcomes';

const CREATED_AT = new Date('2026-01-02T03:04:05.678Z');

const send = (roomId: number, userId: number, clientMsgId: string | null = null): NewMessage => ({
  roomId,
  userId,
  username: `user${userId}`,
  content: `to ${roomId} from ${userId} as ${clientMsgId}`,
  clientMsgId,
  replyTo: null,
  mentions: [],
});

const row = (id: number, { roomId, userId, clientMsgId }: NewMessage): InsertedRow => ({
  id: String(id),
  room_id: roomId,
  user_id: userId,
  client_msg_id: clientMsgId,
  created_at: CREATED_AT,
  change_id: String(id + 100),
});

const created = (id: number, input: NewMessage) => ({
  kind: 'stored',
  stored: {
    message: {
      ...input,
      id,
      createdAt: CREATED_AT,
      editedAt: null,
      deleted: false,
      reactions: [],
      changeId: id + 100,
    },
    created: true,
  },
});
const REFUSED = { kind: 'refused' };

describe('outcomesOf', () => {
  it('matches sends without client_msg_id by order within their (room, user), whatever order rows come in', () => {
    const batch = [send(1, 10), send(2, 10), send(1, 10), send(1, 11)];
    const rows = [row(4, batch[3]), row(3, batch[2]), row(2, batch[1]), row(1, batch[0])];

    expect(outcomesOf(batch, rows)).toEqual([
      created(1, batch[0]),
      created(2, batch[1]),
      created(3, batch[2]),
      created(4, batch[3]),
    ]);
  });

  it('matches sends with client_msg_id by (user, client_msg_id)', () => {
    const batch = [send(1, 10, 'a'), send(1, 11, 'a'), send(2, 10, 'b')];
    const rows = [row(7, batch[2]), row(5, batch[0]), row(6, batch[1])];

    expect(outcomesOf(batch, rows)).toEqual([
      created(5, batch[0]),
      created(6, batch[1]),
      created(7, batch[2]),
    ]);
  });

  it('refuses a send without client_msg_id that got no row', () => {
    const batch = [send(1, 10), send(1, 12), send(1, 10)];
    const rows = [row(1, batch[0]), row(2, batch[2])];

    expect(outcomesOf(batch, rows)).toEqual([created(1, batch[0]), REFUSED, created(2, batch[2])]);
  });

  it('answers a repeat of a client_msg_id stored earlier in the batch with that message', () => {
    const batch = [send(1, 10, 'twice'), send(2, 10, 'twice')];

    const [first, second] = outcomesOf(batch, [row(9, batch[0])]);

    expect(first).toEqual(created(9, batch[0]));
    expect(second).toEqual({
      kind: 'stored',
      stored: { message: created(9, batch[0]).stored.message, created: false },
    });
  });

  it('refuses a send whose client_msg_id a later send of the batch stored in another room', () => {
    const batch = [send(1, 10, 'k'), send(2, 10, 'k')];

    expect(outcomesOf(batch, [row(3, batch[1])])).toEqual([REFUSED, created(3, batch[1])]);
  });

  it('leaves a client_msg_id the batch did not store to a look-up', () => {
    expect(outcomesOf([send(1, 10, 'stored-before')], [])).toEqual([{ kind: 'look_up' }]);
  });
});
