import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { LIMITS } from '../../common/limits';

const { username, password } = LIMITS;

export class RegisterDto {
  @ApiProperty({
    example: 'ada_l',
    minLength: username.min,
    maxLength: username.max,
    pattern: username.pattern.source,
  })
  @Length(username.min, username.max, {
    message: `must be ${username.min} to ${username.max} characters long`,
  })
  @Matches(username.pattern, { message: 'may contain only letters, digits, _ . and -' })
  @IsString()
  username!: string;

  @ApiProperty({
    example: 'correct horse battery',
    minLength: password.min,
    maxLength: password.max,
  })
  @Length(password.min, password.max, {
    message: `must be ${password.min} to ${password.max} characters long`,
  })
  @IsString()
  password!: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada_l' })
  @MinLength(1)
  @MaxLength(username.max)
  @IsString()
  username!: string;

  @ApiProperty({ example: 'correct horse battery' })
  @MinLength(1)
  @MaxLength(password.max)
  @IsString()
  password!: string;
}
