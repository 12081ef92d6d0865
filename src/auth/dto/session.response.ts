import { ApiProperty } from '@nestjs/swagger';
import type * as Contract from '../../contract/objects';

/** One of the caller's sessions: a sign-in whose tokens still work. */
export class SessionResponse implements Contract.Session {
  @ApiProperty({ example: '0b6f3a52-4f7e-4c3d-9a55-3d7f1c2e8b10', format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '2026-11-25T18:00:00.000Z', format: 'date-time' })
  created_at!: string;

  @ApiProperty({
    example: '2026-11-25T18:42:00.000Z',
    format: 'date-time',
    description: 'when a request or connection last used it, to the minute',
  })
  last_used_at!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    description: 'the User-Agent of the sign-in',
  })
  user_agent!: string | null;

  @ApiProperty({ example: true, description: 'the session of the token making this request' })
  current!: boolean;
}
