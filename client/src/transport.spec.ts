import { describe, expect, it } from '@jest/globals';
import type { Message } from '../../src/contract/objects';
import type { Api } from './api';
import { ApiError, NotConnectedError } from './errors';
import type { Realtime } from './realtime';
import { Transport } from './transport';
import { messageFixture } from './spec-fixtures';

function message(fields: Partial<Message> = {}): Message {
  return messageFixture({
    id: 4,
    room_id: 7,
    user_id: 1,
    username: 'me',
    content: 'hello',
    change_id: 9,
    ...fields,
  });
}

/** A socket that answers each event with `answer` (or fails with it), and a REST API that records. */
function setUp(connected: boolean, answer: (event: string, payload: object) => unknown) {
  const emitted: [string, object][] = [];
  const called: string[] = [];
  const realtime = {
    connected,
    request: async (event: string, payload: object) => {
      emitted.push([event, payload]);
      const reply = answer(event, payload);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  } as unknown as Realtime;
  const rest =
    (name: string, result: unknown) =>
    async (...args: unknown[]) => {
      called.push(`${name} ${JSON.stringify(args)}`);
      return result;
    };
  const api = {
    edit: rest('edit', message({ content: 'by rest', change_id: 10 })),
    deleteMessage: rest('delete', undefined),
    react: rest('react', message({ change_id: 11 })),
    messages: rest('messages', [message()]),
  } as unknown as Api;
  return { transport: new Transport(api, realtime), emitted, called };
}

describe('Transport', () => {
  it('edits, deletes and reacts over Socket.IO while connected, with the acks’ messages', async () => {
    const tombstone = message({ deleted: true, content: '', change_id: 12 });
    const { transport, emitted, called } = setUp(true, (event) => ({
      ok: true,
      message: event === 'delete_message' ? tombstone : message({ change_id: 10 }),
    }));
    expect((await transport.edit(7, 4, 'new text')).change_id).toBe(10);
    expect(await transport.delete(7, 4)).toBe(tombstone);
    await transport.react(7, 4, '👍', false);
    expect(emitted).toEqual([
      ['edit_message', { room_id: 7, message_id: 4, content: 'new text' }],
      ['delete_message', { room_id: 7, message_id: 4 }],
      ['react', { room_id: 7, message_id: 4, emoji: '👍', on: false }],
    ]);
    expect(called).toEqual([]);
  });

  it('uses REST while disconnected: a deletion answers without the tombstone', async () => {
    const { transport, emitted, called } = setUp(false, () => new NotConnectedError());
    expect((await transport.edit(7, 4, 'new text')).content).toBe('by rest');
    expect(await transport.delete(7, 4)).toBeNull();
    await transport.react(7, 4, '🎉', true);
    await transport.changesAfter(7, 30, 200);
    expect(emitted).toEqual([]);
    expect(called).toEqual([
      'edit [7,4,"new text"]',
      'delete [7,4]',
      'react [7,4,"🎉",true]',
      'messages [7,{"changed_after":30,"limit":200}]',
    ]);
  });

  it('asks REST when an ack is lost, and throws the server’s refusal as it is', async () => {
    const lost = setUp(true, () => new Error('operation has timed out'));
    await lost.transport.changesAfter(7, 30, 200);
    expect(lost.emitted).toEqual([['sync', { room_id: 7, changed_after: 30, limit: 200 }]]);
    expect(lost.called).toEqual(['messages [7,{"changed_after":30,"limit":200}]']);

    const refused = setUp(true, () => ({
      ok: false,
      error: { code: 'not_message_author', message: 'only the author can edit' },
    }));
    const error = await refused.transport.edit(7, 4, 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'not_message_author' });
    expect(refused.called).toEqual([]);
  });
});
