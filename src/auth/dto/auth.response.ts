import { ApiProperty } from '@nestjs/swagger';
import type * as Contract from '../../contract/objects';
import { UserResponse } from '../../users/dto/user.response';

export class AuthResponse implements Contract.AuthResponse {
  @ApiProperty({ type: UserResponse })
  user!: UserResponse;

  @ApiProperty({ example: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9...' })
  access_token!: string;

  @ApiProperty({ example: 'Bearer', enum: ['Bearer'] })
  token_type!: 'Bearer';

  @ApiProperty({ example: 86400, description: 'seconds until the token expires' })
  expires_in!: number;
}
