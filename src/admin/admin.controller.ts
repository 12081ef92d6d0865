import { Controller, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { IdParamPipe } from '../common/validation/id-param.pipe';
import { AdminService } from './admin.service';
import { AdminUserResponse } from './dto/admin-user.response';

@ApiTags('admin')
@ApiErrors(ErrorCode.Unauthorized, ErrorCode.Forbidden)
@Controller('api/admin/users')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Get()
  @ApiOperation({ summary: 'Every user with whether their account is deactivated (server admins)' })
  @ApiOkResponse({ type: [AdminUserResponse] })
  list(@CurrentUser() auth: AuthUser): Promise<AdminUserResponse[]> {
    return this.admin.listUsers(auth);
  }

  @Post(':id/deactivate')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({
    summary: 'Lock an account (server admins)',
    description:
      'The user cannot sign in (401 `account_deactivated`); every session ends at once, and its ' +
      "live connections are closed on every process. Not one's own account.",
  })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.UserNotFound)
  deactivate(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) userId: number,
  ): Promise<void> {
    return this.admin.deactivate(auth, userId);
  }

  @Post(':id/reactivate')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Let a deactivated account sign in again (server admins)' })
  @ApiNoContentResponse()
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.UserNotFound)
  reactivate(
    @CurrentUser() auth: AuthUser,
    @Param('id', IdParamPipe) userId: number,
  ): Promise<void> {
    return this.admin.reactivate(auth, userId);
  }
}
