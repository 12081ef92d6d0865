import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { User, UserCredentials } from './user';

@Entity('users')
// Case-insensitive uniqueness is an expression index (lower(username)), made by the migration.
@Index('users_username_lower_key', { synchronize: false })
export class UserEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'varchar', length: 32 })
  username!: string;

  @Column({ name: 'password_hash', type: 'text' })
  passwordHash!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export function toUser(row: UserEntity): User {
  return { id: row.id, username: row.username, createdAt: row.createdAt };
}

export function toCredentials(row: UserEntity): UserCredentials {
  return { ...toUser(row), passwordHash: row.passwordHash };
}
