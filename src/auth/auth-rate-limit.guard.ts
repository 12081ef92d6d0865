import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiter, RateRule } from '../cluster/rate-limiter';
import { RequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { clientOf } from './client-address';

const seconds = (ms: number) => String(Math.ceil(ms / 1000));

/**
 * Limits register and login attempts per client address (RATE_LIMIT_AUTH a minute), both routes
 * drawing on one budget, held across processes with Redis. Answers carry the X-RateLimit-*-auth
 * headers, and a refusal Retry-After-auth, as they always have.
 */
@Injectable()
export class AuthRateLimitGuard implements CanActivate {
  private readonly rule: RateRule;

  constructor(
    private readonly limiter: RateLimiter,
    config: AppConfig,
  ) {
    this.rule = { name: 'auth', limit: config.rateLimit.authPerMinute, windowMs: 60_000 };
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.rule.limit === 0) return true;
    const http = context.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const decision = await this.limiter.hit(
      this.rule,
      clientOf(http.getRequest<FastifyRequest>().ip),
    );
    if (decision.retryAfterMs > 0) {
      void reply.header('Retry-After-auth', seconds(decision.retryAfterMs));
      throw RequestError.rateLimited(decision.retryAfterMs);
    }
    void reply.headers({
      'X-RateLimit-Limit-auth': String(this.rule.limit),
      'X-RateLimit-Remaining-auth': String(decision.remaining),
      'X-RateLimit-Reset-auth': seconds(decision.resetMs),
    });
    return true;
  }
}
