import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthUser } from '../common/auth/auth-user';
import { CurrentUser } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { UpdateProfileDto } from './dto/update-profile.dto';
import { UserResponse } from './dto/user.response';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiErrors(ErrorCode.Unauthorized)
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() auth: AuthUser): Promise<UserResponse> {
    return this.users.me(auth.id);
  }

  @Patch('me')
  @ApiOperation({
    summary: "Change the signed-in user's display name",
    description: 'Those who share a room with the user get `user_updated` `{user}`.',
  })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(ErrorCode.ValidationFailed)
  updateProfile(
    @CurrentUser() auth: AuthUser,
    @Body() dto: UpdateProfileDto,
  ): Promise<UserResponse> {
    return this.users.updateProfile(auth, dto);
  }

  @Get()
  @ApiOperation({ summary: 'Every user, ordered by id' })
  @ApiOkResponse({ type: [UserResponse] })
  list(): Promise<UserResponse[]> {
    return this.users.list();
  }
}
