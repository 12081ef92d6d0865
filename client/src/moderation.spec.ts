import { describe, expect, it } from '@jest/globals';
import {
  canDeleteRoom,
  canManage,
  memberRights,
  moderates,
  roleWord,
  type Viewer,
} from './moderation';

const ME: Viewer = { id: 1, role: 'user' };
const ADMIN: Viewer = { id: 1, role: 'admin' };
const channel = (role: 'owner' | 'admin' | 'member' | null) => ({ role, kind: 'channel' as const });
const member = (id: number, room_role: 'owner' | 'admin' | 'member') => ({ id, room_role });

describe('who moderates a room', () => {
  it('room owners and admins, and server admins, moderate; members do not', () => {
    expect(moderates(channel('owner'), ME)).toBe(true);
    expect(moderates(channel('admin'), ME)).toBe(true);
    expect(moderates(channel('member'), ME)).toBe(false);
    expect(moderates(channel(null), ME)).toBe(false);
    expect(moderates(channel('member'), ADMIN)).toBe(true);
    expect(moderates(channel(null), { id: 1 })).toBe(false);
  });

  it('offers the settings of channels to their owners, admins and server admins', () => {
    expect(canManage(channel('owner'), ME)).toBe(true);
    expect(canManage(channel('admin'), ME)).toBe(true);
    expect(canManage(channel('member'), ME)).toBe(false);
    expect(canManage(channel(null), ADMIN)).toBe(true);
    expect(canManage({ role: 'member', kind: 'direct' }, ADMIN)).toBe(false);
  });

  it('lets owners and server admins delete the room', () => {
    expect(canDeleteRoom(channel('owner'), ME)).toBe(true);
    expect(canDeleteRoom(channel('admin'), ME)).toBe(false);
    expect(canDeleteRoom(channel(null), ADMIN)).toBe(true);
  });
});

describe('what a moderator may do to a member', () => {
  it('the owner changes roles, removes and bans admins and members', () => {
    expect(memberRights(channel('owner'), ME, member(2, 'member'))).toEqual({
      makeRole: 'admin',
      remove: true,
      ban: true,
    });
    expect(memberRights(channel('owner'), ME, member(2, 'admin'))).toEqual({
      makeRole: 'member',
      remove: true,
      ban: true,
    });
  });

  it('an admin removes and bans plain members only, and changes no roles', () => {
    expect(memberRights(channel('admin'), ME, member(2, 'member'))).toEqual({
      makeRole: null,
      remove: true,
      ban: true,
    });
    const none = { makeRole: null, remove: false, ban: false };
    expect(memberRights(channel('admin'), ME, member(2, 'admin'))).toEqual(none);
    expect(memberRights(channel('admin'), ME, member(2, 'owner'))).toEqual(none);
  });

  it('nobody acts on themselves or on the owner; members act on nobody', () => {
    const none = { makeRole: null, remove: false, ban: false };
    expect(memberRights(channel('owner'), ME, member(1, 'owner'))).toEqual(none);
    expect(memberRights(channel('admin'), ME, member(1, 'admin'))).toEqual(none);
    expect(memberRights(channel('member'), ME, member(2, 'member'))).toEqual(none);
    expect(memberRights(channel(null), ADMIN, member(2, 'owner'))).toEqual(none);
  });

  it("a server admin has an owner's say, over everyone but the owner", () => {
    expect(memberRights(channel(null), ADMIN, member(2, 'member'))).toEqual({
      makeRole: 'admin',
      remove: true,
      ban: true,
    });
    expect(memberRights(channel('member'), ADMIN, member(2, 'admin'))).toEqual({
      makeRole: 'member',
      remove: true,
      ban: true,
    });
  });

  it('names the roles above member', () => {
    expect(roleWord('owner')).toBe('Owner');
    expect(roleWord('admin')).toBe('Admin');
    expect(roleWord('member')).toBe('');
    expect(roleWord(undefined)).toBe('');
  });
});
