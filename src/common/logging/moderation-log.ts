import { Logger } from '@nestjs/common';

/** What a moderator or server admin did. */
export type ModerationAction =
  | 'room_updated'
  | 'room_deleted'
  | 'member_role_changed'
  | 'member_removed'
  | 'user_banned'
  | 'user_unbanned'
  | 'message_deleted'
  | 'user_deactivated'
  | 'user_reactivated';

/** One moderation or admin action: who did what, to whom, in which room. */
export interface ModerationEntry {
  action: ModerationAction;
  /** The moderator or admin. */
  actorId: number;
  targetUserId?: number;
  roomId?: number;
  messageId?: number;
  /** A new role, name or other value the action set. */
  detail?: string;
}

const logger = new Logger('Moderation');

/**
 * Writes the action as one structured log line (`data.event: "moderation"`), so operators can
 * find every moderation and admin action with one filter.
 */
export function logModeration(entry: ModerationEntry): void {
  logger.log({
    event: 'moderation',
    action: entry.action,
    actor_id: entry.actorId,
    target_user_id: entry.targetUserId ?? null,
    room_id: entry.roomId ?? null,
    message_id: entry.messageId ?? null,
    detail: entry.detail ?? null,
  });
}
