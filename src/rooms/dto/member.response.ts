import { ApiProperty } from '@nestjs/swagger';
import type * as Contract from '../../contract/objects';
import { UserResponse } from '../../users/dto/user.response';

/** A room's member: the user, with their role in the room beside their role on the server. */
export class MemberResponse extends UserResponse implements Contract.Member {
  @ApiProperty({ example: 'member', enum: ['owner', 'admin', 'member'] })
  room_role!: Contract.RoomRole;
}
