import type { Message, RoomKind } from '../../src/contract/objects';
import { mentionsMe } from './mentions';

/** What the Notification API would allow, as `Notification.permission` says (or unsupported). */
export type AlertPermission = NotificationPermission | 'unsupported';

/** Why a message could deserve a desktop notification. */
export type AlertReason = 'mention' | 'direct';

export interface AlertInput {
  /** `mention` for a `mention` event, `message` for a message received live. */
  event: 'mention' | 'message';
  message: Message;
  /** The room's name as the viewer sees it, and its kind (undefined: not listed yet). */
  roomName?: string;
  roomKind?: RoomKind;
  /** The room on screen, if any. */
  currentRoom: number | null;
  /** document.hidden. */
  hidden: boolean;
  /** The user turned notifications on, and the browser allows them. */
  enabled: boolean;
  permission: AlertPermission;
}

/** A desktop notification to show. */
export interface Alert {
  reason: AlertReason;
  title: string;
  body: string;
  /** One notification per message: a later one with the same tag replaces it. */
  tag: string;
  roomId: number;
}

const BODY_MAX = 140;
/** Messages remembered as notified, so that one message never notifies twice. */
const REMEMBERED = 200;

/**
 * Decides which messages make a desktop notification: a mention of the viewer (a `mention` event,
 * or a message naming them) unless they are looking at its room, and any message of a direct room
 * while the page is hidden; never the viewer's own, deleted ones, or one already notified, and
 * only while the user has turned notifications on and the browser allows them.
 */
export class Alerts {
  private readonly notified: number[] = [];

  constructor(private readonly meId: number) {}

  decide(input: AlertInput): Alert | null {
    const { message } = input;
    if (!input.enabled || input.permission !== 'granted') return null;
    if (message.user_id === this.meId || message.deleted) return null;
    if (this.notified.includes(message.id)) return null;
    const looking = !input.hidden && input.currentRoom === message.room_id;
    const mention = input.event === 'mention' || mentionsMe(message, this.meId);
    const direct = input.roomKind === 'direct';
    let reason: AlertReason | null = null;
    if (mention && !looking) reason = direct ? 'direct' : 'mention';
    else if (direct && input.hidden) reason = 'direct';
    if (reason === null) return null;
    this.notified.push(message.id);
    if (this.notified.length > REMEMBERED) this.notified.shift();
    const room = input.roomName ?? 'a room';
    return {
      reason,
      title:
        reason === 'direct'
          ? `${message.username} (direct message)`
          : `${message.username} mentioned you in ${room}`,
      body: shorten(message.content),
      tag: `message-${message.id}`,
      roomId: message.room_id,
    };
  }
}

function shorten(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > BODY_MAX ? `${line.slice(0, BODY_MAX - 1)}…` : line;
}
