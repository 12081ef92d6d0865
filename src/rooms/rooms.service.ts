import { Injectable } from '@nestjs/common';
import { isoTime } from '../common/iso-time';
import type { AuthUser } from '../common/auth/auth-user';
import { RateLimiter, RateRule } from '../cluster/rate-limiter';
import { RequestError } from '../common/errors/app-error';
import { AppConfig } from '../config/app-config';
import { UserResponse } from '../users/dto/user.response';
import { UsersService } from '../users/users.service';
import { AddMemberDto, CreateRoomDto, RoomResponse } from './dto/room.dto';
import type { Room, RoomAccess } from './room';
import { RoomEvents } from './room-events';
import { RoomsError } from './rooms.error';
import { RoomsRepository } from './rooms.repository';

@Injectable()
export class RoomsService {
  /** RATE_LIMIT_JOINS joins and leaves per user per minute, each announced to the room. */
  private readonly membershipRule: RateRule;

  constructor(
    private readonly rooms: RoomsRepository,
    private readonly users: UsersService,
    private readonly events: RoomEvents,
    private readonly rateLimiter: RateLimiter,
    config: AppConfig,
  ) {
    const limit = config.rateLimit.membershipPerMinute;
    this.membershipRule = { name: 'membership', limit, windowMs: 60_000 };
  }

  async list(auth: AuthUser | null): Promise<RoomResponse[]> {
    const rooms = await this.rooms.listVisibleTo(auth?.id ?? null);
    const joined = new Set(auth ? await this.rooms.roomIdsOf(auth.id) : []);
    return rooms.map((room) => toRoomResponse(room, joined.has(room.id)));
  }

  async create(auth: AuthUser, dto: CreateRoomDto): Promise<RoomResponse> {
    const room = await this.rooms.create({
      name: dto.name,
      description: dto.description ?? '',
      isPrivate: dto.is_private ?? false,
      createdBy: auth.id,
    });
    if (!room) throw RoomsError.nameTaken(dto.name);
    // Subscribes the creator's live connections to the new room.
    this.events.memberJoined(room.id, auth);
    return toRoomResponse(room, true);
  }

  async get(auth: AuthUser | null, roomId: number): Promise<RoomResponse> {
    const { isMember } = await this.assertVisible(auth, roomId);
    return toRoomResponse((await this.rooms.findById(roomId))!, isMember);
  }

  async join(auth: AuthUser, roomId: number): Promise<RoomResponse> {
    await this.takeMembershipChange(auth);
    await this.assertVisible(auth, roomId);
    if (await this.rooms.addMember(roomId, auth.id)) this.events.memberJoined(roomId, auth);
    return toRoomResponse((await this.rooms.findById(roomId))!, true);
  }

  async leave(auth: AuthUser, roomId: number): Promise<void> {
    await this.takeMembershipChange(auth);
    await this.assertVisible(auth, roomId);
    if (await this.rooms.removeMember(roomId, auth.id)) this.events.memberLeft(roomId, auth);
  }

  async members(auth: AuthUser | null, roomId: number): Promise<UserResponse[]> {
    await this.assertVisible(auth, roomId);
    return this.users.listByIds(await this.rooms.memberIds(roomId));
  }

  async addMember(auth: AuthUser, roomId: number, dto: AddMemberDto): Promise<UserResponse> {
    await this.assertVisible(auth, roomId);
    const room = (await this.rooms.findById(roomId))!;
    if (room.createdBy !== auth.id) throw RoomsError.notOwner(roomId);
    const user = await this.users.getByUsername(dto.username);
    if (await this.rooms.addMember(roomId, user.id)) {
      this.events.memberJoined(roomId, { id: user.id, username: user.username });
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

  /** The names of these rooms as the caller sees them (a channel: its name); gone rooms left out. */
  async roomNames(_auth: AuthUser, roomIds: number[]): Promise<Map<number, string>> {
    const rooms = await Promise.all(roomIds.map((id) => this.rooms.findById(id)));
    return new Map(rooms.filter((room) => room !== null).map((room) => [room.id, room.name]));
  }
}

export function toRoomResponse(room: Room, isMember: boolean): RoomResponse {
  return {
    id: room.id,
    name: room.name,
    description: room.description,
    is_private: room.isPrivate,
    created_by: room.createdBy,
    created_at: isoTime(room.createdAt),
    member_count: room.memberCount,
    is_member: isMember,
  };
}
