import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { LIMITS } from '../../common/limits';
import {
  NoControlCharacters,
  NoFormatCharacters,
  TextLength,
  Trim,
} from '../../common/validation/text';

const { displayName } = LIMITS;

export class UpdateProfileDto {
  @ApiProperty({ example: 'Ada Lovelace', minLength: displayName.min, maxLength: displayName.max })
  @Trim()
  @NoFormatCharacters()
  @NoControlCharacters()
  @TextLength(displayName.min, displayName.max)
  @IsString()
  display_name!: string;
}
