import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { LIMITS } from '../../common/limits';
import { TextLength } from '../../common/validation/text';

const { password } = LIMITS;

export class ChangePasswordDto {
  @ApiProperty({ example: 'correct horse battery' })
  @TextLength(1, password.max)
  @IsString()
  current_password!: string;

  @ApiProperty({
    example: 'a longer and newer passphrase',
    minLength: password.min,
    maxLength: password.max,
  })
  @TextLength(password.min, password.max)
  @IsString()
  new_password!: string;
}
