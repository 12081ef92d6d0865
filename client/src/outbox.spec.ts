import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../../src/common/errors/error-code';
import type { Message } from '../../src/contract/objects';
import { ApiError, NotConnectedError } from './errors';
import { Outbox } from './outbox';
import type { StoredPending } from './storage';
import { ManualClock, messageFixture } from './spec-fixtures';

const ME = 1;
const ROOM = 5;

/** The server's side of sends: each one waits until the test answers it. */
class FakeServer {
  /** Every send, in order, as it was sent. */
  readonly sends: StoredPending[] = [];
  private readonly waiting: { resolve(message: Message): void; reject(error: unknown): void }[] =
    [];
  private nextId = 100;

  readonly send = ({
    cid,
    roomId,
    content,
    createdAt,
    replyTo,
  }: StoredPending): Promise<Message> => {
    this.sends.push({
      cid,
      roomId,
      content,
      createdAt,
      ...(typeof replyTo === 'number' && { replyTo }),
    });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  };

  /** Stores the oldest unanswered send and acknowledges it. */
  acknowledge(): void {
    const pending = this.sends[this.sends.length - this.waiting.length];
    const id = this.nextId++;
    this.next().resolve(
      messageFixture({
        id,
        room_id: pending.roomId,
        user_id: ME,
        username: 'me',
        content: pending.content,
        created_at: pending.createdAt,
        client_msg_id: pending.cid,
        reply_to: pending.replyTo ?? null,
      }),
    );
  }

  /** Answers the oldest unanswered send with an error. */
  refuse(error: unknown): void {
    this.next().reject(error);
  }

  private next() {
    const waiting = this.waiting.shift();
    if (!waiting) throw new Error('no send is waiting for an answer');
    return waiting;
  }
}

/** Lets promise callbacks run until `condition` holds: no timers, no waiting for time. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100; turn += 1) {
    if (condition()) return;
    await Promise.resolve();
  }
  throw new Error('the expected state was not reached');
}

function setup(stored: StoredPending[] = []) {
  const clock = new ManualClock();
  const server = new FakeServer();
  const delivered: Message[] = [];
  /** What the outbox keeps, each time it asked to save it. */
  const saves: string[][] = [];
  let ids = 0;
  const outbox: Outbox = new Outbox(stored, {
    userId: ME,
    send: server.send,
    // As the app does: the acknowledged message settles its pending copy.
    delivered: (message) => {
      delivered.push(message);
      outbox.settle(message);
    },
    changed: () => undefined,
    saved: () => saves.push(outbox.stored().map((pending) => pending.content)),
    newId: () => `cid-${++ids}`,
    clock,
  });
  const shown = () => outbox.inRoom(ROOM).map(({ cid, state, error }) => ({ cid, state, error }));
  return { clock, server, delivered, saves, outbox, shown };
}

const timeout = () => new Error('operation has timed out');

