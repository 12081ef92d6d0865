import { Controller, Get, Header, Headers } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import { AuthError } from '../auth/auth.error';
import { Public } from '../common/auth/auth.decorators';
import { ErrorCode } from '../common/errors/error-code';
import { ApiErrors } from '../common/http/api-errors.decorator';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';

@ApiTags('health')
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(
    private readonly metrics: Metrics,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  @ApiOperation({
    summary: 'Prometheus metrics of this process',
    description: 'With METRICS_TOKEN set, send it as `Authorization: Bearer <token>`.',
  })
  @ApiHeader({ name: 'authorization', required: false, description: 'Bearer <METRICS_TOKEN>' })
  @ApiOkResponse({ description: 'Prometheus text exposition format' })
  @ApiErrors(ErrorCode.Unauthorized)
  scrape(@Headers('authorization') authorization?: string): Promise<string> {
    const { metricsToken } = this.config;
    if (metricsToken !== null && !sameSecret(authorization ?? '', `Bearer ${metricsToken}`)) {
      throw AuthError.unauthorized();
    }
    return this.metrics.registry.metrics();
  }
}

/** Compares in constant time (through digests, so lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
