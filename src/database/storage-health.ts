import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { withTimeout } from '../common/with-timeout';

/** Whether the store answers right now. */
export abstract class StorageHealth {
  abstract readonly storage: 'memory' | 'postgres';
  abstract isUp(): Promise<boolean>;
}

@Injectable()
export class MemoryStorageHealth extends StorageHealth {
  readonly storage = 'memory';

  async isUp(): Promise<boolean> {
    return true;
  }
}

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
