import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import type { User, UserCredentials, UserRole } from './user';
import { toCredentials, toUser, UserEntity } from './user.entity';
import { NewUser, UsersRepository } from './users.repository';

@Injectable()
export class UsersTypeormRepository extends UsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@InjectDataSource() private readonly db: DataSource) {
    super();
    this.users = db.getRepository(UserEntity);
  }

  async create(user: NewUser): Promise<User | null> {
    return this.db.transaction(async (manager) => {
      // Registrations into an empty store take turns, so that exactly one becomes its admin; the
      // lock is held until commit, and the insert's own snapshot then sees the first one's row.
      await manager.query(
        'SELECT pg_advisory_xact_lock($1) WHERE NOT EXISTS (SELECT 1 FROM users)',
        [FIRST_USER_LOCK],
      );
      // ON CONFLICT lets the unique index on lower(username) settle concurrent registrations.
      const rows = await manager.query<UserRow[]>(
        `INSERT INTO users (username, password_hash, role)
         SELECT $1, $2, CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'user' ELSE 'admin' END
         ON CONFLICT DO NOTHING
         RETURNING *`,
        [user.username, user.passwordHash],
      );
      return rows[0] ? fromRow(rows[0]) : null;
    });
  }

  async findById(id: number): Promise<User | null> {
    const row = await this.users.findOneBy({ id });
    return row ? toUser(row) : null;
  }

  async findByIds(ids: readonly number[]): Promise<User[]> {
    if (ids.length === 0) return [];
    const rows = await this.users.find({ where: { id: In([...ids]) }, order: { id: 'ASC' } });
    return rows.map(toUser);
  }

  async findByUsername(username: string): Promise<UserCredentials | null> {
    const row = await this.users
      .createQueryBuilder('user')
      .where('lower(user.username) = lower(:username)', { username })
      .getOne();
    return row ? toCredentials(row) : null;
  }

  async findByUsernames(usernames: readonly string[]): Promise<User[]> {
    if (usernames.length === 0) return [];
    const rows = await this.users
      .createQueryBuilder('user')
      .where('lower(user.username) = ANY(:names)', {
        names: usernames.map((name) => name.toLowerCase()),
      })
      .getMany();
    return rows.map(toUser);
  }

  async list(): Promise<User[]> {
    const rows = await this.users.find({ order: { id: 'ASC' } });
    return rows.map(toUser);
  }

  setDisplayName(id: number, displayName: string): Promise<User | null> {
    return this.update(id, 'display_name = $2', [displayName]);
  }

  async setPasswordHash(id: number, passwordHash: string): Promise<void> {
    await this.update(id, 'password_hash = $2', [passwordHash]);
  }

  async setRole(id: number, role: UserRole): Promise<void> {
    await this.update(id, 'role = $2', [role]);
  }

  setDeactivated(id: number, deactivated: boolean): Promise<User | null> {
    return this.update(
      id,
      deactivated ? 'deactivated_at = coalesce(deactivated_at, now())' : 'deactivated_at = NULL',
    );
  }

  private async update(id: number, set: string, values: unknown[] = []): Promise<User | null> {
    // A CTE, so that the query answers the rows (an UPDATE alone answers [rows, count]).
    const rows = await this.db.query<UserRow[]>(
      `WITH changed AS (UPDATE users SET ${set} WHERE id = $1 RETURNING *) SELECT * FROM changed`,
      [id, ...values],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }
}

/** Any fixed number: the key of the advisory lock that registrations into an empty store take. */
const FIRST_USER_LOCK = 7_310_001;

/** A users row as a raw query answers it. */
interface UserRow {
  id: number;
  username: string;
  display_name: string | null;
  role: UserRole;
  deactivated_at: Date | null;
  created_at: Date;
}

function fromRow(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name ?? row.username,
    role: row.role,
    deactivatedAt: row.deactivated_at,
    createdAt: row.created_at,
  };
}
