import { Body, Controller, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { DirectRoomDto, RoomResponse } from './dto/room.dto';
import { RoomsService } from './rooms.service';

@ApiTags('rooms')
@Controller('api/dms')
export class DirectRoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post()
  @ApiOperation({
    summary: 'The direct room of the caller and another user, made on first use',
    description:
      'One room per pair, whoever asks; with oneself, a room of one (notes). Named for the other ' +
      'user; private to the two; cannot be joined, left or given members. A new one is given to ' +
      "both users' connections as `room_added`.",
  })
  @ApiCreatedResponse({ type: RoomResponse, description: 'made now' })
  @ApiOkResponse({ type: RoomResponse, description: 'made before' })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.Unauthorized, ErrorCode.UserNotFound)
  async open(
    @CurrentUser() auth: AuthUser,
    @Body() dto: DirectRoomDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<RoomResponse> {
    const { room, created } = await this.rooms.direct(auth, dto.username);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return room;
  }
}
