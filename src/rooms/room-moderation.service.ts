import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { logModeration } from '../common/logging/moderation-log';
import { UserResponse } from '../users/dto/user.response';
import { UsersService } from '../users/users.service';
import type { MemberResponse } from './dto/member.response';
import type { RoomResponse } from './dto/room.dto';
import type { SetRoomRoleDto, UpdateRoomDto } from './dto/room-moderation.dto';
import type { Room, RoomRole } from './room';
import { RoomActivity } from './room-activity';
import { RoomEvents } from './room-events';
import { mayModerate, type Moderator, type RoomModeration } from './room-policy';
import { RoomViews } from './room-views';
import { RoomsError } from './rooms.error';
import { RoomsRepository } from './rooms.repository';

/** What each refusal says the caller may not do. */
const REFUSED: Record<RoomModeration, string> = {
  update_room: 'change the room',
  delete_room: 'delete the room',
  set_role: "change members' roles",
  remove_member: 'remove this member',
  ban: 'ban this user',
  unban: 'unban users',
  list_bans: 'see the bans',
  delete_message: "delete others' messages",
};

/**
 * What a channel's owner and admins (and server admins, in every channel) may do to it and its
 * people; who may do what is room-policy.ts's. Each action is checked first, logged as a
 * moderation, and told to those it concerns.
 */
@Injectable()
export class RoomModerationService {
  constructor(
    private readonly rooms: RoomsRepository,
    private readonly users: UsersService,
    private readonly views: RoomViews,
    private readonly activity: RoomActivity,
    private readonly events: RoomEvents,
  ) {}

  /** Every member's connections get the room as that member sees it (their own role and counts). */
  async update(auth: AuthUser, roomId: number, dto: UpdateRoomDto): Promise<RoomResponse> {
    await this.moderator(auth, roomId, 'update_room');
    // A change of nothing (`{}`) is no change: nobody is told, nothing is logged.
    if (dto.name === undefined && dto.description === undefined) {
      const room = await this.rooms.findById(roomId);
      if (!room) throw RoomsError.notFound(roomId);
      return this.views.one(auth, room);
    }
    const result = await this.rooms.update(roomId, dto);
    if (result.kind !== 'updated') {
      throw result.kind === 'name_taken'
        ? RoomsError.nameTaken(dto.name!)
        : RoomsError.notFound(roomId);
    }
    logModeration({
      action: 'room_updated',
      actorId: auth.id,
      roomId,
      detail: JSON.stringify(dto),
    });
    const views = await this.tellMembers(result.room);
    return views.get(auth.id) ?? this.views.one(auth, result.room);
  }

  /** The room goes with its messages; its members' connections stop receiving it. */
  async delete(auth: AuthUser, roomId: number): Promise<void> {
    await this.moderator(auth, roomId, 'delete_room');
    const memberIds = await this.rooms.delete(roomId);
    await this.activity.forgetRoom(roomId);
    logModeration({ action: 'room_deleted', actorId: auth.id, roomId });
    await this.events.roomDeleted(roomId, memberIds);
  }

  /**
   * The owner makes a member an admin, or an admin a member again; the member's connections get
   * the room with their new role (`room_updated`), so their client offers what the role allows.
   */
  async setRole(
    auth: AuthUser,
    roomId: number,
    userId: number,
    dto: SetRoomRoleDto,
  ): Promise<MemberResponse> {
    const moderator = await this.moderator(auth, roomId, 'set_role');
    this.assertRank(moderator, 'set_role', roomId, await this.memberRole(roomId, userId));
    if (!(await this.rooms.setRole(roomId, userId, dto.role))) {
      throw RoomsError.notAMemberOf(roomId, userId);
    }
    logModeration({
      action: 'member_role_changed',
      actorId: auth.id,
      targetUserId: userId,
      roomId,
      detail: dto.role,
    });
    const room = await this.rooms.findById(roomId);
    if (room) this.events.roomUpdated(userId, await this.views.one({ id: userId }, room));
    const [member] = await this.views.members([{ userId, role: dto.role }]);
    return member;
  }

