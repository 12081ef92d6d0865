import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, LessThanOrEqual, MoreThan, Repository } from 'typeorm';
import type { Session } from './session';
import { SessionEntity, toSession } from './session.entity';
import { NewSession, SessionsRepository } from './sessions.repository';

/** A row as RETURNING answers it: column names, not the entity's properties. */
interface SessionRow {
  id: string;
  user_id: number;
  created_at: Date;
  last_used_at: Date;
  user_agent: string | null;
  expires_at: Date;
}

@Injectable()
export class SessionsTypeormRepository extends SessionsRepository {
  private readonly sessions: Repository<SessionEntity>;

  constructor(@InjectDataSource() db: DataSource) {
    super();
    this.sessions = db.getRepository(SessionEntity);
  }

  async create(session: NewSession): Promise<Session> {
    await this.sessions.delete({
      userId: session.userId,
      expiresAt: LessThanOrEqual(session.createdAt),
    });
    const stored = { ...session, lastUsedAt: session.createdAt };
    await this.sessions.insert(stored);
    return stored;
  }

  async find(id: string): Promise<Session | null> {
    const row = await this.sessions.findOneBy({ id });
    return row ? toSession(row) : null;
  }

  async touch(id: string, at: Date): Promise<Session | null> {
    const result = await this.sessions
      .createQueryBuilder()
      .update()
      .set({ lastUsedAt: at })
      .where('id = :id AND expires_at > :at', { id, at })
      .returning('*')
      .execute();
    const row = (result.raw as SessionRow[])[0];
    return row
      ? {
          id: row.id,
          userId: row.user_id,
          createdAt: row.created_at,
          lastUsedAt: row.last_used_at,
          userAgent: row.user_agent,
          expiresAt: row.expires_at,
        }
      : null;
  }

  async listOf(userId: number, now: Date): Promise<Session[]> {
    const rows = await this.sessions.find({
      where: { userId, expiresAt: MoreThan(now) },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    return rows.map(toSession);
  }

  async liveAmong(ids: readonly string[], now: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const rows = await this.sessions.find({
      select: { id: true },
      where: { id: In([...new Set(ids)]), expiresAt: MoreThan(now) },
    });
    return rows.map((row) => row.id);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.sessions.delete({ id });
    return (result.affected ?? 0) > 0;
  }

  async deleteAllOf(userId: number, exceptId?: string): Promise<string[]> {
    const query = this.sessions
      .createQueryBuilder()
      .delete()
      .where('user_id = :userId', { userId });
    if (exceptId !== undefined) query.andWhere('id <> :exceptId', { exceptId });
    const result = await query.returning('id').execute();
    return (result.raw as { id: string }[]).map((row) => row.id);
  }
}
