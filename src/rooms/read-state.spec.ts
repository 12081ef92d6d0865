import { jest } from '@jest/globals';
import type { ReadEvent } from '../contract/events';
import { ReadState } from './read-state';
import type { ReadMark } from './room';
import { RoomActivity, type ReadingState, type UnreadCounts } from './room-activity';
import { RoomEvents } from './room-events';
import { RoomsMemoryRepository } from './rooms.memory.repository';

const ROOM = 1;
const ALICE = { id: 7, username: 'alice' };

/** The newest message is 100; every position leaves (100 - position) unread. */
class FixedActivity extends RoomActivity {
  constructor(private readonly rooms: RoomsMemoryRepository) {
    super();
  }

  async newestMessageId(): Promise<number> {
    return 100;
  }

  async forgetRoom(): Promise<void> {}

  async readingState(roomId: number, userId: number): Promise<ReadingState> {
    return { lastReadId: await this.rooms.readPosition(roomId, userId), newestId: 100 };
  }

  async unreadCounts(
    _userId: number,
    positions: readonly { roomId: number; lastReadId: number }[],
  ): Promise<Map<number, UnreadCounts>> {
    return new Map(positions.map((p) => [p.roomId, { unread: 100 - p.lastReadId, mentions: 0 }]));
  }
}

class RecordingEvents extends RoomEvents {
  readonly reads: { userId: number; event: ReadEvent }[] = [];
  async memberJoined(): Promise<void> {}
  async memberLeft(): Promise<void> {}
  async roomAdded(): Promise<void> {}
  roomUpdated(): void {}
  async roomDeleted(): Promise<void> {}
  async memberRemoved(): Promise<void> {}
  readMoved(userId: number, event: ReadEvent): void {
    this.reads.push({ userId, event });
  }
}

/** Counts the statements that store read positions. */
class CountingRooms extends RoomsMemoryRepository {
  readonly saves: ReadMark[][] = [];
  override async saveReadMarks(marks: readonly ReadMark[]): Promise<void> {
    this.saves.push([...marks]);
    return super.saveReadMarks(marks);
  }
}

describe('ReadState', () => {
  let rooms: CountingRooms;
  let events: RecordingEvents;
  let state: ReadState;

  beforeEach(async () => {
    jest.useFakeTimers();
    rooms = new CountingRooms();
    events = new RecordingEvents();
    state = new ReadState(rooms, new FixedActivity(rooms), events);
    await rooms.addMember(ROOM, ALICE.id, 10);
  });
  afterEach(() => jest.useRealTimers());

  it('stores a burst of marks once a second, the latest winning, and tells the user each move', async () => {
    for (let id = 11; id <= 60; id++) await state.mark(ALICE, ROOM, id);

    expect(rooms.saves).toEqual([]);
    expect(state.position(ROOM, ALICE.id, 10)).toBe(60);
    expect(events.reads).toHaveLength(50);
    expect(events.reads.at(-1)).toEqual({
      userId: ALICE.id,
      event: { room_id: ROOM, last_read_id: 60, unread_count: 40, mention_count: 0 },
    });

    await jest.advanceTimersByTimeAsync(1_000);
    expect(rooms.saves).toEqual([[{ roomId: ROOM, userId: ALICE.id, lastReadId: 60 }]]);
    expect(await rooms.readPosition(ROOM, ALICE.id)).toBe(60);

    await jest.advanceTimersByTimeAsync(5_000);
    expect(rooms.saves).toHaveLength(1);
  });

  it('never moves back and stops at the newest message, telling nobody of a non-move', async () => {
    await state.mark(ALICE, ROOM, 5);
    await state.mark(ALICE, ROOM, 500);
    await state.mark(ALICE, ROOM, 50);

    expect(events.reads.map((read) => read.event.last_read_id)).toEqual([100]);
    await state.flush();
    expect(await rooms.readPosition(ROOM, ALICE.id)).toBe(100);
  });

  it("stores one user's marks at once when asked (a connection closed), and all at shutdown", async () => {
    const bob = { id: 8, username: 'bob' };
    await rooms.addMember(ROOM, bob.id, 0);
    await state.mark(ALICE, ROOM, 20);
    await state.mark(bob, ROOM, 30);

    await state.flush(ALICE.id);
    expect(rooms.saves).toEqual([[{ roomId: ROOM, userId: ALICE.id, lastReadId: 20 }]]);

    await state.beforeApplicationShutdown();
    expect(rooms.saves.at(-1)).toEqual([{ roomId: ROOM, userId: bob.id, lastReadId: 30 }]);
    expect(await rooms.readPosition(ROOM, bob.id)).toBe(30);
  });

  it('keeps marks whose store failed for the next flush', async () => {
    await state.mark(ALICE, ROOM, 20);
    const save = jest.spyOn(rooms, 'saveReadMarks').mockRejectedValueOnce(new Error('down'));

    await state.flush();
    expect(state.position(ROOM, ALICE.id, 10)).toBe(20);
    save.mockRestore();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(await rooms.readPosition(ROOM, ALICE.id)).toBe(20);
  });

  it('refuses a room the user is not a member of', async () => {
    await expect(state.mark({ id: 99, username: 'x' }, ROOM, 5)).rejects.toMatchObject({
      code: 'not_a_member',
    });
    await expect(state.mark(ALICE, 404, 5)).rejects.toMatchObject({ code: 'room_not_found' });
  });
});