  /** The member is out at once: the room and their connections are told. */
  async removeMember(auth: AuthUser, roomId: number, userId: number): Promise<void> {
    const moderator = await this.moderator(auth, roomId, 'remove_member');
    this.assertRank(moderator, 'remove_member', roomId, await this.memberRole(roomId, userId));
    const user = await this.users.findById(userId);
    if (!user || !(await this.rooms.removeMember(roomId, userId))) return;
    logModeration({ action: 'member_removed', actorId: auth.id, targetUserId: userId, roomId });
    await this.events.memberRemoved(roomId, user);
  }

  /** Bars the user, a member or not; a member is removed as by removeMember. */
  async ban(auth: AuthUser, roomId: number, userId: number): Promise<void> {
    const moderator = await this.moderator(auth, roomId, 'ban');
    const user = await this.users.findById(userId);
    if (!user) throw RoomsError.userNotFound(userId);
    const target = await this.rooms.access(roomId, userId);
    this.assertRank(moderator, 'ban', roomId, target?.role ?? null);
    const wasMember = await this.rooms.ban(roomId, userId, auth.id);
    logModeration({ action: 'user_banned', actorId: auth.id, targetUserId: userId, roomId });
    if (wasMember) await this.events.memberRemoved(roomId, user);
  }

  /** Lifting a ban that is not there is no error. */
  async unban(auth: AuthUser, roomId: number, userId: number): Promise<void> {
    await this.moderator(auth, roomId, 'unban');
    if (!(await this.rooms.unban(roomId, userId))) return;
    logModeration({ action: 'user_unbanned', actorId: auth.id, targetUserId: userId, roomId });
  }

  /** The banned users, the latest ban first. */
  async bans(auth: AuthUser, roomId: number): Promise<UserResponse[]> {
    await this.moderator(auth, roomId, 'list_bans');
    const ids = await this.rooms.bannedIds(roomId);
    const users = new Map((await this.users.listByIds(ids)).map((user) => [user.id, user]));
    return ids.flatMap((id) => users.get(id) ?? []);
  }

  /**
   * Throws unless the caller may take the action in this channel. A private room answers
   * outsiders as missing (server admins excepted: they moderate every room by id); a direct room
   * has no moderators.
   */
  private async moderator(
    auth: AuthUser,
    roomId: number,
    action: RoomModeration,
  ): Promise<Moderator> {
    const [access, serverAdmin] = await Promise.all([
      this.rooms.access(roomId, auth.id),
      this.users.isServerAdmin(auth.id),
    ]);
    if (!access || (access.isPrivate && !access.isMember && !serverAdmin)) {
      throw RoomsError.notFound(roomId);
    }
    const moderator = { role: access.role, serverAdmin };
    if (access.kind === 'direct' || !mayModerate(moderator, action)) {
      throw RoomsError.forbidden(roomId, REFUSED[action]);
    }
    return moderator;
  }

  /** Throws unless the moderator outranks the target (nobody the owner, admins no admin). */
  private assertRank(
    moderator: Moderator,
    action: RoomModeration,
    roomId: number,
    target: RoomRole | null,
  ): void {
    if (!mayModerate(moderator, action, target)) {
      throw RoomsError.forbidden(roomId, REFUSED[action]);
    }
  }

  /** The member's role; 404 user_not_found when they are not a member. */
  private async memberRole(roomId: number, userId: number): Promise<RoomRole> {
    const role = (await this.rooms.access(roomId, userId))?.role;
    if (!role) throw RoomsError.notAMemberOf(roomId, userId);
    return role;
  }

  /** Gives each member the room as they see it; answers those views by member id. */
  private async tellMembers(room: Room): Promise<Map<number, RoomResponse>> {
    const views = await this.views.forMembers(room);
    for (const [userId, view] of views) this.events.roomUpdated(userId, view);
    return views;
  }
}
