/**
 * rooms-unread's load in memory, through our app's own repositories: the same users, private
 * rooms, interleaved messages, mentions and read positions as the scenario's SQL load on
 * PostgreSQL (see scenarios/rooms-unread.ts).
 */
import type { SeededUser, UnreadSeedPlan, UnreadSeedResult } from '../lib/protocol';
import { SEEDED_PASSWORD_HASH } from './common';

export interface UnreadRepositories {
  users: {
    create(user: { username: string; passwordHash: string }): Promise<SeededUser | null>;
  };
  rooms: {
    create(room: {
      name: string;
      description: string;
      isPrivate: boolean;
      createdBy: number;
    }): Promise<{ id: number } | null>;
    addMember(roomId: number, userId: number, lastReadId: number): Promise<boolean>;
    saveReadMarks(marks: { roomId: number; userId: number; lastReadId: number }[]): Promise<void>;
  };
  messages: {
    create(message: {
      roomId: number;
      userId: number;
      username: string;
      content: string;
      clientMsgId: null;
      replyTo: null;
      mentions: number[];
    }): Promise<{ message: { id: number } } | null>;
  };
}

export async function seedUnread(
  { users, rooms, messages }: UnreadRepositories,
  plan: UnreadSeedPlan,
): Promise<UnreadSeedResult> {
  const user = async (username: string): Promise<SeededUser> => {
    const made = await users.create({ username, passwordHash: SEEDED_PASSWORD_HASH });
    if (!made) throw new Error(`user ${username} exists already`);
    return { id: made.id, username: made.username };
  };
  const busy = await user('ru_busy');
  const empty = await user('ru_empty');
  const senders: SeededUser[] = [];
  for (let k = 0; k < plan.senders; k++) senders.push(await user(`ru_s${k + 2}`));
  // Created by a sender (a member with it), so both readers are plain members.
  const privateRooms = async (prefix: string, reader: SeededUser) => {
    const ids: number[] = [];
    for (let r = 1; r <= plan.rooms; r++) {
      const room = await rooms.create({
        name: `${prefix}${r}`,
        description: '',
        isPrivate: true,
        createdBy: senders[0].id,
      });
      if (!room) throw new Error(`room ${prefix}${r} exists already`);
      for (const member of [reader, ...senders.slice(1)]) {
        await rooms.addMember(room.id, member.id, 0);
      }
      ids.push(room.id);
    }
    return ids;
  };
  const busyRooms = await privateRooms('ru-busy-', busy);
  await privateRooms('ru-empty-', empty);
  const ids: number[][] = busyRooms.map(() => []);
  let mentions = 0;
  for (let g = 0; g < plan.rooms * plan.perRoom; g++) {
    const r = g % plan.rooms;
    const sender = senders[Math.floor(g / plan.rooms) % senders.length];
    const named = g % plan.mentionEvery === 0 ? [busy.id] : g % 11 === 0 ? [senders[0].id] : [];
    if (named[0] === busy.id) mentions++;
    const stored = await messages.create({
      roomId: busyRooms[r],
      userId: sender.id,
      username: sender.username,
      content: `unread message ${g} ${'x'.repeat(60)}`,
      clientMsgId: null,
      replyTo: null,
      mentions: named,
    });
    if (!stored) throw new Error(`message ${g} was not stored`);
    ids[r].push(stored.message.id);
  }
  // Read up to leave plan.unread[r] unread (none read when that is all of them).
  await rooms.saveReadMarks(
    busyRooms.map((roomId, r) => ({
      roomId,
      userId: busy.id,
      lastReadId: ids[r][ids[r].length - 1 - plan.unread[r]] ?? 0,
    })),
  );
  return { busy, empty, messages: plan.rooms * plan.perRoom, mentions };
}
