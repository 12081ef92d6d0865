import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { RoomEntity } from '../rooms/room.entity';
import { UserEntity } from '../users/user.entity';

@Entity('messages')
// Keyset paging of a room's history: WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?.
@Index('messages_room_id_id_idx', ['roomId', 'id'])
@Unique('messages_user_client_msg_id_key', ['userId', 'clientMsgId'])
export class MessageEntity {
  /** pg reads bigint as a string; the repository maps it to a number (ids stay below 2^53). */
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'BY DEFAULT' })
  id!: string;

  @Column({ name: 'room_id', type: 'integer' })
  roomId!: number;

  @ManyToOne(() => RoomEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'room_id', foreignKeyConstraintName: 'messages_room_id_fkey' })
  room?: RoomEntity;

  @Column({ name: 'user_id', type: 'integer' })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'messages_user_id_fkey' })
  user?: UserEntity;

  @Column({ type: 'text' })
  content!: string;

  @Column({ name: 'client_msg_id', type: 'varchar', length: 128, nullable: true })
  clientMsgId!: string | null;

  @Column({ name: 'reply_to', type: 'bigint', nullable: true })
  replyTo!: string | null;

  @ManyToOne(() => MessageEntity, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'reply_to', foreignKeyConstraintName: 'messages_reply_to_fkey' })
  parent?: MessageEntity;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
