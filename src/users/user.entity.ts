import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { User, UserCredentials, UserRole } from './user';

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

  /** null shows the username. */
  @Column({ name: 'display_name', type: 'varchar', length: 64, nullable: true })
  displayName!: string | null;

  @Column({ type: 'varchar', length: 16, default: 'user' })
  role!: UserRole;

  @Column({ name: 'deactivated_at', type: 'timestamptz', nullable: true })
  deactivatedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

export function toUser(row: UserEntity): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName ?? row.username,
    role: row.role,
    deactivatedAt: row.deactivatedAt,
    createdAt: row.createdAt,
  };
}

export function toCredentials(row: UserEntity): UserCredentials {
  return { ...toUser(row), passwordHash: row.passwordHash };
}
