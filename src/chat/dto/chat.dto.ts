import { IntersectionType } from '@nestjs/swagger';
import { Allow, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { MAX_ENTITY_ID } from '../../common/validation/id-param.pipe';
import { LIMITS } from '../../common/limits';
import { SendMessageDto } from '../../messages/dto/message.dto';

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
