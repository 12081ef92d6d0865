import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

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

  async isUp(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
    });
    const ping = this.db.query('SELECT 1').then(
      () => true,
      () => false,
    );
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
