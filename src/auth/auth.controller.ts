import { Body, Controller, Headers, HttpCode, HttpStatus, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { ErrorCode } from '../common/errors/error-code';
import { AuthRateLimitGuard } from './auth-rate-limit.guard';
import { Public } from '../common/auth/auth.decorators';
import { AuthService } from './auth.service';
import { AuthResponse } from './dto/auth.response';
import { LoginDto, RegisterDto } from './dto/credentials.dto';
import { ApiCreatedResponse, ApiOkResponse } from '@nestjs/swagger';

@ApiTags('auth')
@Controller('api/auth')
@Public()
@UseGuards(AuthRateLimitGuard)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  @ApiOperation({ summary: 'Create an account and get an access token' })
  @ApiCreatedResponse({ type: AuthResponse })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.UsernameTaken, ErrorCode.RateLimited)
  register(
    @Body() dto: RegisterDto,
    @Headers('user-agent') userAgent?: string,
  ): Promise<AuthResponse> {
    return this.auth.register(dto, userAgent);
  }

  @Post('login')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Exchange username and password for an access token' })
  @ApiOkResponse({ type: AuthResponse })
  @ApiErrors(ErrorCode.ValidationFailed, ErrorCode.InvalidCredentials, ErrorCode.RateLimited)
  login(@Body() dto: LoginDto, @Headers('user-agent') userAgent?: string): Promise<AuthResponse> {
    return this.auth.login(dto, userAgent);
  }
}
