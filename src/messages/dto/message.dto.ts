import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { NoControlCharacters, TextLength, Trim } from '../../common/validation/text';
import { MAX_MESSAGE_ID } from '../../common/validation/id-param.pipe';
import {
  digitsToNumber,
  isIntegerIn,
  isObjectWithOnly,
  isPlainTextIn,
  isQueryWithOnly,
  queryIntegerIn,
  registerQuickCheck,
} from '../../common/validation/quick-check';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import type * as Contract from '../../contract/objects';

const { messageContent, clientMsgId, history } = LIMITS;

export class SendMessageDto {
  @ApiProperty({
    example: 'Hello, world!',
    minLength: messageContent.min,
    maxLength: messageContent.max,
  })
  @Trim()
  @NoControlCharacters()
  @TextLength(messageContent.min, messageContent.max, {
    message: `must be ${messageContent.min} to ${messageContent.max} characters long after trimming`,
  })
  @IsString()
  content!: string;

  @ApiPropertyOptional({
    example: '6f1c2a9e-2b1d-4c43-9a55-0d7b1c1e5f10',
    maxLength: clientMsgId.max,
    description: "the sender's own id for this send; resending it returns the stored message",
  })
  @IsOptional()
  @NoControlCharacters()
  @TextLength(clientMsgId.min, clientMsgId.max)
  @IsString()
  client_msg_id?: string;

  @ApiPropertyOptional({
    example: 1041,
    minimum: 1,
    description: 'the id of the message of the same room this one answers',
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_MESSAGE_ID)
  @IsInt()
  reply_to?: number;
}

const SEND_FIELDS = new Set(['content', 'client_msg_id', 'reply_to']);

registerQuickCheck(SendMessageDto, (value) =>
  isObjectWithOnly(value, SEND_FIELDS) ? quickSendFields(value) : undefined,
);

/** SendMessageDto's fields of a payload when they are plainly valid (see registerQuickCheck). */
export function quickSendFields(payload: Record<string, unknown>): SendMessageDto | undefined {
  const content = typeof payload.content === 'string' ? payload.content.trim() : undefined;
  if (!isPlainTextIn(content, messageContent.min, messageContent.max)) return undefined;
  const fields: SendMessageDto = { content };
  const id = payload.client_msg_id;
  if (id !== undefined) {
    if (!isPlainTextIn(id, clientMsgId.min, clientMsgId.max)) return undefined;
    fields.client_msg_id = id;
  }
  const replyTo = payload.reply_to;
  if (replyTo !== undefined) {
    if (!isIntegerIn(replyTo, 1, MAX_MESSAGE_ID)) return undefined;
    fields.reply_to = replyTo;
  }
  return fields;
}

/** An edit's body: new content, by the rules of a send's. */
export class EditMessageDto extends PickType(SendMessageDto, ['content'] as const) {}

export class HistoryQueryDto {
  @ApiPropertyOptional({ minimum: history.min, maximum: history.max, default: history.default })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(history.min)
  @Max(history.max)
  @IsInt()
  limit?: number;

  @ApiPropertyOptional({ description: 'only messages with a smaller id (paging back)', minimum: 1 })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  before?: number;

  @ApiPropertyOptional({
    description: 'only messages with a greater id, the oldest `limit` of them (catching up)',
    minimum: 0,
  })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  after?: number;

  @ApiPropertyOptional({
    description:
      'only messages changed (sent, edited, deleted, reacted to) after this change_id, the oldest ' +
      '`limit` changes, in change order (catching up); not with before or after',
    minimum: 0,
  })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  changed_after?: number;

  @ApiPropertyOptional({
    description:
      'the page of up to `limit` messages centred on this message id, oldest first (opening a ' +
      'room at a message); not with before, after or changed_after',
    minimum: 1,
  })
  @IsOptional()
  @Transform(digitsToNumber)
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  around?: number;
}

const HISTORY_BOUNDS = {
  limit: [history.min, history.max],
  before: [1, Number.MAX_SAFE_INTEGER],
  after: [0, Number.MAX_SAFE_INTEGER],
  changed_after: [0, Number.MAX_SAFE_INTEGER],
  around: [1, Number.MAX_SAFE_INTEGER],
} as const;
const HISTORY_FIELDS = new Set(Object.keys(HISTORY_BOUNDS));

// Every history page passes here: its common case skips class-transformer and class-validator.
registerQuickCheck(HistoryQueryDto, (value) => {
  if (!isQueryWithOnly(value, HISTORY_FIELDS)) return undefined;
  const query: HistoryQueryDto = {};
  for (const key of Object.keys(value) as (keyof typeof HISTORY_BOUNDS)[]) {
    const [min, max] = HISTORY_BOUNDS[key];
    const number = queryIntegerIn(value[key], min, max);
    if (number === undefined) return undefined;
    query[key] = number;
  }
  return query;
});

export class ReactionResponse implements Contract.Reaction {
  @ApiProperty({ example: '👍' })
  emoji!: string;

  @ApiProperty({ example: 2 })
  count!: number;

  @ApiProperty({ example: [7, 12], type: [Number], description: 'in the order they reacted' })
  user_ids!: number[];
}

export class MessageResponse implements Contract.Message {
  @ApiProperty({ example: 'chat_message', enum: ['chat_message'] })
  type!: 'chat_message';

  @ApiProperty({ example: 1042 })
  id!: number;

  @ApiProperty({ example: 1 })
  room_id!: number;

  @ApiProperty({ example: 7 })
  user_id!: number;

  @ApiProperty({ example: 'ada_l' })
  username!: string;

  @ApiProperty({ example: 'Hello, world!' })
  content!: string;

  @ApiProperty({ example: '2026-11-25T18:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: null, nullable: true, type: String })
  client_msg_id!: string | null;

  @ApiProperty({
    example: null,
    nullable: true,
    type: Number,
    description: 'the message of the same room this one answers',
  })
  reply_to!: number | null;

  @ApiProperty({
    example: null,
    nullable: true,
    type: String,
    format: 'date-time',
    description: 'the latest edit; null until edited',
  })
  edited_at!: string | null;

  @ApiProperty({
    example: false,
    description: 'a tombstone: same id and place, empty content, no reactions',
  })
  deleted!: boolean;

  @ApiProperty({ type: [ReactionResponse], description: 'in order of first use' })
  reactions!: ReactionResponse[];

  @ApiProperty({
    example: 2050,
    description:
      "the room's change counter at this message's latest change (sent, edited, deleted, reacted to)",
  })
  change_id!: number;

  @ApiProperty({
    example: [12],
    type: [Number],
    description:
      'ids of the users named as @username who could read the room when it was sent (or last edited)',
  })
  mentions!: number[];
}
