import { ApiProperty } from '@nestjs/swagger';

export class UserResponse {
  @ApiProperty({ example: 7 })
  id!: number;

  @ApiProperty({ example: 'ada_l' })
  username!: string;

  @ApiProperty({ example: '2026-11-25T18:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({ example: true, description: 'has at least one live real-time connection' })
  online!: boolean;
}
