import {
  Column,
  CreateDateColumn,
  Entity,
  Generated,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { RoomEntity } from '../rooms/room.entity';
import { UserEntity } from '../users/user.entity';

@Entity('messages')
// Keyset paging of a room's history: WHERE room_id = ? AND id < ? ORDER BY id DESC LIMIT ?; it
// includes user_id and deleted for unread counts (INCLUDE, which TypeORM cannot describe: made by
// the Conversations migration).
@Index('messages_room_id_id_idx', { synchronize: false })
// Catching up on changes: WHERE room_id = ? AND change_id > ? ORDER BY change_id LIMIT ?.
@Index('messages_room_id_change_id_idx', ['roomId', 'changeId'])
@Unique('messages_user_client_msg_id_key', ['userId', 'clientMsgId'])
// Search: a partial GIN expression index, to_tsvector('simple', content) WHERE NOT deleted, made
// by the migration (with statistics of the expression for the planner).
@Index('messages_content_search_idx', { synchronize: false })
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

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  deleted!: boolean;

  /** From messages_change_id_seq, drawn while the room's row is locked (see the migration). */
  @Column({ name: 'change_id', type: 'bigint' })
  @Generated('increment')
  changeId!: string;

  /** The users the message names; message_mentions indexes them (kept by triggers). */
  @Column({ type: 'integer', array: true, default: () => "'{}'" })
  mentions!: number[];
}

/**
 * A user named by a live message, for counting unread mentions per room. Written by the
 * triggers on messages (see the Conversations migration), never by the application.
 */
@Entity('message_mentions')
@Index('message_mentions_message_id_idx', ['messageId'])
export class MessageMentionEntity {
  @PrimaryColumn({
    name: 'user_id',
    type: 'integer',
    primaryKeyConstraintName: 'message_mentions_pkey',
  })
  userId!: number;

  @PrimaryColumn({
    name: 'room_id',
    type: 'integer',
    primaryKeyConstraintName: 'message_mentions_pkey',
  })
  roomId!: number;

  @PrimaryColumn({
    name: 'message_id',
    type: 'bigint',
    primaryKeyConstraintName: 'message_mentions_pkey',
  })
  messageId!: string;

  @ManyToOne(() => MessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_mentions_message_id_fkey' })
  message?: MessageEntity;
}

/** One user's reaction with one emoji to a message. */
@Entity('message_reactions')
@Index('message_reactions_user_id_idx', ['userId'])
export class MessageReactionEntity {
  @PrimaryColumn({
    name: 'message_id',
    type: 'bigint',
    primaryKeyConstraintName: 'message_reactions_pkey',
  })
  messageId!: string;

  @ManyToOne(() => MessageEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id', foreignKeyConstraintName: 'message_reactions_message_id_fkey' })
  message?: MessageEntity;

  @PrimaryColumn({
    name: 'user_id',
    type: 'integer',
    primaryKeyConstraintName: 'message_reactions_pkey',
  })
  userId!: number;

  @ManyToOne(() => UserEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id', foreignKeyConstraintName: 'message_reactions_user_id_fkey' })
  user?: UserEntity;

  @PrimaryColumn({
    type: 'varchar',
    length: 32,
    primaryKeyConstraintName: 'message_reactions_pkey',
  })
  emoji!: string;

  /** The emoji's place on the message, kept while the emoji lasts. */
  @Column({ type: 'integer' })
  position!: number;

  /** Orders the reactions of one message, so the users of one emoji. */
  @Column({ type: 'integer' })
  seq!: number;
}
