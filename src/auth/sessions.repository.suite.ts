import { randomUUID } from 'node:crypto';
import {
  createUser,
  MISSING_ID,
  Repositories,
  RepositoriesSetup,
} from '../database/repositories.suite';
import type { UsersRepository } from '../users/users.repository';
import type { Session } from './session';
import type { SessionsRepository } from './sessions.repository';

const HOUR_MS = 3_600_000;

/** The contract of SessionsRepository, run against every store. */
export function describeSessionsRepository(setup: RepositoriesSetup): void {
  describe('SessionsRepository', () => {
    let sessions: SessionsRepository;
    let users: UsersRepository;
    let userId: number;
    const now = new Date('2026-12-01T12:00:00.000Z');

    beforeEach(async () => {
      ({ sessions, users } = (await setup()) satisfies Repositories);
      userId = (await createUser(users, 'sess')).id;
    });

    /** A new session of `userId` (or another user), created `minutesAgo` before `now`. */
    function start(
      options: { of?: number; minutesAgo?: number; expiresInMs?: number; userAgent?: string } = {},
    ): Promise<Session> {
      return sessions.create({
        id: randomUUID(),
        userId: options.of ?? userId,
        createdAt: new Date(now.getTime() - (options.minutesAgo ?? 0) * 60_000),
        userAgent: options.userAgent ?? null,
        expiresAt: new Date(now.getTime() + (options.expiresInMs ?? HOUR_MS)),
      });
    }

    describe('create', () => {
      it('stores the session, last used when created, and answers it', async () => {
        const session = await start({ userAgent: 'Firefox/140.0' });

        expect(session).toEqual({
          id: expect.any(String),
          userId,
          createdAt: now,
          lastUsedAt: now,
          userAgent: 'Firefox/140.0',
          expiresAt: new Date(now.getTime() + HOUR_MS),
        });
        expect(await sessions.find(session.id)).toEqual(session);
      });

      it("drops the user's expired sessions, and no one else's", async () => {
        const other = (await createUser(users, 'sess')).id;
        const expired = await start({ minutesAgo: 120, expiresInMs: -HOUR_MS });
        const othersExpired = await start({ of: other, minutesAgo: 120, expiresInMs: -HOUR_MS });

        await start();

        expect(await sessions.find(expired.id)).toBeNull();
        expect(await sessions.find(othersExpired.id)).not.toBeNull();
      });
    });

    describe('find', () => {
      it('answers null for a session that never was', async () => {
        expect(await sessions.find(randomUUID())).toBeNull();
      });
    });

    describe('touch', () => {
      it('marks a live session used and answers it', async () => {
        const session = await start({ minutesAgo: 5 });
        const later = new Date(now.getTime() + 60_000);

        expect(await sessions.touch(session.id, later)).toEqual({ ...session, lastUsedAt: later });
        expect(await sessions.find(session.id)).toEqual({ ...session, lastUsedAt: later });
      });

      it('answers null for an expired session, an ended one, and one that never was', async () => {
        const expiring = await start({ expiresInMs: 1_000 });
        const ended = await start();
        await sessions.delete(ended.id);

        expect(await sessions.touch(expiring.id, new Date(now.getTime() + 1_000))).toBeNull();
        expect(await sessions.touch(ended.id, now)).toBeNull();
        expect(await sessions.touch(randomUUID(), now)).toBeNull();
      });
    });

    describe('listOf', () => {
      it("answers the user's live sessions, newest first, and no one else's", async () => {
        const oldest = await start({ minutesAgo: 30 });
        const newest = await start({ minutesAgo: 1 });
        const middle = await start({ minutesAgo: 10 });
        await start({ minutesAgo: 2, expiresInMs: 0 });
        await start({ of: (await createUser(users, 'sess')).id });

        const listed = await sessions.listOf(userId, now);

        expect(listed.map((session) => session.id)).toEqual([newest.id, middle.id, oldest.id]);
        expect(listed[0]).toEqual(newest);
      });

      it('answers nothing for a user without sessions', async () => {
        expect(await sessions.listOf(MISSING_ID, now)).toEqual([]);
      });
    });

    describe('liveAmong', () => {
      it('answers those of the ids that are live, once each', async () => {
        const live = await start();
        const expired = await start({ minutesAgo: 5, expiresInMs: 0 });
        const ended = await start();
        await sessions.delete(ended.id);

        const found = await sessions.liveAmong(
          [live.id, expired.id, ended.id, randomUUID(), live.id],
          now,
        );

        expect(found).toEqual([live.id]);
        expect(await sessions.liveAmong([], now)).toEqual([]);
      });
    });

    describe('delete', () => {
      it('ends the session, once', async () => {
        const session = await start();
        const kept = await start();

        expect(await sessions.delete(session.id)).toBe(true);
        expect(await sessions.delete(session.id)).toBe(false);
        expect(await sessions.find(session.id)).toBeNull();
        expect(await sessions.find(kept.id)).toEqual(kept);
      });
    });

    describe('deleteAllOf', () => {
      it('ends every session of the user, but the one kept, and answers their ids', async () => {
        const [a, b, kept] = [await start(), await start(), await start()];
        const others = await start({ of: (await createUser(users, 'sess')).id });

        const ended = await sessions.deleteAllOf(userId, kept.id);

        expect(ended.sort()).toEqual([a.id, b.id].sort());
        expect((await sessions.listOf(userId, now)).map((session) => session.id)).toEqual([
          kept.id,
        ]);
        expect(await sessions.find(others.id)).toEqual(others);
        expect(await sessions.deleteAllOf(userId)).toEqual([kept.id]);
        expect(await sessions.deleteAllOf(userId)).toEqual([]);
      });
    });
  });
}
