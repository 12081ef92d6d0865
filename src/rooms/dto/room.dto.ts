import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  NoControlCharacters,
  NoFormatCharacters,
  TextLength,
  Trim,
} from '../../common/validation/text';
import { IsBoolean, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { MAX_MESSAGE_ID } from '../../common/validation/id-param.pipe';
import { LIMITS } from '../../common/limits';
import type * as Contract from '../../contract/objects';

const { roomName, roomDescription, username } = LIMITS;

export class CreateRoomDto {
  @ApiProperty({ example: 'design', minLength: roomName.min, maxLength: roomName.max })
  @Trim()
  @NoFormatCharacters()
  @NoControlCharacters()
  @TextLength(roomName.min, roomName.max)
  @IsString()
  name!: string;

  @ApiPropertyOptional({
    example: 'Mockups and reviews',
    maxLength: roomDescription.max,
    default: '',
  })
  @IsOptional()
  @Trim()
  @NoControlCharacters()
  @TextLength(0, roomDescription.max)
  @IsString()
  description?: string;

  @ApiPropertyOptional({ example: false, default: false })
  @IsOptional()
  @IsBoolean()
  is_private?: boolean;
}

export class AddMemberDto {
  @ApiProperty({ example: 'grace_h' })
  @NoControlCharacters()
  @TextLength(1, username.max)
  @IsString()
  username!: string;
}

export class DirectRoomDto {
  @ApiProperty({
    example: 'grace_h',
    description: 'the other user (any letter case); oneself for notes',
  })
  @NoControlCharacters()
  @TextLength(1, username.max)
  @IsString()
  username!: string;
}

export class MarkReadDto {
  @ApiProperty({
    example: 1042,
    minimum: 0,
    description:
      'the newest message read; a position behind the stored one changes nothing, one past the newest message stops there',
  })
  @Min(0)
  @Max(MAX_MESSAGE_ID)
  @IsInt()
  last_read_id!: number;
}

export class RoomResponse implements Contract.Room {
  @ApiProperty({ example: 1 })
  id!: number;

  @ApiProperty({ example: 'general' })
  name!: string;

  @ApiProperty({ example: 'A room for everyone' })
  description!: string;

  @ApiProperty({ example: false })
  is_private!: boolean;

  @ApiProperty({
    example: 7,
    nullable: true,
    type: Number,
    description: 'owner; null for rooms made by the server',
  })
  created_by!: number | null;

  @ApiProperty({ example: '2026-11-25T18:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: 3 })
  member_count!: number;

  @ApiProperty({
    example: true,
    description: 'whether the caller is a member; false without a token',
  })
  is_member!: boolean;

  @ApiProperty({
    example: 'channel',
    enum: ['channel', 'direct'],
    description: 'a direct room is named for the other user, private to the two, with no owner',
  })
  kind!: Contract.RoomKind;

  @ApiProperty({
    example: 'member',
    enum: ['owner', 'admin', 'member'],
    nullable: true,
    type: String,
    description: "the caller's role; null when not a member",
  })
  role!: Contract.RoomRole | null;

  @ApiProperty({
    example: 1040,
    nullable: true,
    type: Number,
    description: 'the newest message the caller has read; null when not a member',
  })
  last_read_id!: number | null;

  @ApiProperty({
    example: 2,
    nullable: true,
    type: Number,
    maximum: 1000,
    description:
      "messages after last_read_id, not the caller's own and not deleted, counted up to 1,000; null when not a member",
  })
  unread_count!: number | null;

  @ApiProperty({
    example: 1,
    nullable: true,
    type: Number,
    maximum: 1000,
    description: 'the same, mentioning the caller',
  })
  mention_count!: number | null;
}
