import { describe, expect, it } from '@jest/globals';
import type { User } from '../../src/contract/objects';
import { isDirect, pickUsers, Presence } from './people';
import { roomFixture } from './spec-fixtures';

const user = (id: number, username: string, online = false): User => ({
  id,
  username,
  created_at: '2026-01-01T00:00:00.000Z',
  online,
  display_name: username,
  role: 'user',
});

describe('people', () => {
  const users = [user(1, 'me'), user(2, 'Bob'), user(3, 'ada'), user(4, 'rob.b'), user(5, 'zed')];

  const names = (query: string, limit?: number) =>
    pickUsers(users, query, 1, limit).users.map((found) => found.username);

  it('picks people by a part of their name, those starting with it first, not the viewer', () => {
    expect(names('b')).toEqual(['Bob', 'rob.b']);
    expect(names(' OB ')).toEqual(['Bob', 'rob.b']);
    expect(names('')).toEqual(['ada', 'Bob', 'rob.b', 'zed']);
    expect(pickUsers(users, 'me', 1)).toEqual({ users: [], total: 0 });
  });

  it('picks people by their display name too', () => {
    const named = [...users, { ...user(6, 'cl'), display_name: 'Countess Lovelace' }];
    const found = pickUsers(named, 'lovelace', 1).users.map((person) => person.username);
    expect(found).toEqual(['cl']);
  });

  it('shows at most a limit, and tells how many match in all', () => {
    expect(pickUsers(users, '', 1, 2)).toMatchObject({ total: 4 });
    expect(names('', 2)).toEqual(['ada', 'Bob']);
  });

  it('tells direct rooms from channels', () => {
    expect(isDirect(roomFixture(1, 'bob', { kind: 'direct' }))).toBe(true);
    expect(isDirect(roomFixture(2, 'general'))).toBe(false);
  });

  it('knows who is online from the user list, then from presence events, by any letter case', () => {
    const presence = new Presence();
    presence.set([user(2, 'Bob', true), user(3, 'ada')]);
    expect(presence.isOnline('bob')).toBe(true);
    expect(presence.isOnline('ada')).toBe(false);
    expect(presence.isOnline('nobody')).toBe(false);
    const version = presence.version;
    presence.update({ user_id: 3, username: 'ada', online: true });
    presence.update({ user_id: 2, username: 'Bob', online: true });
    expect(presence.isOnline('ADA')).toBe(true);
    expect(presence.version).toBe(version + 1);
  });
});
