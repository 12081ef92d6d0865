import { ApiProperty } from '@nestjs/swagger';
import type * as Contract from '../../contract/objects';
import { UserResponse } from '../../users/dto/user.response';

export class AdminUserResponse extends UserResponse implements Contract.AdminUser {
  @ApiProperty({ example: false, description: 'cannot sign in, and has no sessions' })
  deactivated!: boolean;
}
