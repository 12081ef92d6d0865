import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { AuthError } from './auth.error';
import { LiveSessions } from './live-sessions';
import type { Session } from './session';
import { SessionEvents } from './session-events';
import { SessionRevocations } from './session-revocations';
import { SessionsRepository } from './sessions.repository';

/** Longest User-Agent kept with a session: enough to tell browsers apart. */
const USER_AGENT_MAX_LENGTH = 256;

/**
 * Sessions: each sign-in is one, and its tokens work while it lives. Ending sessions is for any
 * feature to call (signing out, a password change, an account deactivated): the store forgets
 * them, every process refuses their tokens and closes their connections at once.
 */
@Injectable()
export class SessionsService {
  private readonly live: LiveSessions;
  /** Confirmations asked of the store and not answered yet: one per session at a time. */
  private readonly confirming = new Map<string, Promise<Session | null>>();

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly revocations: SessionRevocations,
    private readonly events: SessionEvents,
    config: AppConfig,
  ) {
    this.live = new LiveSessions(config.jwt.expiresInSeconds * 1000);
    revocations.onEnded((ids) => {
      this.live.end(ids);
      this.events.sessionsEnded(ids);
    });
    revocations.onMissed(() => this.live.forgetConfirmed());
  }

  /** A new session of the user, whose tokens expire at `expiresAt`. */
  start(userId: number, userAgent: string | undefined, expiresAt: Date): Promise<Session> {
    return this.sessions.create({
      id: randomUUID(),
      userId,
      createdAt: new Date(),
      userAgent: userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
      expiresAt,
    });
  }

  /**
   * Refuses with `unauthorized` unless the session is live and the user's. Answers from this
   * process's memory, asking the store (which notes the use) at most once a CONFIRM_INTERVAL_MS.
   */
  async assertLive(sessionId: string, userId: number): Promise<void> {
    if (this.live.userOf(sessionId) === userId) return;
    if (this.live.hasEnded(sessionId)) throw AuthError.sessionEnded();
    const session = await this.confirmed(sessionId);
    if (session?.userId !== userId || !this.live.confirm(sessionId, userId)) {
      throw AuthError.sessionEnded();
    }
  }

  /** Whether this process knows the session has ended (a connection opening may have missed it). */
  hasEnded(sessionId: string): boolean {
    return this.live.hasEnded(sessionId);
  }

  /**
   * Ends here, at once, those of these sessions (of this process's connections) that ended while
   * news of it could not arrive (Redis was down).
   */
  async endMissed(sessionIds: readonly string[]): Promise<void> {
    const live = new Set(await this.sessions.liveAmong(sessionIds, new Date()));
    const ended = [...new Set(sessionIds)].filter((id) => !live.has(id));
    if (ended.length === 0) return;
    this.live.end(ended);
    this.events.sessionsEnded(ended);
  }

  /** The user's live sessions, newest first. */
  listOf(userId: number): Promise<Session[]> {
    return this.sessions.listOf(userId, new Date());
  }

  /** Ends one session; false when there was none. */
  async endSession(sessionId: string): Promise<boolean> {
    const ended = await this.sessions.delete(sessionId);
    if (ended) await this.revocations.publish([sessionId]);
    return ended;
  }

  /** Ends one of the user's own sessions; `session_not_found` for any other id. */
  async endSessionOf(userId: number, sessionId: string): Promise<void> {
    const session = await this.sessions.find(sessionId);
    if (session?.userId !== userId || !(await this.endSession(sessionId))) {
      throw AuthError.sessionNotFound(sessionId);
    }
  }

  /** Ends every session of the user, but `except` (the caller's own, on a password change). */
  async endAllSessionsOf(userId: number, options: { except?: string } = {}): Promise<void> {
    const ended = await this.sessions.deleteAllOf(userId, options.except);
    if (ended.length > 0) await this.revocations.publish(ended);
  }

  /**
   * The session as the store answers it live, noting its use; the requests a page sends at once
   * with a token this process does not know yet wait for one answer.
   */
  private confirmed(sessionId: string): Promise<Session | null> {
    let answer = this.confirming.get(sessionId);
    if (answer === undefined) {
      answer = this.sessions
        .touch(sessionId, new Date())
        .finally(() => this.confirming.delete(sessionId));
      this.confirming.set(sessionId, answer);
    }
    return answer;
  }
}
