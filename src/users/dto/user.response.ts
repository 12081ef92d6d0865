import { ApiProperty } from '@nestjs/swagger';
import type * as Contract from '../../contract/objects';

export class UserResponse implements Contract.User {
  @ApiProperty({ example: 7 })
  id!: number;

  @ApiProperty({ example: 'ada_l' })
  username!: string;

  @ApiProperty({ example: '2026-11-25T18:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: true, description: 'has at least one live real-time connection' })
  online!: boolean;
}
