import { describe, expect, it } from '@jest/globals';
import { ErrorCode } from '../../src/common/errors/error-code';
import type { Message } from '../../src/contract/objects';
import { ApiError } from './errors';
import { quoteText, ReplyParents } from './reply-parents';
import { messageFixture } from './spec-fixtures';

const ROOM = 5;

function message(id: number, content = `message ${id}`): Message {
  return messageFixture({ id, room_id: ROOM, user_id: 2, username: 'ada', content });
}

/** Lets promise callbacks run until `condition` holds: no timers, no waiting for time. */
async function until(condition: () => boolean): Promise<void> {
  for (let turn = 0; turn < 100; turn += 1) {
    if (condition()) return;
    await Promise.resolve();
  }
  throw new Error('the expected state was not reached');
}

function setup(loaded: Message[] = []) {
  const fetches: number[] = [];
  const answers: { resolve(message: Message): void; reject(error: unknown): void }[] = [];
  let changes = 0;
  const parents = new ReplyParents({
    loaded: (roomId, id) => loaded.find((item) => item.room_id === roomId && item.id === id),
    fetch: (_roomId, id) => {
      fetches.push(id);
      return new Promise((resolve, reject) => answers.push({ resolve, reject }));
    },
    changed: () => (changes += 1),
  });
  return { parents, fetches, answers, changes: () => changes };
}

describe('ReplyParents', () => {
  it('takes a loaded message from the history without asking the server', () => {
    const { parents, fetches } = setup([message(7)]);
    expect(parents.get(ROOM, 7)).toEqual({ kind: 'found', message: message(7) });
    expect(fetches).toEqual([]);
  });

  it('fetches a message once, shows it loading meanwhile, and keeps it', async () => {
    const { parents, fetches, answers, changes } = setup();
    expect(parents.get(ROOM, 3)).toEqual({ kind: 'loading' });
    expect(parents.get(ROOM, 3)).toEqual({ kind: 'loading' });
    expect(fetches).toEqual([3]);
    const version = parents.version;
    answers[0].resolve(message(3));
    await until(() => changes() === 1);
    expect(parents.version).toBe(version + 1);
    expect(parents.get(ROOM, 3)).toEqual({ kind: 'found', message: message(3) });
    expect(fetches).toEqual([3]);
  });

  it('keeps a message the server does not have as missing, without asking again', async () => {
    const { parents, fetches, answers, changes } = setup();
    parents.get(ROOM, 4);
    answers[0].reject(new ApiError(404, ErrorCode.MessageNotFound, 'message 4 not found'));
    await until(() => changes() === 1);
    expect(parents.get(ROOM, 4)).toEqual({ kind: 'missing' });
    expect(fetches).toEqual([4]);
  });

  it('asks again on the next look after a failure that may pass', async () => {
    const { parents, fetches, answers } = setup();
    parents.get(ROOM, 4);
    answers[0].reject(new ApiError(0, 'network_error', 'The server cannot be reached.'));
    await until(() => parents.get(ROOM, 4).kind === 'loading' && fetches.length === 2);
    expect(fetches).toEqual([4, 4]);
  });

  it('shows a fetched message’s later state: edited, then deleted', async () => {
    const { parents, answers, changes } = setup();
    parents.get(ROOM, 3);
    answers[0].resolve(message(3));
    await until(() => changes() === 1);
    const edited = { ...message(3, 'edited'), change_id: 10 };
    parents.update(edited);
    expect(parents.get(ROOM, 3)).toEqual({ kind: 'found', message: edited });
    expect(changes()).toBe(2);
    // An older state, or one never fetched, changes nothing.
    parents.update(message(3));
    parents.update(message(8));
    expect(parents.get(ROOM, 3)).toEqual({ kind: 'found', message: edited });
    expect(changes()).toBe(2);
    const deleted = { ...edited, content: '', deleted: true, change_id: 11 };
    parents.update(deleted);
    expect(parents.get(ROOM, 3)).toEqual({ kind: 'found', message: deleted });
  });
});

describe('quoteText', () => {
  it('quotes the first non-empty line', () => {
    expect(quoteText('\n  first line  \nsecond')).toBe('first line');
  });

  it('cuts a long line with an ellipsis', () => {
    const quoted = quoteText('x'.repeat(200));
    expect(quoted).toHaveLength(80);
    expect(quoted.endsWith('…')).toBe(true);
  });
});
