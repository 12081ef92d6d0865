import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { AuthUser } from './auth-user';

export type AuthMode = 'public' | 'optional';
export const AUTH_MODE = 'auth_mode';

/** No token needed, and none is read. */
export const Public = () => SetMetadata(AUTH_MODE, 'public' satisfies AuthMode);
/** A token is read when given (and must then be valid); without one the caller is anonymous. */
export const OptionalAuth = () => SetMetadata(AUTH_MODE, 'optional' satisfies AuthMode);

export interface AuthenticatedRequest extends Request {
  auth?: AuthUser | null;
}

/** The caller: an AuthUser on authenticated routes, AuthUser or null on @OptionalAuth routes. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().auth ?? null,
);
