import { Injectable } from '@nestjs/common';
import type { User, UserCredentials, UserRole } from './user';
import { NewUser, UsersRepository } from './users.repository';

@Injectable()
export class UsersMemoryRepository extends UsersRepository {
  private readonly byId = new Map<number, UserCredentials>();
  private readonly byName = new Map<string, UserCredentials>();
  private lastId = 0;

  async create(user: NewUser): Promise<User | null> {
    const key = user.username.toLowerCase();
    if (this.byName.has(key)) return null;
    const stored: UserCredentials = {
      id: ++this.lastId,
      ...user,
      displayName: user.username,
      role: this.byId.size === 0 ? 'admin' : 'user',
      deactivatedAt: null,
      createdAt: new Date(),
    };
    this.byId.set(stored.id, stored);
    this.byName.set(key, stored);
    return withoutHash(stored);
  }

  async findById(id: number): Promise<User | null> {
    const user = this.byId.get(id);
    return user ? withoutHash(user) : null;
  }

  async findByIds(ids: readonly number[]): Promise<User[]> {
    return [...new Set(ids)]
      .sort((a, b) => a - b)
      .flatMap((id) => {
        const user = this.byId.get(id);
        return user ? [withoutHash(user)] : [];
      });
  }

  async findByUsername(username: string): Promise<UserCredentials | null> {
    const user = this.byName.get(username.toLowerCase());
    return user ? { ...user } : null;
  }

  async findByUsernames(usernames: readonly string[]): Promise<User[]> {
    const found = new Map<number, User>();
    for (const name of usernames) {
      const user = this.byName.get(name.toLowerCase());
      if (user) found.set(user.id, withoutHash(user));
    }
    return [...found.values()];
  }

  async list(): Promise<User[]> {
    return [...this.byId.values()].map(withoutHash);
  }

  async setDisplayName(id: number, displayName: string): Promise<User | null> {
    return this.update(id, (user) => ({ ...user, displayName }));
  }

  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    this.update(id, (user) => ({ ...user, passwordHash }));
  }

  async setRole(id: number, role: UserRole): Promise<void> {
    this.update(id, (user) => ({ ...user, role }));
  }

  async setDeactivated(id: number, deactivated: boolean): Promise<User | null> {
    return this.update(id, (user) => ({
      ...user,
      deactivatedAt: deactivated ? (user.deactivatedAt ?? new Date()) : null,
    }));
  }

  /** Stored users are replaced, never changed in place: answers handed out stay as they were. */
  private update(id: number, change: (user: UserCredentials) => UserCredentials): User | null {
    const user = this.byId.get(id);
    if (!user) return null;
    const changed = change(user);
    this.byId.set(id, changed);
    this.byName.set(changed.username.toLowerCase(), changed);
    return withoutHash(changed);
  }
}

function withoutHash({ passwordHash: _, ...user }: UserCredentials): User {
  return user;
}
