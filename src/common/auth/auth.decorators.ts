import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from './auth-user';

export type AuthMode = 'public' | 'optional';
export const AUTH_MODE = 'auth_mode';

/** No token needed, and none is read. */
export const Public = () => SetMetadata(AUTH_MODE, 'public' satisfies AuthMode);
/** A token is read when given (and must then be valid); without one the caller is anonymous. */
export const OptionalAuth = () => SetMetadata(AUTH_MODE, 'optional' satisfies AuthMode);

/** A route handler or its controller class, as Nest hands them over. */
type MetadataTarget = ReturnType<ExecutionContext['getHandler']>;

/**
 * How a route is authenticated: its handler's mode, else its controller's; undefined means a token
 * is required. The guard and the OpenAPI document both read it here, so they cannot disagree.
 */
export function authModeOf(
  reflector: Reflector,
  handler: MetadataTarget,
  controller: MetadataTarget,
): AuthMode | undefined {
  return reflector.getAllAndOverride<AuthMode | undefined>(AUTH_MODE, [handler, controller]);
}

export interface AuthenticatedRequest extends FastifyRequest {
  auth?: AuthUser | null;
  /** The id of the session the caller's token belongs to; undefined without a token. */
  sessionId?: string;
}

/** The caller: an AuthUser on authenticated routes, AuthUser or null on @OptionalAuth routes. */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().auth ?? null,
);

/** The id of the caller's session, on authenticated routes. */
export const CurrentSession = createParamDecorator(
  (_: unknown, context: ExecutionContext) =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().sessionId,
);
