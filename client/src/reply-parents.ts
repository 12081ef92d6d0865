import { ErrorCode } from '../../src/common/errors/error-code';
import type { Message } from '../../src/contract/objects';
import { ApiError } from './errors';
import { isNewer } from './message-changes';

/** What a reply's quote can show of the message it answers. */
export type Parent =
  { kind: 'found'; message: Message } | { kind: 'loading' } | { kind: 'missing' };

export interface ReplyParentsOptions {
  /** A loaded message of the room, if the history on hand has it. */
  loaded(roomId: number, messageId: number): Message | undefined;
  /** Asks the server for one message of a room. */
  fetch(roomId: number, messageId: number): Promise<Message>;
  /** A fetch ended: the quotes can be drawn again. */
  changed(): void;
}

/**
 * The messages replies answer that are not in the loaded history: each fetched once and kept, so
 * that redrawing a reply never asks again. A 404 is kept as missing; other failures are forgotten,
 * so that a later redraw tries again.
 */
export class ReplyParents {
  private readonly fetched = new Map<string, Parent>();
  /** Bumped whenever a fetch ends, so that a view drawn from these knows to redraw. */
  version = 0;

  constructor(private readonly options: ReplyParentsOptions) {}

  get(roomId: number, messageId: number): Parent {
    const message = this.options.loaded(roomId, messageId);
    if (message) return { kind: 'found', message };
    const key = `${roomId}:${messageId}`;
    const known = this.fetched.get(key);
    if (known) return known;
    const loading: Parent = { kind: 'loading' };
    this.fetched.set(key, loading);
    this.options.fetch(roomId, messageId).then(
      (found) => this.settle(key, { kind: 'found', message: found }),
      (error: unknown) => {
        const gone =
          error instanceof ApiError &&
          (error.code === ErrorCode.MessageNotFound || error.status === 404);
        if (gone) this.settle(key, { kind: 'missing' });
        else this.fetched.delete(key);
      },
    );
    return loading;
  }

  /**
   * A later state of a message (edited, deleted): a quote fetched earlier shows it from now on.
   * Messages in the loaded history need nothing: quotes read those from the history.
   */
  update(message: Message): void {
    const key = `${message.room_id}:${message.id}`;
    const known = this.fetched.get(key);
    if (known?.kind === 'found' && isNewer(message, known.message))
      this.settle(key, { kind: 'found', message });
  }

  private settle(key: string, parent: Parent): void {
    this.fetched.set(key, parent);
    this.version += 1;
    this.options.changed();
  }
}

const QUOTE_MAX = 80;

/** The start of a message as a quote shows it: its first non-empty line, cut to a short length. */
export function quoteText(content: string): string {
  const line =
    content
      .split('\n')
      .find((part) => part.trim().length > 0)
      ?.trim() ?? '';
  return line.length > QUOTE_MAX ? `${line.slice(0, QUOTE_MAX - 1).trimEnd()}…` : line;
}
