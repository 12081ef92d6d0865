import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { AuthUser } from '../auth/auth-user';

export interface RawClient {
  socket: WebSocket;
  user: AuthUser;
  rooms: Set<number>;
}

/**
 * The raw WebSocket connections of this process and the rooms each is subscribed to: the
 * bookkeeping Socket.IO does for its own sockets, done here for the seed-compatible endpoint.
 */
@Injectable()
export class RawClients {
  private readonly byRoom = new Map<number, Set<RawClient>>();
  private readonly byUser = new Map<number, Set<RawClient>>();

  add(client: RawClient): void {
    setOf(this.byUser, client.user.id).add(client);
    for (const roomId of client.rooms) setOf(this.byRoom, roomId).add(client);
  }

  remove(client: RawClient): void {
    removeFrom(this.byUser, client.user.id, client);
    for (const roomId of client.rooms) removeFrom(this.byRoom, roomId, client);
  }

  subscribe(userId: number, roomId: number): void {
    for (const client of this.byUser.get(userId) ?? []) {
      client.rooms.add(roomId);
      setOf(this.byRoom, roomId).add(client);
    }
  }

  unsubscribe(userId: number, roomId: number): void {
    for (const client of this.byUser.get(userId) ?? []) {
      client.rooms.delete(roomId);
      removeFrom(this.byRoom, roomId, client);
    }
  }

  /** Sends one already serialized frame to every client in any of the rooms, once each. */
  deliver(roomIds: readonly number[], frame: string, exceptUserId?: number): void {
    const recipients = new Set<RawClient>();
    for (const roomId of roomIds) {
      for (const client of this.byRoom.get(roomId) ?? []) recipients.add(client);
    }
    for (const client of recipients) {
      if (client.user.id !== exceptUserId && client.socket.readyState === client.socket.OPEN) {
        client.socket.send(frame);
      }
    }
  }

  all(): RawClient[] {
    return [...this.byUser.values()].flatMap((clients) => [...clients]);
  }
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (set?.delete(value) && set.size === 0) map.delete(key);
}
