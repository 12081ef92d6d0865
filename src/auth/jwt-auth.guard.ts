import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { bearerToken } from './access-token';
import { AuthenticatedRequest, authModeOf } from '../common/auth/auth.decorators';
import { AuthError } from './auth.error';
import { AuthService } from './auth.service';

/** Every route needs a bearer token unless marked @Public() or @OptionalAuth(). */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Real-time connections are authenticated once, at the handshake.
    if (context.getType() !== 'http') return true;
    const mode = authModeOf(this.reflector, context.getHandler(), context.getClass());
    if (mode === 'public') return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) {
      if (mode === 'optional') {
        request.auth = null;
        return true;
      }
      throw AuthError.unauthorized();
    }
    const { user, sessionId } = await this.auth.verifySession(token);
    request.auth = user;
    request.sessionId = sessionId;
    return true;
  }
}
