import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { LIMITS } from '../../common/limits';
import {
  NoControlCharacters,
  NoFormatCharacters,
  TextLength,
  Trim,
} from '../../common/validation/text';
import { MAX_ENTITY_ID } from '../../common/validation/id-param.pipe';
import type * as Contract from '../../contract/objects';

const { roomName, roomDescription } = LIMITS;

/** A rename or a new description; what is left out stays. Validated as on creation. */
export class UpdateRoomDto {
  @ApiPropertyOptional({
    example: 'design-reviews',
    minLength: roomName.min,
    maxLength: roomName.max,
  })
  @IsOptional()
  @Trim()
  @NoFormatCharacters()
  @NoControlCharacters()
  @TextLength(roomName.min, roomName.max)
  @IsString()
  name?: string;

  @ApiPropertyOptional({
    example: 'Mockups, reviews and decisions',
    maxLength: roomDescription.max,
  })
  @IsOptional()
  @Trim()
  @NoControlCharacters()
  @TextLength(0, roomDescription.max)
  @IsString()
  description?: string;
}

/** The roles an owner gives; a room has one owner, its creator. */
export const ASSIGNABLE_ROLES = ['admin', 'member'] as const;

export class SetRoomRoleDto {
  @ApiProperty({ example: 'admin', enum: ASSIGNABLE_ROLES })
  @IsIn(ASSIGNABLE_ROLES)
  role!: (typeof ASSIGNABLE_ROLES)[number] & Contract.RoomRole;
}

export class BanDto {
  @ApiProperty({ example: 7, minimum: 1 })
  @Min(1)
  @Max(MAX_ENTITY_ID)
  @IsInt()
  user_id!: number;
}
