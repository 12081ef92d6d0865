import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../common/auth/auth-user';
import { isoTime } from '../common/iso-time';
import { RoomsRepository } from '../rooms/rooms.repository';
import type { UpdateProfileDto } from './dto/update-profile.dto';
import { UserResponse } from './dto/user.response';
import { PasswordHasher } from './password-hasher';
import { Presence } from './presence';
import type { User } from './user';
import { UserEvents } from './user-events';
import { UsersError } from './users.error';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly presence: Presence,
    private readonly rooms: RoomsRepository,
    private readonly events: UserEvents,
  ) {}

  async register(username: string, password: string): Promise<User> {
    const user = await this.users.create({
      username,
      passwordHash: await this.hasher.hash(password),
    });
    if (!user) throw UsersError.usernameTaken(username);
    return user;
  }

  /** The user when the password matches; null otherwise, in the same time whether or not the user exists. */
  async verifyCredentials(username: string, password: string): Promise<User | null> {
    const credentials = await this.users.findByUsername(username);
    if (!(await this.hasher.verify(credentials?.passwordHash ?? null, password))) return null;
    const { passwordHash: _, ...user } = credentials!;
    return user;
  }

  findById(id: number): Promise<User | null> {
    return this.users.findById(id);
  }

  /** Whether the user is a server admin (an active one). */
  async isServerAdmin(id: number): Promise<boolean> {
    const user = await this.users.findById(id);
    return user?.role === 'admin' && user.deactivatedAt === null;
  }

  /** Changes what people see of the caller; those who share a room with them are told. */
  async updateProfile(auth: AuthUser, dto: UpdateProfileDto): Promise<UserResponse> {
    const user = await this.users.setDisplayName(auth.id, dto.display_name);
    if (!user) throw UsersError.accountGone();
    const response = await this.toResponse(user);
    this.events.userUpdated(response, await this.rooms.roomIdsOf(user.id));
    return response;
  }

  /** Sets a new password once the current one is proven; false when it is wrong. */
  async changePassword(auth: AuthUser, current: string, next: string): Promise<boolean> {
    // Usernames never change: the caller's finds their credentials in one read.
    const credentials = await this.users.findByUsername(auth.username);
    if (credentials?.id !== auth.id) throw UsersError.accountGone();
    if (!(await this.hasher.verify(credentials.passwordHash, current))) return false;
    await this.users.setPasswordHash(auth.id, await this.hasher.hash(next));
    return true;
  }

  /** Deactivates or reactivates an account; the user as changed. */
  async setDeactivated(id: number, deactivated: boolean): Promise<User> {
    const user = await this.users.setDeactivated(id, deactivated);
    if (!user) throw UsersError.notFoundById(id);
    return user;
  }

  async me(id: number): Promise<UserResponse> {
    const user = await this.users.findById(id);
    if (!user) throw UsersError.accountGone();
    return this.toResponse(user);
  }

  async getByUsername(username: string): Promise<User> {
    const credentials = await this.users.findByUsername(username);
    if (!credentials) throw UsersError.notFound(username);
    const { passwordHash: _, ...user } = credentials;
    return user;
  }

  /** The users of these names, in any letter case (no password hashes). */
  findByUsernames(usernames: readonly string[]): Promise<User[]> {
    return this.users.findByUsernames(usernames);
  }

  /** The users of these ids (no password hashes). */
  findByIds(ids: readonly number[]): Promise<User[]> {
    return this.users.findByIds(ids);
  }

  /** Every user, ordered by id, as the store holds them. */
  listAll(): Promise<User[]> {
    return this.users.list();
  }

  async list(): Promise<UserResponse[]> {
    return this.toResponses(await this.users.list());
  }

  async listByIds(ids: readonly number[]): Promise<UserResponse[]> {
    return this.toResponses(await this.users.findByIds(ids));
  }

  async toResponses(users: readonly User[]): Promise<UserResponse[]> {
    const online = await this.presence.onlineAmong(users.map((user) => user.id));
    return users.map((user) => ({
      id: user.id,
      username: user.username,
      created_at: isoTime(user.createdAt),
      online: online.has(user.id),
      display_name: user.displayName,
      role: user.role,
    }));
  }

  async toResponse(user: User): Promise<UserResponse> {
    const [response] = await this.toResponses([user]);
    return response;
  }
}
