import { Injectable } from '@nestjs/common';
import type { WebSocket } from 'ws';
import type { AuthUser } from '../../common/auth/auth-user';
import type { SerialQueue } from '../commands/serial-queue';

export interface RawClient {
  socket: WebSocket;
  user: AuthUser;
  sessionId: string;
  rooms: Set<number>;
  /** The connection's commands, one at a time in arrival order. */
  queue: SerialQueue;
}

const MAX_BUFFERED_BYTES = 1024 * 1024;

/** Who is told when this process's first raw client enters a room or of a user, and when the last goes. */
export interface RawAudienceWatcher {
  wanted(kind: 'room' | 'user', id: number): void;
  unwanted(kind: 'room' | 'user', id: number): void;
}

/**
 * The raw WebSocket connections of this process and the rooms each is subscribed to: the
 * bookkeeping Socket.IO does for its own sockets, done here for the seed-compatible endpoint.
 */
@Injectable()
export class RawClients {
  private readonly byRoom = new Map<number, Set<RawClient>>();
  private readonly byUser = new Map<number, Set<RawClient>>();
  private readonly bySession = new Map<string, Set<RawClient>>();
  private watcher?: RawAudienceWatcher;

  /** With several processes: the Redis channels of the rooms and users this process has clients of. */
  watch(watcher: RawAudienceWatcher): void {
    this.watcher = watcher;
  }

  add(client: RawClient): void {
    this.addTo('user', this.byUser, client.user.id, client);
    setOf(this.bySession, client.sessionId).add(client);
    for (const roomId of client.rooms) this.addTo('room', this.byRoom, roomId, client);
  }

  remove(client: RawClient): void {
    this.removeFrom('user', this.byUser, client.user.id, client);
    removeFrom(this.bySession, client.sessionId, client);
    for (const roomId of client.rooms) this.removeFrom('room', this.byRoom, roomId, client);
  }

  /** Subscribes one client to rooms. */
  join(client: RawClient, roomIds: readonly number[]): void {
    for (const roomId of roomIds) {
      client.rooms.add(roomId);
      this.addTo('room', this.byRoom, roomId, client);
    }
  }

  /** Replaces a client's rooms with these. */
  resubscribe(client: RawClient, roomIds: readonly number[]): void {
    const kept = new Set(roomIds);
    for (const roomId of client.rooms) {
      if (!kept.has(roomId)) this.removeFrom('room', this.byRoom, roomId, client);
    }
    client.rooms.clear();
    this.join(client, roomIds);
  }

  /** Subscribes every client of the user to the room. */
  subscribe(userId: number, roomId: number): void {
    for (const client of this.byUser.get(userId) ?? []) this.join(client, [roomId]);
  }

  unsubscribe(userId: number, roomId: number): void {
    for (const client of this.byUser.get(userId) ?? []) {
      client.rooms.delete(roomId);
      this.removeFrom('room', this.byRoom, roomId, client);
    }
  }

  /** Sends one already serialized frame to every client in any of the rooms, once each. */
  deliver(roomIds: readonly number[], frame: string, exceptUserId?: number): void {
    const recipients =
      roomIds.length === 1
        ? (this.byRoom.get(roomIds[0]) ?? [])
        : new Set(roomIds.flatMap((roomId) => [...(this.byRoom.get(roomId) ?? [])]));
    for (const client of recipients) {
      if (client.user.id !== exceptUserId) send(client, frame);
    }
  }

  /** Sends one already serialized frame to every client of these users. */
  deliverToUsers(userIds: readonly number[], frame: string): void {
    for (const userId of userIds) {
      for (const client of this.byUser.get(userId) ?? []) send(client, frame);
    }
  }

  /** The clients of these sessions. */
  ofSessions(sessionIds: readonly string[]): RawClient[] {
    return sessionIds.flatMap((sessionId) => [...(this.bySession.get(sessionId) ?? [])]);
  }

  isEmpty(): boolean {
    return this.byUser.size === 0;
  }

  all(): RawClient[] {
    return [...this.byUser.values()].flatMap((clients) => [...clients]);
  }

  private addTo(
    kind: 'room' | 'user',
    map: Map<number, Set<RawClient>>,
    id: number,
    client: RawClient,
  ): void {
    const first = !map.has(id);
    setOf(map, id).add(client);
    if (first) this.watcher?.wanted(kind, id);
  }

  private removeFrom(
    kind: 'room' | 'user',
    map: Map<number, Set<RawClient>>,
    id: number,
    client: RawClient,
  ): void {
    if (removeFrom(map, id, client)) this.watcher?.unwanted(kind, id);
  }
}

function send(client: RawClient, frame: string): void {
  if (client.socket.readyState !== client.socket.OPEN) return;
  // A client that does not read its frames is dropped rather than buffered without bound.
  if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) client.socket.terminate();
  else client.socket.send(frame);
}

function setOf<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}

/** Removes the value from the key's set; true when that emptied the set (the key is gone). */
function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): boolean {
  const set = map.get(key);
  return set?.delete(value) === true && set.size === 0 && map.delete(key);
}
