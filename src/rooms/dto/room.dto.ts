import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  NoControlCharacters,
  NoFormatCharacters,
  TextLength,
  Trim,
} from '../../common/validation/text';
import { IsBoolean, IsOptional, IsString } from 'class-validator';
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
}
