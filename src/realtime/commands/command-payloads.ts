import { IntersectionType } from '@nestjs/swagger';
import { MarkReadDto } from '../../rooms/dto/room.dto';
import {
  Allow,
  IsBoolean,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Max,
  Min,
} from 'class-validator';
import { MAX_ENTITY_ID, MAX_MESSAGE_ID } from '../../common/validation/id-param.pipe';
import { LIMITS } from '../../common/limits';
import { EditMessageDto, quickSendFields, SendMessageDto } from '../../messages/dto/message.dto';
import {
  isIntegerIn,
  isObjectWithOnly,
  registerQuickCheck,
} from '../../common/validation/quick-check';

const { history } = LIMITS;

export class RoomRefDto {
  @Min(1)
  @Max(MAX_ENTITY_ID)
  @IsInt()
  room_id!: number;
}

/** The seed's frame: a SendMessageDto with its room; its `type` field is accepted and ignored. */
export class ChatMessageDto extends IntersectionType(RoomRefDto, SendMessageDto) {
  @Allow()
  type?: unknown;
}

export class MessageRefDto extends RoomRefDto {
  @Min(1)
  @Max(MAX_MESSAGE_ID)
  @IsInt()
  message_id!: number;
}

export class MarkReadCommandDto extends IntersectionType(RoomRefDto, MarkReadDto) {}

export class EditMessageCommandDto extends IntersectionType(MessageRefDto, EditMessageDto) {}

export class ReactDto extends MessageRefDto {
  /** Checked to be one emoji by the service, as the REST path's is. */
  @MaxLength(64)
  @IsString()
  emoji!: string;

  @IsBoolean()
  on!: boolean;
}

export class TypingDto extends RoomRefDto {
  @IsBoolean()
  is_typing!: boolean;
}

// The two payloads of every keystroke and message get quick checks (see registerQuickCheck).
const CHAT_MESSAGE_FIELDS = new Set(['type', 'room_id', 'content', 'client_msg_id', 'reply_to']);
const TYPING_FIELDS = new Set(['room_id', 'is_typing']);
const isRoomId = (value: unknown) => isIntegerIn(value, 1, MAX_ENTITY_ID);

registerQuickCheck(ChatMessageDto, (value) => {
  if (!isObjectWithOnly(value, CHAT_MESSAGE_FIELDS) || !isRoomId(value.room_id)) return undefined;
  const fields = quickSendFields(value);
  if (!fields) return undefined;
  const message: ChatMessageDto = { room_id: value.room_id, ...fields };
  if ('type' in value) message.type = value.type;
  return message;
});

registerQuickCheck(TypingDto, (value) =>
  isObjectWithOnly(value, TYPING_FIELDS) &&
  isRoomId(value.room_id) &&
  typeof value.is_typing === 'boolean'
    ? { room_id: value.room_id, is_typing: value.is_typing }
    : undefined,
);

/** Either `after_id` (new messages) or `changed_after` (every change); the handler checks one is. */
export class SyncDto extends RoomRefDto {
  @IsOptional()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  after_id?: number;

  @IsOptional()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  changed_after?: number;

  @IsOptional()
  @Min(history.min)
  @Max(history.max)
  @IsInt()
  limit?: number;
}
