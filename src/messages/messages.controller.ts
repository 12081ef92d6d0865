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
  Put,
  Query,
  Res,
} from '@nestjs/common';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser, OptionalAuth } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { IdParamPipe, messageIdParam } from '../common/validation/id-param.pipe';
import {
  EditMessageDto,
  HistoryQueryDto,
  MessageResponse,
  SendMessageDto,
} from './dto/message.dto';
import { MessagesService } from './messages.service';

const { ValidationFailed, Unauthorized, RoomNotFound, MessageNotFound, NotAMember } = ErrorCode;

const EMOJI_PARAM = {
  name: 'emoji',
  description: 'one emoji, percent-encoded',
  example: '%F0%9F%91%8D',
};

@ApiTags('messages')
@Controller('api/rooms/:id/messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Get()
  @OptionalAuth()
  @ApiOperation({
    summary:
      'History, oldest first: the newest `limit`, those before `before`, or the oldest `limit` after `after`',
    description:
      'Public rooms can be read without a token; private rooms by their members only. ' +
      'With `changed_after` (not with before or after): the messages sent, edited, deleted or ' +
      'reacted to after that change_id, the oldest `limit` changes, in change order; a client ' +
      'that asks with the highest change_id it has seen gets every change it missed, once. ' +
      'With `around` (alone): the page of up to `limit` messages centred on that message ' +
      '(404 message_not_found when it is not in the room).',
  })
  @ApiOkResponse({ type: [MessageResponse] })
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound, MessageNotFound)
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
  @ApiErrors(ValidationFailed, Unauthorized, RoomNotFound, MessageNotFound)
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
  @ApiErrors(ValidationFailed, Unauthorized, NotAMember, RoomNotFound, MessageNotFound)
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

  @Patch(':message_id')
  @ApiOperation({
    summary: 'Edit a message (its author only)',
    description:
      'Sets `edited_at` and sends `message_updated` to the room. An edit to the same text changes ' +
      'nothing. A deleted message answers 404 message_not_found.',
  })
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(
    ValidationFailed,
    Unauthorized,
    ErrorCode.NotMessageAuthor,
    RoomNotFound,
    MessageNotFound,
  )
  edit(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) roomId: number,
    @Param('message_id', messageIdParam) messageId: number,
    @Body() dto: EditMessageDto,
  ): Promise<MessageResponse> {
    return this.messages.edit(auth, roomId, messageId, dto);
  }

  @Delete(':message_id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Delete a message (its author or the room's owner)",
    description:
      'Leaves a tombstone in its place (same id, `deleted: true`, empty content, no reactions) ' +
      'and sends it to the room as `message_updated`. Deleting twice is no error.',
  })
  @ApiNoContentResponse({ description: 'deleted' })
  @ApiErrors(ValidationFailed, Unauthorized, ErrorCode.Forbidden, RoomNotFound, MessageNotFound)
  async delete(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) roomId: number,
    @Param('message_id', messageIdParam) messageId: number,
  ): Promise<void> {
    await this.messages.delete(auth, roomId, messageId);
  }

  @Put(':message_id/reactions/:emoji')
  @ApiOperation({
    summary: "Add the caller's reaction (members only)",
    description:
      'Idempotent: a repeat changes nothing. A message takes at most 20 different emoji. Sends ' +
      '`message_updated` to the room when something changed.',
  })
  @ApiParam(EMOJI_PARAM)
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(ValidationFailed, Unauthorized, NotAMember, RoomNotFound, MessageNotFound)
  react(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) roomId: number,
    @Param('message_id', messageIdParam) messageId: number,
    @Param('emoji') emoji: string,
  ): Promise<MessageResponse> {
    return this.messages.react(auth, roomId, messageId, emoji, true);
  }

  @Delete(':message_id/reactions/:emoji')
  @ApiOperation({
    summary: "Take back the caller's reaction",
    description: 'Idempotent; an emoji leaves the list with its last reaction.',
  })
  @ApiParam(EMOJI_PARAM)
  @ApiOkResponse({ type: MessageResponse })
  @ApiErrors(ValidationFailed, Unauthorized, NotAMember, RoomNotFound, MessageNotFound)
  unreact(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) roomId: number,
    @Param('message_id', messageIdParam) messageId: number,
    @Param('emoji') emoji: string,
  ): Promise<MessageResponse> {
    return this.messages.react(auth, roomId, messageId, emoji, false);
  }
}
