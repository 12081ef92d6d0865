import { Injectable } from '@nestjs/common';
import type { Session } from './session';
import { NewSession, SessionsRepository } from './sessions.repository';

@Injectable()
export class SessionsMemoryRepository extends SessionsRepository {
  private readonly byId = new Map<string, Session>();
  private readonly byUser = new Map<number, Set<string>>();

  async create(session: NewSession): Promise<Session> {
    for (const expired of this.ofUser(session.userId).filter(
      (s) => s.expiresAt <= session.createdAt,
    )) {
      this.remove(expired);
    }
    const stored = { ...session, lastUsedAt: session.createdAt };
    this.byId.set(stored.id, stored);
    let ids = this.byUser.get(stored.userId);
    if (!ids) this.byUser.set(stored.userId, (ids = new Set()));
    ids.add(stored.id);
    return { ...stored };
  }

  async find(id: string): Promise<Session | null> {
    const session = this.byId.get(id);
    return session ? { ...session } : null;
  }

  async touch(id: string, at: Date): Promise<Session | null> {
    const session = this.byId.get(id);
    if (!session || session.expiresAt <= at) return null;
    session.lastUsedAt = at;
    return { ...session };
  }

  async listOf(userId: number, now: Date): Promise<Session[]> {
    return this.ofUser(userId)
      .filter((session) => session.expiresAt > now)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
      .map((session) => ({ ...session }));
  }

  async liveAmong(ids: readonly string[], now: Date): Promise<string[]> {
    return [...new Set(ids)].filter((id) => (this.byId.get(id)?.expiresAt ?? now) > now);
  }

  async delete(id: string): Promise<boolean> {
    const session = this.byId.get(id);
    if (session) this.remove(session);
    return session !== undefined;
  }

  async deleteAllOf(userId: number, exceptId?: string): Promise<string[]> {
    const ended = this.ofUser(userId).filter((session) => session.id !== exceptId);
    for (const session of ended) this.remove(session);
    return ended.map((session) => session.id);
  }

  private ofUser(userId: number): Session[] {
    return [...(this.byUser.get(userId) ?? [])].map((id) => this.byId.get(id)!);
  }

  private remove(session: Session): void {
    this.byId.delete(session.id);
    const ids = this.byUser.get(session.userId)!;
    ids.delete(session.id);
    if (ids.size === 0) this.byUser.delete(session.userId);
  }
}
