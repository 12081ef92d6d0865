import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout';
import { StorageHealth } from './storage-health';

const PING_TIMEOUT_MS = 2_000;

@Injectable()
export class PostgresStorageHealth extends StorageHealth {
  readonly storage = 'postgres';

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
  }

  isUp(): Promise<boolean> {
    const ping = this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    return withTimeout(ping, PING_TIMEOUT_MS, false);
  }
}
