import type { RoomRole } from './room';
import { mayModerate, type Moderator, type RoomModeration } from './room-policy';

const owner: Moderator = { role: 'owner', serverAdmin: false };
const admin: Moderator = { role: 'admin', serverAdmin: false };
const member: Moderator = { role: 'member', serverAdmin: false };
const outsider: Moderator = { role: null, serverAdmin: false };
const serverAdmin: Moderator = { role: null, serverAdmin: true };
const memberServerAdmin: Moderator = { role: 'member', serverAdmin: true };

describe('mayModerate', () => {
  describe('who may take each action', () => {
    const actions: RoomModeration[] = [
      'update_room',
      'delete_room',
      'set_role',
      'remove_member',
      'ban',
      'unban',
      'list_bans',
      'delete_message',
    ];
    // One row per moderator: whether they may take each action of `actions`, in order.
    it.each<[string, Moderator, boolean[]]>([
      ['owner', owner, [true, true, true, true, true, true, true, true]],
      ['admin', admin, [true, false, false, true, true, true, true, true]],
      ['member', member, [false, false, false, false, false, false, false, false]],
      ['outsider', outsider, [false, false, false, false, false, false, false, false]],
      ['server admin', serverAdmin, [true, true, true, true, true, true, true, true]],
      [
        'server admin who is a member',
        memberServerAdmin,
        [true, true, true, true, true, true, true, true],
      ],
    ])('%s', (_, moderator, allowed) => {
      expect(actions.map((action) => mayModerate(moderator, action))).toEqual(allowed);
    });
  });

  describe('whom they may act on', () => {
    // Targets: the owner, an admin, a member, a user who is not a member.
    const targets: (RoomRole | null)[] = ['owner', 'admin', 'member', null];
    it.each<[string, Moderator, RoomModeration, boolean[]]>([
      ['owner removes', owner, 'remove_member', [false, true, true, true]],
      ['owner bans', owner, 'ban', [false, true, true, true]],
      ['owner sets roles of', owner, 'set_role', [false, true, true, true]],
      ['admin removes', admin, 'remove_member', [false, false, true, true]],
      ['admin bans', admin, 'ban', [false, false, true, true]],
      ['admin sets roles of', admin, 'set_role', [false, false, false, false]],
      ['member removes', member, 'remove_member', [false, false, false, false]],
      ['server admin removes', serverAdmin, 'remove_member', [false, true, true, true]],
      ['server admin bans', serverAdmin, 'ban', [false, true, true, true]],
    ])('%s', (_, moderator, action, allowed) => {
      expect(targets.map((target) => mayModerate(moderator, action, target))).toEqual(allowed);
    });
  });
});
