import { Transform } from 'class-transformer';
import { Equals, IsBoolean, IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { MAX_ENTITY_ID } from '../../common/validation/id-param.pipe';
import { LIMITS } from '../../common/limits';

const { messageContent, clientMsgId, history } = LIMITS;
const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class RoomRefDto {
  @Min(1)
  @Max(MAX_ENTITY_ID)
  @IsInt()
  room_id!: number;
}

/** The seed's frame; its `type` field is accepted and ignored. */
export class ChatMessageDto extends RoomRefDto {
  @IsOptional()
  @Equals('chat_message')
  type?: string;

  @Transform(trim)
  @Length(messageContent.min, messageContent.max, {
    message: `must be ${messageContent.min} to ${messageContent.max} characters long after trimming`,
  })
  @IsString()
  content!: string;

  @IsOptional()
  @Length(clientMsgId.min, clientMsgId.max)
  @IsString()
  client_msg_id?: string;
}

export class TypingDto extends RoomRefDto {
  @IsBoolean()
  is_typing!: boolean;
}

export class SyncDto extends RoomRefDto {
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @IsInt()
  after_id!: number;

  @IsOptional()
  @Min(history.min)
  @Max(history.max)
  @IsInt()
  limit?: number;
}
