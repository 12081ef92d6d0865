import type { Session } from './session';

export type NewSession = Omit<Session, 'lastUsedAt'>;

/** Port of the session store. An ended session is deleted; an expired one is no longer live. */
export abstract class SessionsRepository {
  /** Stores a new session, last used when created; the user's expired sessions go. */
  abstract create(session: NewSession): Promise<Session>;
  /** The session as stored, live or expired; null when it has ended or never was. */
  abstract find(id: string): Promise<Session | null>;
  /** Marks the session used at `at` and answers it, when it is live then; null otherwise. */
  abstract touch(id: string, at: Date): Promise<Session | null>;
  /** The user's sessions live at `now`, newest first. */
  abstract listOf(userId: number, now: Date): Promise<Session[]>;
  /** Those of these sessions that are live at `now`. */
  abstract liveAmong(ids: readonly string[], now: Date): Promise<string[]>;
  /** Ends one session; false when there was none. */
  abstract delete(id: string): Promise<boolean>;
  /** Ends every session of the user but `exceptId`; answers the ids of those ended. */
  abstract deleteAllOf(userId: number, exceptId?: string): Promise<string[]>;
}
