import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { NoControlCharacters, TextLength } from '../../common/validation/text';
import { LIMITS } from '../../common/limits';

const { username, password } = LIMITS;

export class RegisterDto {
  @ApiProperty({
    example: 'ada_l',
    minLength: username.min,
    maxLength: username.max,
    pattern: username.pattern.source,
  })
  @TextLength(username.min, username.max)
  @Matches(username.pattern, { message: 'may contain only letters, digits, _ . and -' })
  @IsString()
  username!: string;

  @ApiProperty({
    example: 'correct horse battery',
    minLength: password.min,
    maxLength: password.max,
  })
  @TextLength(password.min, password.max)
  @IsString()
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada_l' })
  @NoControlCharacters()
  @TextLength(1, username.max)
  @IsString()
  username!: string;

  @ApiProperty({ example: 'correct horse battery' })
  @TextLength(1, password.max)
  @IsString()
  password!: string;
}
