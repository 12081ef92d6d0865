import { Body, Controller, Get, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser, OptionalAuth } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { IdParamPipe, messageIdParam } from '../common/validation/id-param.pipe';
import { HistoryQueryDto, MessageResponse, SendMessageDto } from './dto/message.dto';
import { MessagesService } from './messages.service';

const { ValidationFailed, Unauthorized, RoomNotFound } = ErrorCode;

@ApiTags('messages')
@Controller('api/rooms/:id/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'History, oldest first: the newest `limit`, those before `before`, or the oldest `limit` after `after`',
    description: 'Public rooms can be read without a token; private rooms by their members only.',
  })
  @ApiOkResponse({ type: [MessageResponse] })
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound)
  history(
    @CurrentUser() auth: AuthUser | null,
    @Param('id', IdParamPipe) roomId: number,
    @Query() query: HistoryQueryDto,
  ): Promise<MessageResponse[]> {
    return this.messages.history(auth, roomId, query);
  }

  @Get(':message_id')
  @OptionalAuth()
  @ApiOperation({
    summary: 'One message of the room',
    description: 'As history: public rooms without a token, private rooms by their members only.',
  })
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound, ErrorCode.MessageNotFound)
  findOne(
    @CurrentUser() auth: AuthUser | null,
    @Param('id', IdParamPipe) roomId: number,
    @Param('message_id', messageIdParam) messageId: number,
  ): Promise<MessageResponse> {
    return this.messages.findOne(auth, roomId, messageId);
  }

  @Post()
  @ApiOperation({
    summary: 'Send a message to a room the caller is a member of',
    description:
      'A repeated client_msg_id answers 200 with the stored message and stores nothing new. ' +
      '`reply_to` names a message of the same room (else 404 message_not_found).',
  })
  @ApiCreatedResponse({ type: MessageResponse, description: 'stored and delivered' })
  @ApiOkResponse({
    type: MessageResponse,
    description: 'client_msg_id seen before: the stored message',
  })
  @ApiErrors(
    ValidationFailed,
    Unauthorized,
    ErrorCode.NotAMember,
    RoomNotFound,
    ErrorCode.MessageNotFound,
  )
  async send(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) roomId: number,
    @Body() dto: SendMessageDto,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<MessageResponse> {
    const { message, created } = await this.messages.send(auth, roomId, dto);
    response.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    return message;
  }
}
