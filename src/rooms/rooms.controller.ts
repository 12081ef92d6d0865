import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser, OptionalAuth } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { IdParamPipe } from '../common/validation/id-param.pipe';
import { UserResponse } from '../users/dto/user.response';
import { MemberResponse } from './dto/member.response';
import { AddMemberDto, CreateRoomDto, MarkReadDto, RoomResponse } from './dto/room.dto';
import { ReadState } from './read-state';
import { RoomsService } from './rooms.service';

const { ValidationFailed, Unauthorized, RoomNotFound, RateLimited } = ErrorCode;

@ApiTags('rooms')
@Controller('api/rooms')
export class RoomsController {
  constructor(
    private readonly rooms: RoomsService,
    private readonly readState: ReadState,
  ) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({ summary: "Every public room, plus the caller's private rooms" })
  @ApiOkResponse({ type: [RoomResponse] })
  @ApiErrors(Unauthorized)
  list(@CurrentUser() auth: AuthUser | null): Promise<RoomResponse[]> {
    return this.rooms.list(auth);
  }

  @Post()
  @ApiOperation({ summary: 'Create a room; the caller becomes its owner and first member' })
  @ApiCreatedResponse({ type: RoomResponse })
  @ApiErrors(ValidationFailed, Unauthorized, ErrorCode.RoomNameTaken)
  create(@CurrentUser() auth: AuthUser, @Body() dto: CreateRoomDto): Promise<RoomResponse> {
    return this.rooms.create(auth, dto);
  }

  @Get(':id')
  @OptionalAuth()
  @ApiOperation({ summary: 'One room' })
  @ApiOkResponse({ type: RoomResponse })
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound)
  get(
    @CurrentUser() auth: AuthUser | null,
    @Param('id', IdParamPipe) id: number,
  ): Promise<RoomResponse> {
    return this.rooms.get(auth, id);
  }

  @Post(':id/join')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Join a public room (or a private room the caller is in already)' })
  @ApiOkResponse({ type: RoomResponse })
  @ApiErrors(
    ValidationFailed,
    Unauthorized,
    RoomNotFound,
    ErrorCode.Forbidden,
    ErrorCode.Banned,
    RateLimited,
  )
  join(@CurrentUser() auth: AuthUser, @Param('id', IdParamPipe) id: number): Promise<RoomResponse> {
    return this.rooms.join(auth, id);
  }

  @Post(':id/leave')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Leave a room; the caller's connections get `room_removed`" })
  @ApiNoContentResponse()
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound, ErrorCode.Forbidden, RateLimited)
  leave(@CurrentUser() auth: AuthUser, @Param('id', IdParamPipe) id: number): Promise<void> {
    return this.rooms.leave(auth, id);
  }

  @Post(':id/read')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Mark the room read up to a message; the caller's connections get `read`",
    description:
      'Never moves back; stops at the newest message. Stored within a second (coalesced), seen at once by this server.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound, ErrorCode.NotAMember)
  markRead(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: MarkReadDto,
  ): Promise<void> {
    return this.readState.mark(auth, id, dto.last_read_id);
  }

  @Get(':id/members')
  @OptionalAuth()
  @ApiOperation({ summary: 'Members of a room' })
  @ApiOkResponse({ type: [MemberResponse] })
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound)
  members(
    @CurrentUser() auth: AuthUser | null,
    @Param('id', IdParamPipe) id: number,
  ): Promise<MemberResponse[]> {
    return this.rooms.members(auth, id);
  }

  @Post(':id/members')
  @ApiOperation({
    summary: 'Add a user to a room (owner only); answers the added user',
    description: 'A user the room has banned answers 403 `banned`: lift the ban first.',
  })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(
    ValidationFailed,
    Unauthorized,
    ErrorCode.NotRoomOwner,
    ErrorCode.Forbidden,
    ErrorCode.Banned,
    RoomNotFound,
    ErrorCode.UserNotFound,
  )
  addMember(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) id: number,
    @Body() dto: AddMemberDto,
  ): Promise<UserResponse> {
    return this.rooms.addMember(auth, id, dto);
  }
}
