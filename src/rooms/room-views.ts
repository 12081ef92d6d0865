import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { isoTime } from '../common/iso-time';
import { UsersService } from '../users/users.service';
import type { MemberResponse } from './dto/member.response';
import type { RoomResponse } from './dto/room.dto';
import { ReadState } from './read-state';
import type { Membership, ReadPosition, Room, RoomMember, RoomRole } from './room';
import { RoomActivity, type UnreadCounts } from './room-activity';
import { RoomsRepository } from './rooms.repository';

/** What a reader sees of a room they are a member of. */
interface MemberView {
  role: RoomRole;
  lastReadId: number;
  counts: UnreadCounts;
}

/** Whom a room is shown to: a user, or nobody in particular (no token). */
type Viewer = Pick<AuthUser, 'id'> | null;

/**
 * Rooms as one caller sees them: their role and read state (derived from the messages), and a
 * direct room named for the other user. One query per kind of fact, whatever the number of rooms.
 */
@Injectable()
export class RoomViews {
  constructor(
    private readonly rooms: RoomsRepository,
    private readonly activity: RoomActivity,
    private readonly readState: ReadState,
    private readonly users: UsersService,
  ) {}

  /** Rooms of a listing: the caller's read positions are read once for all of them. */
  async list(auth: Viewer, rooms: readonly Room[]): Promise<RoomResponse[]> {
    const memberships = auth
      ? new Map((await this.rooms.readPositions(auth.id)).map((member) => [member.roomId, member]))
      : new Map<number, Membership>();
    return this.views(auth, rooms, memberships);
  }

  /** One room as the caller sees it. */
  async one(auth: Viewer, room: Room): Promise<RoomResponse> {
    const membership = auth ? await this.rooms.membership(room.id, auth.id) : null;
    const memberships = new Map(membership === null ? [] : [[room.id, membership]]);
    return (await this.views(auth, [room], memberships))[0];
  }

  /**
   * The room as each of its members sees it, by user id: the memberships are read at once, and
   * the members' counts asked together (the message store groups them).
   */
  async forMembers(room: Room): Promise<Map<number, RoomResponse>> {
    const members = await this.rooms.membersOf(room.id);
    const views = await Promise.all(
      members.map(({ userId, role, lastReadId }) =>
        this.views(
          { id: userId },
          [room],
          new Map([[room.id, { roomId: room.id, role, lastReadId }]]),
        ),
      ),
    );
    return new Map(members.map(({ userId }, i) => [userId, views[i][0]]));
  }

  /** A room's members as users, each with their role in the room. */
  async members(
    members: readonly Pick<RoomMember, 'userId' | 'role'>[],
  ): Promise<MemberResponse[]> {
    const roles = new Map(members.map((member) => [member.userId, member.role]));
    const users = await this.users.listByIds([...roles.keys()]);
    return users.map((user) => ({ ...user, room_role: roles.get(user.id)! }));
  }

  private async views(
    auth: Viewer,
    rooms: readonly Room[],
    memberships: ReadonlyMap<number, Membership>,
  ): Promise<RoomResponse[]> {
    const viewerId = auth?.id ?? null;
    const positions: ReadPosition[] = [];
    for (const room of rooms) {
      const membership = memberships.get(room.id);
      if (viewerId !== null && membership !== undefined) {
        positions.push({
          roomId: room.id,
          lastReadId: this.readState.position(room.id, viewerId, membership.lastReadId),
        });
      }
    }
    const [counts, names] = await Promise.all([
      viewerId === null
        ? new Map<number, UnreadCounts>()
        : this.activity.unreadCounts(viewerId, positions),
      this.names(viewerId, rooms),
    ]);
    const members = new Map<number, MemberView>(
      positions.map(({ roomId, lastReadId }) => [
        roomId,
        {
          role: memberships.get(roomId)!.role,
          lastReadId,
          counts: counts.get(roomId) ?? { unread: 0, mentions: 0 },
        },
      ]),
    );
    return rooms.map((room) =>
      toRoomResponse(room, members.get(room.id) ?? null, names.get(room.id)!),
    );
  }

  /**
   * The rooms' names as the viewer sees them: a direct room is named for the other user (for
   * notes to oneself, for oneself).
   */
  async names(viewerId: number | null, rooms: readonly Room[]): Promise<Map<number, string>> {
    const names = new Map(rooms.map((room) => [room.id, room.name]));
    const others = new Map<number, number>();
    for (const room of rooms) {
      if (room.kind !== 'direct') continue;
      others.set(
        room.id,
        room.directUserIds.find((id) => id !== viewerId) ?? room.directUserIds[0],
      );
    }
    if (others.size === 0) return names;
    const users = new Map(
      (await this.users.findByIds([...new Set(others.values())])).map((user) => [
        user.id,
        user.username,
      ]),
    );
    for (const [roomId, userId] of others) names.set(roomId, users.get(userId) ?? '');
    return names;
  }
}

function toRoomResponse(room: Room, member: MemberView | null, name: string): RoomResponse {
  return {
    id: room.id,
    name,
    description: room.description,
    is_private: room.isPrivate,
    created_by: room.createdBy,
    created_at: isoTime(room.createdAt),
    member_count: room.memberCount,
    is_member: member !== null,
    kind: room.kind,
    role: member?.role ?? null,
    last_read_id: member?.lastReadId ?? null,
    unread_count: member?.counts.unread ?? null,
    mention_count: member?.counts.mentions ?? null,
  };
}
