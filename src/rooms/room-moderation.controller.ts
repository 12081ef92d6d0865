import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
} from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { IdParamPipe } from '../common/validation/id-param.pipe';
import { UserResponse } from '../users/dto/user.response';
import { MemberResponse } from './dto/member.response';
import { RoomResponse } from './dto/room.dto';
import { BanDto, SetRoomRoleDto, UpdateRoomDto } from './dto/room-moderation.dto';
import { RoomModerationService } from './room-moderation.service';

const { ValidationFailed, Unauthorized, Forbidden, RoomNotFound, UserNotFound } = ErrorCode;
const userIdParam = new IdParamPipe('user_id');

/**
 * Moderation of a channel by its owner and admins (server admins in every channel). Refusals are
 * 403 `forbidden`; a private room answers outsiders 404 `room_not_found`.
 */
@ApiTags('rooms')
@Controller('api/rooms')
export class RoomModerationController {
  constructor(private readonly moderation: RoomModerationService) {}

  @Patch(':id')
  @ApiOperation({
    summary: 'Rename a room or change its description (owner or admin)',
    description: "Each member's connections get `room_updated` with the room as they see it.",
  })
  @ApiOkResponse({ type: RoomResponse })
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound, ErrorCode.RoomNameTaken)
  update(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: UpdateRoomDto,
  ): Promise<RoomResponse> {
    return this.moderation.update(auth, id, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Delete a room with its messages (owner, or a server admin)',
    description: "Every member's connections get `room_removed` and stop receiving the room.",
  })
  @ApiNoContentResponse()
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound)
  delete(@CurrentUser() auth: AuthUser, @Param('id', IdParamPipe) id: number): Promise<void> {
    return this.moderation.delete(auth, id);
  }

  @Patch(':id/members/:user_id')
  @ApiOperation({
    summary: 'Make a member an admin, or an admin a member (owner only); answers the member',
    description: "The owner's own role does not change; 404 `user_not_found` for a non-member.",
  })
  @ApiOkResponse({ type: MemberResponse })
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound, UserNotFound)
  setRole(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Param('user_id', userIdParam) userId: number,
    @Body() dto: SetRoomRoleDto,
  ): Promise<MemberResponse> {
    return this.moderation.setRole(auth, id, userId, dto);
  }

  @Delete(':id/members/:user_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Remove a member (owner or admin; not the owner, and admins not other admins)',
    description:
      'The user is out at once: their connections get `room_removed` and stop receiving the room, the room gets `user_left`; 404 `user_not_found` for a non-member.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound, UserNotFound)
  removeMember(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Param('user_id', userIdParam) userId: number,
  ): Promise<void> {
    return this.moderation.removeMember(auth, id, userId);
  }

  @Get(':id/bans')
  @ApiOperation({ summary: 'The users banned from a room, the latest first (owner or admin)' })
  @ApiOkResponse({ type: [UserResponse] })
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound)
  bans(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
  ): Promise<UserResponse[]> {
    return this.moderation.bans(auth, id);
  }

  @Post(':id/bans')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Ban a user (owner or admin, with the same rank rules as removing)',
    description:
      'Removes the user if a member, as removing does, and bars them: joining answers 403 `banned`, and so does adding them. A user who never joined can be banned too.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound, UserNotFound)
  ban(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: BanDto,
  ): Promise<void> {
    return this.moderation.ban(auth, id, dto.user_id);
  }

  @Delete(':id/bans/:user_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Lift a ban (owner or admin); lifting none is no error' })
  @ApiNoContentResponse()
  @ApiErrors(ValidationFailed, Unauthorized, Forbidden, RoomNotFound)
  unban(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Param('user_id', userIdParam) userId: number,
  ): Promise<void> {
    return this.moderation.unban(auth, id, userId);
  }
}
