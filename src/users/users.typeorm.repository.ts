import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import type { User, UserCredentials } from './user';
import { toCredentials, toUser, UserEntity } from './user.entity';
import { NewUser, UsersRepository } from './users.repository';

@Injectable()
export class UsersTypeormRepository extends UsersRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@InjectDataSource() db: DataSource) {
    super();
    this.users = db.getRepository(UserEntity);
  }

  async create(user: NewUser): Promise<User | null> {
    // ON CONFLICT lets the unique index on lower(username) settle concurrent registrations.
    const result = await this.users
      .createQueryBuilder()
      .insert()
      .values({ username: user.username, passwordHash: user.passwordHash })
      .orIgnore()
      .returning(['id', 'username', 'created_at'])
      .execute();
    const row = (result.raw as { id: number; username: string; created_at: Date }[])[0];
    return row ? { id: row.id, username: row.username, createdAt: row.created_at } : null;
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
}
