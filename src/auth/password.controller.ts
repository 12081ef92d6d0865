import { Body, Controller, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentSession, CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';

@ApiTags('users')
@Controller('api/users/me/password')
export class PasswordController {
  constructor(private readonly auth: AuthService) {}

  @Post()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: "Change the signed-in user's password",
    description:
      'Needs the current password (401 `invalid_credentials` when wrong). Every other session ' +
      'of the user ends: its tokens stop working and its connections are closed.',
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.Unauthorized, ErrorCode.InvalidCredentials)
  change(
    @CurrentUser() auth: AuthUser,
    @CurrentSession() sessionId: string,
    @Body() dto: ChangePasswordDto,
  ): Promise<void> {
    return this.auth.changePassword(auth, sessionId, dto);
  }
}
