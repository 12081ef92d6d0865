import type { Type } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import { MAX_ENTITY_ID, MAX_MESSAGE_ID } from '../../common/validation/id-param.pipe';
import { quickCheckOf } from '../../common/validation/quick-check';
import { AppValidationPipe } from '../../common/validation/validation.pipe';
import { HistoryQueryDto, SendMessageDto } from '../../messages/dto/message.dto';
import { ChatMessageDto, TypingDto } from './command-payloads';

const ABSENT = Symbol('absent');

/** Every combination of the given field values; ABSENT leaves the field out. */
function combinations(fields: Record<string, unknown[]>): Record<string, unknown>[] {
  return Object.entries(fields).reduce<Record<string, unknown>[]>(
    (partials, [name, values]) =>
      partials.flatMap((partial) =>
        values.map((value) => (value === ABSENT ? partial : { ...partial, [name]: value })),
      ),
    [{}],
  );
}

const roomIds = [1, 42, MAX_ENTITY_ID, 0, -1, MAX_ENTITY_ID + 1, 1.5, '1', null, true, ABSENT];
const contents = [
  'hi',
  '  padded  ',
  'a'.repeat(4000),
  ` ${'a'.repeat(4000)} `,
  'a'.repeat(4001),
  '',
  '   ',
  'tab\tnew\nline\r',
  'nul\u0000',
  'del\u007f',
  '😀'.repeat(2000),
  '😀'.repeat(2001),
  'x\uFE0F',
  'x\uFE0F'.repeat(2000),
  'x\uFE0F'.repeat(2001),
  'lone \ud800',
  42,
  null,
  ABSENT,
];
const clientMsgIds = [
  'abc',
  'a'.repeat(128),
  'a'.repeat(129),
  '😀'.repeat(128),
  'a\uFE0F'.repeat(64),
  'a\uFE0F'.repeat(65),
  '',
  ' spaced ',
  'c\u0001',
  '\udc00',
  null,
  5,
];
const notObjects = [null, 'text', 5, true, [], [{ room_id: 1, content: 'hi' }]];

/** The DTO's own validation, without the quick check. */
async function fullValidation(
  dto: Type<unknown>,
  value: unknown,
  type: 'body' | 'query' = 'body',
): Promise<unknown> {
  const pipe = new AppValidationPipe();
  return ValidationPipe.prototype.transform.call(pipe, value, { type, metatype: dto });
}

/**
 * The quick check may decline anything, but what it accepts the decorators must accept too, with
 * the same result.
 */
async function expectAgreement(
  dto: Type<unknown>,
  values: unknown[],
  type: 'body' | 'query' = 'body',
): Promise<number> {
  const check = quickCheckOf(dto)!;
  let accepted = 0;
  for (const value of values) {
    const quick = check(value);
    if (quick === undefined) continue;
    accepted += 1;
    await expect(fullValidation(dto, value, type)).resolves.toEqual({ ...quick });
  }
  return accepted;
}

/** Message ids a reply may name, and values that are none. */
const replyTos = [1, MAX_MESSAGE_ID, MAX_MESSAGE_ID + 1, 0, -1, 1.5, '7', null, ABSENT];

describe('quick checks of the real-time payloads', () => {
  it('ChatMessageDto: accepts only what its decorators accept, with the same result', async () => {
    const values = combinations({
      room_id: roomIds,
      content: contents,
      client_msg_id: [...clientMsgIds, ABSENT],
      reply_to: replyTos,
      type: ['chat_message', 'other', 7, ABSENT],
      extra: [1, ABSENT],
    });
    expect(await expectAgreement(ChatMessageDto, [...values, ...notObjects])).toBeGreaterThan(100);
  });

  it('SendMessageDto: accepts only what its decorators accept, with the same result', async () => {
    const values = combinations({
      content: contents,
      client_msg_id: [...clientMsgIds, ABSENT],
      reply_to: replyTos,
      room_id: [1, ABSENT],
    });
    expect(await expectAgreement(SendMessageDto, [...values, ...notObjects])).toBeGreaterThan(10);
  });

  it('TypingDto: accepts only what its decorators accept, with the same result', async () => {
    const values = combinations({
      room_id: roomIds,
      is_typing: [true, false, 'true', 1, null, ABSENT],
      extra: [1, ABSENT],
    });
    expect(await expectAgreement(TypingDto, [...values, ...notObjects])).toBe(6);
  });

  it('takes the common payloads without the full validation', () => {
    expect(quickCheckOf(ChatMessageDto)!({ room_id: 3, content: ' hello ' })).toEqual({
      room_id: 3,
      content: 'hello',
    });
    expect(
      quickCheckOf(ChatMessageDto)!({
        type: 'chat_message',
        room_id: 3,
        content: 'hi 😀',
        client_msg_id: 'c-1',
      }),
    ).toEqual({ type: 'chat_message', room_id: 3, content: 'hi 😀', client_msg_id: 'c-1' });
    expect(quickCheckOf(TypingDto)!({ room_id: 3, is_typing: false })).toEqual({
      room_id: 3,
      is_typing: false,
    });
  });

  it('declines objects that are not plain JSON objects', () => {
    const inherited = Object.assign(Object.create({ extra: 1 }) as object, {
      room_id: 1,
      content: 'hi',
    });
    const bare = Object.assign(Object.create(null) as object, { room_id: 1, content: 'hi' });
    expect(quickCheckOf(ChatMessageDto)!(inherited)).toBeUndefined();
    expect(quickCheckOf(ChatMessageDto)!(bare)).toBeUndefined();
  });

  it('HistoryQueryDto: accepts only what its decorators accept, with the same result', async () => {
    const numbers = ['1', '50', '100', '101', '0', '9007199254740991', '9007199254740992'];
    const odd = ['', ' 5', '5 ', '+5', '-1', '0x10', '1e2', '1.0', '٣', ['1', '2']];
    const queries = combinations({
      limit: [...numbers, ...odd.slice(0, 4), ABSENT],
      before: [...numbers, ...odd, ABSENT],
      after: ['0', '7', ...odd.slice(4), ABSENT],
      other: ['1', ABSENT],
    }).map((fields) =>
      // As the query string parser makes them: an object whose prototype has no prototype.
      Object.assign(Object.create(Object.create(null) as object) as object, fields),
    );
    const inherited = Object.assign(Object.create({ other: '1' }) as object, { limit: '5' });
    expect(quickCheckOf(HistoryQueryDto)!(inherited)).toBeUndefined();
    expect(await expectAgreement(HistoryQueryDto, queries, 'query')).toBeGreaterThan(50);
  });
});
