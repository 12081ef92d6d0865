import { ApiProperty } from '@nestjs/swagger';
import type * as Contract from '../../contract/objects';
import type { UserRole } from '../user';

export class UserResponse implements Contract.User {
  @ApiProperty({ example: 7 })
  id!: number;

  @ApiProperty({ example: 'ada_l' })
  username!: string;

  @ApiProperty({ example: '2026-11-25T18:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: true, description: 'has at least one live real-time connection' })
  online!: boolean;

  @ApiProperty({ example: 'Ada Lovelace', description: 'what people see; the username by default' })
  display_name!: string;

  @ApiProperty({
    enum: ['admin', 'user'],
    example: 'user',
    description: 'the server role; the first account of a fresh store is an admin',
  })
  role!: UserRole;
}
