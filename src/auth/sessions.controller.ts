import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentSession, CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { isoTime } from '../common/iso-time';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { SessionResponse } from './dto/session.response';
import { SessionIdPipe } from './session-id.pipe';
import { SessionsService } from './sessions.service';

/** Signing out, and the caller's sessions: every sign-in is one, each ended on its own. */
@ApiTags('auth')
@ApiErrors(ErrorCode.Unauthorized)
@Controller('api')
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('auth/logout')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out: this token stops working, its connections close' })
  @ApiNoContentResponse({ description: 'the session has ended' })
  async logout(@CurrentSession() sessionId: string): Promise<void> {
    await this.sessions.endSession(sessionId);
  }

  @Post('auth/logout-all')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Sign out everywhere: every token of the user stops working' })
  @ApiNoContentResponse({ description: 'every session of the user has ended' })
  async logoutAll(@CurrentUser() auth: AuthUser): Promise<void> {
    await this.sessions.endAllSessionsOf(auth.id);
  }

  @Get('users/me/sessions')
  @ApiOperation({ summary: 'The signed-in user’s sessions, newest first' })
  @ApiOkResponse({ type: [SessionResponse] })
  async list(
    @CurrentUser() auth: AuthUser,
    @CurrentSession() sessionId: string,
  ): Promise<SessionResponse[]> {
    return (await this.sessions.listOf(auth.id)).map((session) => ({
      id: session.id,
      created_at: isoTime(session.createdAt),
      last_used_at: isoTime(session.lastUsedAt),
      user_agent: session.userAgent,
      current: session.id === sessionId,
    }));
  }

  @Delete('users/me/sessions/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'End one of the signed-in user’s sessions' })
  @ApiNoContentResponse({ description: 'the session has ended' })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.SessionNotFound)
  async end(
    @CurrentUser() auth: AuthUser,
    @Param('id', new SessionIdPipe()) id: string,
  ): Promise<void> {
    await this.sessions.endSessionOf(auth.id, id);
  }
}
