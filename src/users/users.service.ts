import { Injectable } from '@nestjs/common';
import { isoTime } from '../common/iso-time';
import { UserResponse } from './dto/user.response';
import { PasswordHasher } from './password-hasher';
import { Presence } from './presence';
import type { User } from './user';
import { UsersError } from './users.error';
import { UsersRepository } from './users.repository';

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly hasher: PasswordHasher,
    private readonly presence: Presence,
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
    }));
  }

  async toResponse(user: User): Promise<UserResponse> {
    const [response] = await this.toResponses([user]);
    return response;
  }
}
