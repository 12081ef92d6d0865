import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { StorageHealth } from '../database/storage-health';

class HealthResponse {
  @ApiProperty({ enum: ['ok', 'error'], example: 'ok' })
  status!: 'ok' | 'error';

  @ApiProperty({ enum: ['memory', 'postgres'], example: 'postgres' })
  storage!: 'memory' | 'postgres';

  @ApiProperty({ example: { storage: 'up' }, description: 'each dependency: up or down' })
  checks!: Record<string, 'up' | 'down'>;

  @ApiProperty({ example: 3600 })
  uptime_s!: number;
}

@ApiTags('health')
@Controller('health')
@Public()
export class HealthController {
  constructor(private readonly storage: StorageHealth) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and readiness: 503 while the database is unreachable' })
  @ApiOkResponse({ type: HealthResponse })
  @ApiServiceUnavailableResponse({ type: HealthResponse })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthResponse> {
    const up = await this.storage.isUp();
    response.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    return {
      status: up ? 'ok' : 'error',
      storage: this.storage.storage,
      checks: { storage: up ? 'up' : 'down' },
      uptime_s: Math.round(process.uptime()),
    };
  }
}
