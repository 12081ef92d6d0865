import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { RateLimiter, RateRule } from '../cluster/rate-limiter';
import { RequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { UserResponse } from '../users/dto/user.response';
import { UsersService } from '../users/users.service';
import type { MemberResponse } from './dto/member.response';
import { AddMemberDto, CreateRoomDto, RoomResponse } from './dto/room.dto';
import { directPair, type RoomAccess } from './room';
import { RoomActivity } from './room-activity';
import { RoomEvents } from './room-events';
import { RoomViews } from './room-views';
import { RoomsError } from './rooms.error';
import { RoomsRepository } from './rooms.repository';

/** A direct room as the caller sees it, and whether asking made it. */
export interface DirectRoomResponse {
  room: RoomResponse;
  created: boolean;
}

@Injectable()
export class RoomsService {
  /** RATE_LIMIT_JOINS joins and leaves per user per minute, each announced to the room. */
  private readonly membershipRule: RateRule;

  constructor(
    private readonly rooms: RoomsRepository,
    private readonly users: UsersService,
    private readonly events: RoomEvents,
    private readonly views: RoomViews,
    private readonly activity: RoomActivity,
    private readonly rateLimiter: RateLimiter,
    config: AppConfig,
  ) {
    const limit = config.rateLimit.membershipPerMinute;
    this.membershipRule = { name: 'membership', limit, windowMs: 60_000 };
  }

  async list(auth: AuthUser | null): Promise<RoomResponse[]> {
    return this.views.list(auth, await this.rooms.listVisibleTo(auth?.id ?? null));
  }

  async create(auth: AuthUser, dto: CreateRoomDto): Promise<RoomResponse> {
    const room = await this.rooms.create({
      name: dto.name,
      description: dto.description ?? '',
      isPrivate: dto.is_private ?? false,
      createdBy: auth.id,
    });
    if (!room) throw RoomsError.nameTaken(dto.name);
    const response = await this.views.one(auth, room);
    // Subscribes the creator's live connections to the new room; their other tabs list it.
    await this.events.memberJoined(room.id, auth, response);
    return response;
  }

  /**
   * The direct room of the caller and the user named, made on first use (by whichever of the two
   * asks first); both users' connections are subscribed to a new one and told of it.
   */
  async direct(auth: AuthUser, username: string): Promise<DirectRoomResponse> {
    const other = await this.users.getByUsername(username);
    const { room, created } = await this.rooms.findOrCreateDirect(directPair(auth.id, other.id));
    const response = await this.views.one(auth, room);
    if (created) {
      const otherResponse = other.id === auth.id ? null : await this.views.one(other, room);
      await Promise.all([
        this.events.roomAdded(auth.id, response),
        otherResponse && this.events.roomAdded(other.id, otherResponse),
      ]);
    }
    return { room: response, created };
  }

  async get(auth: AuthUser | null, roomId: number): Promise<RoomResponse> {
    await this.assertVisible(auth, roomId);
    return this.views.one(auth, (await this.rooms.findById(roomId))!);
  }

  /** A new member has read up to the room's newest message. A banned user stays out. */
  async join(auth: AuthUser, roomId: number): Promise<RoomResponse> {
    await this.takeMembershipChange(auth);
    await this.assertChannel(auth, roomId);
    const newest = await this.activity.newestMessageId(roomId);
    const joined = await this.rooms.addMember(roomId, auth.id, newest);
    const room = await this.rooms.findById(roomId);
    if (!room) throw RoomsError.notFound(roomId);
    const response = await this.views.one(auth, room);
    // Not added, and no member: the store refused a banned user.
    if (!response.is_member) throw RoomsError.banned(roomId);
    if (joined) await this.events.memberJoined(roomId, auth, response);
    return response;
  }

  /** The user's own connections are told too, so their other tabs follow. */
  async leave(auth: AuthUser, roomId: number): Promise<void> {
    await this.takeMembershipChange(auth);
    await this.assertChannel(auth, roomId);
    if (await this.rooms.removeMember(roomId, auth.id)) {
      await this.events.memberLeft(roomId, auth);
    }
  }

  async members(auth: AuthUser | null, roomId: number): Promise<MemberResponse[]> {
    await this.assertVisible(auth, roomId);
    return this.views.members(await this.rooms.membersOf(roomId));
  }

  /** The owner adds a user, unless the room has banned them (403 banned: unban them first). */
  async addMember(auth: AuthUser, roomId: number, dto: AddMemberDto): Promise<UserResponse> {
    const access = await this.assertChannel(auth, roomId);
    if (access.role !== 'owner') throw RoomsError.notOwner(roomId);
    const user = await this.users.getByUsername(dto.username);
    if (await this.rooms.isBanned(roomId, user.id)) {
      throw RoomsError.userBanned(roomId, user.username);
    }
    const newest = await this.activity.newestMessageId(roomId);
    if (await this.rooms.addMember(roomId, user.id, newest)) {
      const added = { id: user.id, username: user.username };
      const room = await this.views.one(added, (await this.rooms.findById(roomId))!);
      await this.events.memberJoined(roomId, added, room);
    }
    return this.users.toResponse(user);
  }

  /** Every join or leave counts, whatever its outcome, as every send does. */
  private async takeMembershipChange(auth: AuthUser): Promise<void> {
    const retryAfterMs = await this.rateLimiter.take(this.membershipRule, auth.id);
    if (retryAfterMs > 0) throw RequestError.rateLimited(retryAfterMs);
  }

  /** Ids of the rooms the user is a member of, for subscribing a new connection. */
  roomIdsOf(userId: number): Promise<number[]> {
    return this.rooms.roomIdsOf(userId);
  }

  /** Of these users, those who can read the room: anyone for a public room, members otherwise. */
  async readersAmong(roomId: number, userIds: readonly number[]): Promise<number[]> {
    const access = await this.rooms.access(roomId, null);
    if (!access) return [];
    if (!access.isPrivate) return [...userIds];
    const members = new Set(await this.rooms.memberIds(roomId));
    return userIds.filter((id) => members.has(id));
  }

  /** Throws unless the caller may send to the room: it is visible to them and they are a member. */
  async assertCanSend(auth: AuthUser, roomId: number): Promise<void> {
    const { isMember } = await this.assertVisible(auth, roomId);
    if (!isMember) throw RoomsError.notAMember(roomId);
  }

  /**
   * Throws unless the caller may see the room. A private room is visible to its members only; to
   * anyone else it answers exactly like a room that does not exist.
   */
  async assertVisible(auth: AuthUser | null, roomId: number): Promise<RoomAccess> {
    const access = await this.rooms.access(roomId, auth?.id ?? null);
    if (!access || (access.isPrivate && !access.isMember)) throw RoomsError.notFound(roomId);
    return access;
  }

  /** A visible room whose membership can change: not a direct room. */
  private async assertChannel(auth: AuthUser, roomId: number): Promise<RoomAccess> {
    const access = await this.assertVisible(auth, roomId);
    if (access.kind === 'direct') throw RoomsError.directRoom(roomId);
    return access;
  }

  /** The names of these rooms as the caller sees them (a direct room: the other user's); gone rooms left out. */
  async roomNames(auth: AuthUser, roomIds: readonly number[]): Promise<Map<number, string>> {
    return this.views.names(auth.id, await this.rooms.findByIds(roomIds));
  }
}
