import { ErrorCode } from '../common/errors/error-code';
import { loadConfig } from '../config/load-config';
import { rejection } from '../../test/support/rejection';
import { CONFIRM_INTERVAL_MS } from './live-sessions';
import type { Session } from './session';
import type { SessionEvents } from './session-events';
import { LocalSessionRevocations } from './session-revocations';
import { SessionsMemoryRepository } from './sessions.memory.repository';
import { SessionsService } from './sessions.service';

const HOUR_MS = 3_600_000;

describe('SessionsService', () => {
  let store: SessionsMemoryRepository;
  let revocations: LocalSessionRevocations;
  let ended: string[][];
  let service: SessionsService;
  const expiresAt = () => new Date(Date.now() + HOUR_MS);

  beforeEach(() => {
    store = new SessionsMemoryRepository();
    revocations = new LocalSessionRevocations();
    ended = [];
    const events: SessionEvents = { sessionsEnded: (ids) => ended.push([...ids]) };
    const config = loadConfig({
      JWT_SECRET: 'sessions-service-spec-secret',
      JWT_EXPIRES_IN: '3600',
    });
    service = new SessionsService(store, revocations, events, config);
  });
  afterEach(() => jest.restoreAllMocks());

  const expectEnded = async (sessionId: string, userId: number) => {
    const error = await rejection(service.assertLive(sessionId, userId));
    expect(error).toMatchObject({
      code: ErrorCode.Unauthorized,
      message: expect.stringContaining('ended'),
    });
  };

  it('starts sessions with random ids, the User-Agent kept short', async () => {
    const a = await service.start(1, 'x'.repeat(1_000), expiresAt());
    const b = await service.start(1, undefined, expiresAt());

    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.id).not.toBe(a.id);
    expect(a.userAgent).toHaveLength(256);
    expect(b.userAgent).toBeNull();
  });

  it('accepts a live session of its own user only', async () => {
    const session = await service.start(1, undefined, expiresAt());

    await service.assertLive(session.id, 1);
    await expectEnded(session.id, 2);
    await expectEnded('00000000-0000-4000-8000-000000000000', 1);
  });

  it('asks the store (noting the use) at most once a minute per session', async () => {
    const session = await service.start(1, undefined, expiresAt());
    const touch = jest.spyOn(store, 'touch');
    let nowMs = Date.now();
    jest.spyOn(Date, 'now').mockImplementation(() => nowMs);

    for (let i = 0; i < 5; i++) await service.assertLive(session.id, 1);
    expect(touch).toHaveBeenCalledTimes(1);

    nowMs += CONFIRM_INTERVAL_MS;
    await service.assertLive(session.id, 1);
    expect(touch).toHaveBeenCalledTimes(2);
  });

  it('asks the store once for the requests that come at once with a session it does not know', async () => {
    const session = await service.start(1, undefined, expiresAt());
    const touch = jest.spyOn(store, 'touch');

    await Promise.all(Array.from({ length: 5 }, () => service.assertLive(session.id, 1)));

    expect(touch).toHaveBeenCalledTimes(1);
  });

  it('ends a session: its token is refused at once, its connections closed, others go on', async () => {
    const session = await service.start(1, undefined, expiresAt());
    const other = await service.start(1, undefined, expiresAt());
    await service.assertLive(session.id, 1);
    await service.assertLive(other.id, 1);

    expect(await service.endSession(session.id)).toBe(true);

    await expectEnded(session.id, 1);
    await service.assertLive(other.id, 1);
    expect(ended).toEqual([[session.id]]);
    expect(service.hasEnded(session.id)).toBe(true);
    expect(await service.endSession(session.id)).toBe(false);
    expect(ended).toHaveLength(1);
  });

  it('refuses a session another process ended, although this one had it cached', async () => {
    const session = await service.start(1, undefined, expiresAt());
    await service.assertLive(session.id, 1);

    await store.delete(session.id);
    await revocations.publish([session.id]);

    await expectEnded(session.id, 1);
    expect(ended).toEqual([[session.id]]);
  });

  it('does not bring back a session that ended while the store was confirming it', async () => {
    const session = await service.start(1, undefined, expiresAt());
    let answer!: (value: Session | null) => void;
    const confirmation = new Promise<Session | null>((resolve) => (answer = resolve));
    jest.spyOn(store, 'touch').mockReturnValueOnce(confirmation);
    const checking = rejection(service.assertLive(session.id, 1));

    // Ended by another process after the store read the session live, before the answer came.
    await revocations.publish([session.id]);
    answer(session);

    expect(await checking).toMatchObject({ code: ErrorCode.Unauthorized });
    await expectEnded(session.id, 1);
  });

  it("ends one of the user's own sessions; another's, or none, is session_not_found", async () => {
    const own = await service.start(1, undefined, expiresAt());
    const others = await service.start(2, undefined, expiresAt());

    await service.endSessionOf(1, own.id);
    const notOwn = await rejection(service.endSessionOf(1, others.id));
    const gone = await rejection(service.endSessionOf(1, own.id));

    expect(notOwn).toMatchObject({ code: ErrorCode.SessionNotFound });
    expect(gone).toMatchObject({ code: ErrorCode.SessionNotFound });
    await service.assertLive(others.id, 2);
    expect(ended).toEqual([[own.id]]);
  });

  it('ends every session of the user but the one kept, and no one else’s', async () => {
    const [a, b, kept] = [
      await service.start(1, undefined, expiresAt()),
      await service.start(1, undefined, expiresAt()),
      await service.start(1, undefined, expiresAt()),
    ];
    const others = await service.start(2, undefined, expiresAt());

    await service.endAllSessionsOf(1, { except: kept.id });

    await expectEnded(a.id, 1);
    await expectEnded(b.id, 1);
    await service.assertLive(kept.id, 1);
    await service.assertLive(others.id, 2);
    expect(ended.flat().sort()).toEqual([a.id, b.id].sort());
    expect((await service.listOf(1)).map((session) => session.id)).toEqual([kept.id]);

    await service.endAllSessionsOf(1);
    await expectEnded(kept.id, 1);
    await service.endAllSessionsOf(1);
    expect(ended).toHaveLength(2);
  });

  it('ends here those of the given sessions that ended while news could not arrive', async () => {
    const live = await service.start(1, undefined, expiresAt());
    const endedElsewhere = await service.start(1, undefined, expiresAt());
    await service.assertLive(endedElsewhere.id, 1);
    await store.delete(endedElsewhere.id);

    await service.endMissed([live.id, endedElsewhere.id, endedElsewhere.id]);

    expect(ended).toEqual([[endedElsewhere.id]]);
    await expectEnded(endedElsewhere.id, 1);
    await service.assertLive(live.id, 1);
    await service.endMissed([live.id]);
    expect(ended).toHaveLength(1);
  });
});
