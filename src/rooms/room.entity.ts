import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';
import { UserEntity } from '../users/user.entity';

@Entity('rooms')
// Names are unique case-insensitively among public rooms: a partial expression index
// (lower(name) WHERE NOT is_private), made by the migration.
@Index('rooms_public_name_lower_key', { synchronize: false })
// A direct room's pair is unique: a partial index (WHERE direct_key IS NOT NULL), by the migration.
@Index('rooms_direct_key_key', { synchronize: false })
export class RoomEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'BY DEFAULT' })
  id!: number;

  @Column({ type: 'varchar', length: 64 })
  name!: string;

  @Column({ type: 'varchar', length: 500, default: '' })
  description!: string;

  @Column({ name: 'is_private', type: 'boolean', default: false })
  isPrivate!: boolean;

  @Column({ type: 'varchar', length: 16, default: 'channel' })
  kind!: string;

  /** "low:high" user ids of a direct room's pair; null for channels. */
  @Column({ name: 'direct_key', type: 'varchar', length: 32, nullable: true })
  directKey!: string | null;

  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'created_by', foreignKeyConstraintName: 'rooms_created_by_fkey' })
  creator?: UserEntity | null;

  @Column({ name: 'created_by', type: 'integer', nullable: true })
  createdBy!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

@Entity('room_members')
@Index('room_members_user_id_idx', ['userId'])
export class RoomMemberEntity {
  @PrimaryColumn({ name: 'room_id', type: 'integer' })
  roomId!: number;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_members_room_id_fkey' })
  room?: RoomEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'room_members_user_id_fkey' })
  user?: UserEntity;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;

  /** The newest message the member has read (never moves back). */
  @Column({ name: 'last_read_id', type: 'bigint', default: 0 })
  lastReadId!: string;

  /** `owner`, `admin` or `member` (RoomRole). */
  @Column({ type: 'varchar', length: 16, default: 'member' })
  role!: string;
}

/** A user barred from a room: they cannot join it or be added to it. */
@Entity('room_bans')
export class RoomBanEntity {
  @PrimaryColumn({ name: 'room_id', type: 'integer' })
  roomId!: number;

  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'room_bans_room_id_fkey' })
  room?: RoomEntity;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'room_bans_user_id_fkey' })
  user?: UserEntity;

  @ManyToOne(() => UserEntity, { nullable: true, onDelete: 'SET NULL' })
  @JoinColumn({ name: 'banned_by', foreignKeyConstraintName: 'room_bans_banned_by_fkey' })
  banner?: UserEntity | null;

  @Column({ name: 'banned_by', type: 'integer', nullable: true })
  bannedBy!: number | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
