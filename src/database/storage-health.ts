import { Injectable } from '@nestjs/common';

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
