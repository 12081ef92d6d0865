import { Injectable } from '@nestjs/common';

/** Counts each user's live connections: online from the first until the last one closes. */
export abstract class Presence {
  /** Returns true when this was the user's first connection. */
  abstract connected(userId: number): Promise<boolean>;
  /** Returns true when this was the user's last connection. */
  abstract disconnected(userId: number): Promise<boolean>;
  abstract onlineAmong(userIds: readonly number[]): Promise<Set<number>>;
}

/** Presence of a single server process. */
@Injectable()
export class LocalPresence extends Presence {
  private readonly connections = new Map<number, number>();

  async connected(userId: number): Promise<boolean> {
    const count = (this.connections.get(userId) ?? 0) + 1;
    this.connections.set(userId, count);
    return count === 1;
  }

  async disconnected(userId: number): Promise<boolean> {
    const count = (this.connections.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.connections.set(userId, count);
      return false;
    }
    return this.connections.delete(userId);
  }

  async onlineAmong(userIds: readonly number[]): Promise<Set<number>> {
    return new Set(userIds.filter((id) => this.connections.has(id)));
  }
}