describe('Outbox', () => {
  it('sends a message with a client_msg_id and forgets it once acknowledged', async () => {
    const { server, delivered, outbox, shown } = setup();
    outbox.add(ROOM, 'hello');
    expect(server.sends).toEqual([
      { cid: 'cid-1', roomId: ROOM, content: 'hello', createdAt: '2026-03-01T12:00:00.000Z' },
    ]);
    expect(shown()).toEqual([{ cid: 'cid-1', state: 'pending', error: undefined }]);
    expect(outbox.stored()).toHaveLength(1);

    server.acknowledge();
    await until(() => delivered.length === 1);
    expect(delivered[0]).toMatchObject({ content: 'hello', client_msg_id: 'cid-1' });
    expect(shown()).toEqual([]);
    expect(outbox.stored()).toEqual([]);
  });

  it('asks to save what it keeps whenever that changes', async () => {
    const { server, delivered, saves, outbox } = setup();
    outbox.add(ROOM, 'one');
    outbox.add(ROOM, 'two');
    server.acknowledge();
    await until(() => delivered.length === 1);
    outbox.discard('cid-2');
    expect(saves).toEqual([['one'], ['one', 'two'], ['two'], []]);
  });

  it('keeps unsent messages for the next visit, which sends them with the same ids', async () => {
    const first = setup();
    first.outbox.add(ROOM, 'one');
    first.outbox.add(ROOM, 'two');
    first.outbox.stop(false);
    const stored = first.outbox.stored();
    expect(stored.map((pending) => pending.content)).toEqual(['one', 'two']);

    const next = setup(stored);
    expect(next.shown().map((pending) => pending.state)).toEqual(['pending', 'pending']);
    expect(next.server.sends).toEqual([]);
    next.outbox.flush(false);
    expect(next.server.sends).toEqual(stored);
    next.server.acknowledge();
    next.server.acknowledge();
    await until(() => next.delivered.length === 2);
    expect(next.outbox.stored()).toEqual([]);
  });

  it('retries with the same client_msg_id after growing delays, then gives up', async () => {
    const { clock, server, outbox, shown } = setup();
    outbox.add(ROOM, 'hello');
    const delays: number[] = [];
    for (let attempt = 1; attempt < 6; attempt += 1) {
      server.refuse(timeout());
      await until(() => clock.delays().length === 1);
      delays.push(...clock.delays());
      expect(shown()[0].state).toBe('pending');
      clock.advance(clock.delays()[0]);
      expect(server.sends).toHaveLength(attempt + 1);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000]);
    expect(new Set(server.sends.map((pending) => pending.cid))).toEqual(new Set(['cid-1']));

    server.refuse(timeout());
    await until(() => shown()[0].state === 'failed');
    expect(shown()[0]).toMatchObject({ state: 'failed', error: 'the server did not answer' });
    expect(clock.delays()).toEqual([]);
    expect(outbox.stored()).toHaveLength(1);
  });

  it('waits as long as a rate limit asks', async () => {
    const { clock, server, outbox } = setup();
    outbox.add(ROOM, 'hello');
    server.refuse(new ApiError(429, ErrorCode.RateLimited, 'slow down', 5_000));
    await until(() => clock.delays().length === 1);
    expect(clock.delays()).toEqual([5_000]);
  });

  it('waits at least 2 s without a connection (a reconnect sends sooner)', async () => {
    const { clock, server, outbox } = setup();
    outbox.add(ROOM, 'over Socket.IO');
    outbox.add(ROOM, 'over REST');
    server.refuse(new NotConnectedError());
    server.refuse(new ApiError(0, 'network_error', 'The server cannot be reached.'));
    await until(() => clock.delays().length === 2);
    expect(clock.delays()).toEqual([2_000, 2_000]);
  });

  it('fails at once on an error a resend cannot fix, until the user retries', async () => {
    const { clock, server, delivered, outbox, shown } = setup();
    outbox.add(ROOM, 'hello');
    server.refuse(new ApiError(403, ErrorCode.NotAMember, 'you are not a member of room 5'));
    await until(() => shown()[0].state === 'failed');
    expect(shown()[0].error).toBe('you are not a member of room 5');
    expect(clock.delays()).toEqual([]);

    // A reconnect does not resend it; the user's retry does.
    outbox.flush(true);
    expect(server.sends).toHaveLength(1);
    outbox.retry('cid-1');
    expect(shown()[0].state).toBe('pending');
    server.acknowledge();
    await until(() => delivered.length === 1);
    expect(shown()).toEqual([]);
  });

  it('resends messages that got no answer after a reconnect, not after the first connect', async () => {
    const { clock, server, outbox, shown } = setup();
    outbox.add(ROOM, 'hello');
    for (let attempt = 1; attempt < 6; attempt += 1) {
      server.refuse(timeout());
      await until(() => clock.delays().length === 1);
      clock.advance(clock.delays()[0]);
    }
    server.refuse(timeout());
    await until(() => shown()[0].state === 'failed');

    outbox.flush(false);
    expect(server.sends).toHaveLength(6);
    outbox.flush(true);
    expect(server.sends).toHaveLength(7);
    expect(shown()[0].state).toBe('pending');
  });

  it('does not send a message twice while a send is on its way', () => {
    const { server, outbox } = setup();
    outbox.add(ROOM, 'hello');
    outbox.flush(true);
    outbox.retry('cid-1');
    expect(server.sends).toHaveLength(1);
  });

  it('drops a discarded message: no more sends, nothing kept', async () => {
    const { clock, server, outbox, shown } = setup();
    outbox.add(ROOM, 'hello');
    server.refuse(timeout());
    await until(() => clock.delays().length === 1);
    outbox.discard('cid-1');
    expect(shown()).toEqual([]);
    expect(outbox.stored()).toEqual([]);
    expect(clock.delays()).toEqual([]);
  });

  it('settles a pending message seen live or caught up, but only the user’s own', () => {
    const { server, outbox, shown } = setup();
    outbox.add(ROOM, 'hello');
    const seen: Message = messageFixture({
      id: 7,
      room_id: ROOM,
      user_id: 2,
      username: 'other',
      content: 'hello',
      created_at: '2026-03-01T12:00:00.000Z',
      client_msg_id: 'cid-1',
      change_id: 7,
    });
    outbox.settle(seen);
    outbox.settle({ ...seen, user_id: ME, client_msg_id: null });
    expect(shown()).toHaveLength(1);
    outbox.settle({ ...seen, user_id: ME });
    expect(shown()).toEqual([]);
    expect(server.sends).toHaveLength(1);
  });

  it('sends the message replied to with every attempt, and keeps it for the next visit', async () => {
    const first = setup();
    first.outbox.add(ROOM, 'an answer', 42);
    first.outbox.add(ROOM, 'not an answer');
    first.server.refuse(timeout());
    await until(() => first.clock.delays().length === 1);
    first.clock.advance(first.clock.delays()[0]);
    expect(first.server.sends.map(({ content, replyTo }) => [content, replyTo])).toEqual([
      ['an answer', 42],
      ['not an answer', undefined],
      ['an answer', 42],
    ]);
    first.outbox.stop(false);
    // Through the saved form (JSON in localStorage) to the next visit.
    const stored = JSON.parse(JSON.stringify(first.outbox.stored())) as StoredPending[];
    expect(stored.map(({ content, replyTo }) => [content, replyTo])).toEqual([
      ['an answer', 42],
      ['not an answer', undefined],
    ]);

    const next = setup(stored);
    expect(next.outbox.inRoom(ROOM).map((pending) => pending.replyTo)).toEqual([42, undefined]);
    next.outbox.flush(false);
    expect(next.server.sends).toEqual(stored);
    next.server.acknowledge();
    await until(() => next.delivered.length === 1);
    expect(next.delivered[0]).toMatchObject({ content: 'an answer', reply_to: 42 });
  });

  it('fails at once when the message replied to is not in the room', async () => {
    const { clock, server, outbox, shown } = setup();
    outbox.add(ROOM, 'an answer', 999);
    server.refuse(new ApiError(404, ErrorCode.MessageNotFound, 'message 999 not found'));
    await until(() => shown()[0].state === 'failed');
    expect(clock.delays()).toEqual([]);
  });

  it('shows each room only its own messages, oldest first', () => {
    const { outbox } = setup();
    outbox.add(ROOM, 'first');
    outbox.add(ROOM + 1, 'elsewhere');
    outbox.add(ROOM, 'second');
    expect(outbox.inRoom(ROOM).map((pending) => pending.content)).toEqual(['first', 'second']);
  });

  it('stops sending when stopped, and forgets unsent messages on request', async () => {
    const { clock, server, outbox } = setup();
    outbox.add(ROOM, 'hello');
    server.refuse(timeout());
    await until(() => clock.delays().length === 1);
    outbox.stop(true);
    expect(clock.delays()).toEqual([]);
    expect(outbox.stored()).toEqual([]);
    outbox.add(ROOM, 'after the end');
    expect(server.sends).toHaveLength(1);
  });
});
