import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../common/auth/auth.decorators';
import { RedisHealth } from '../cluster/redis-health';
import { StorageHealth } from '../database/storage-health';

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['memory', 'postgres'], example: 'postgres' })
  storage!: 'memory' | 'postgres';

  @ApiProperty({
    example: { storage: 'up', redis: 'up' },
    description: 'each dependency: up or down; redis only when REDIS_URL is set',
  })
  checks!: Record<string, 'up' | 'down'>;

  @ApiProperty({ example: 3600 })
  uptime_s!: number;
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(
    private readonly storage: StorageHealth,
    @Inject(RedisHealth) private readonly redis: RedisHealth | null,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Liveness and readiness: 503 while the database or Redis is unreachable',
  })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async check(@Res({ passthrough: true }) response: FastifyReply): Promise<HealthResponse> {
    const [storageUp, redisUp] = await Promise.all([this.storage.isUp(), this.redis?.isUp()]);
    const checks: Record<string, 'up' | 'down'> = { storage: storageUp ? 'up' : 'down' };
    if (redisUp !== undefined) checks.redis = redisUp ? 'up' : 'down';
    const up = Object.values(checks).every((state) => state === 'up');
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: up ? 'ok' : 'error',
      storage: this.storage.storage,
      checks,
      uptime_s: Math.round(process.uptime()),
    };
  }
}
