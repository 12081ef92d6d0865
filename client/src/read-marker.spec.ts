import { describe, expect, it } from '@jest/globals';
import { READ_DELAY_MS, ReadMarker } from './read-marker';
import { ManualClock } from './spec-fixtures';

function setup(fail = false) {
  const clock = new ManualClock();
  const sent: [number, number][] = [];
  const marker = new ReadMarker({
    clock,
    send: (roomId, lastReadId) => {
      sent.push([roomId, lastReadId]);
      return fail ? Promise.reject(new Error('offline')) : Promise.resolve();
    },
  });
  return { clock, sent, marker };
}

describe('ReadMarker', () => {
  it('tells one position per room for the messages of a moment, the newest', () => {
    const { clock, sent, marker } = setup();
    marker.read(1, 10);
    marker.read(1, 11);
    marker.read(2, 5);
    marker.read(1, 12);
    expect(sent).toEqual([]);
    clock.advance(READ_DELAY_MS);
    expect(sent).toEqual([
      [1, 12],
      [2, 5],
    ]);
    expect(marker.waiting).toBe(false);
  });

  it('never tells a position twice, nor one behind what the server knows', () => {
    const { clock, sent, marker } = setup();
    marker.read(1, 10);
    clock.advance(READ_DELAY_MS);
    marker.read(1, 10);
    marker.read(1, 9);
    marker.known(2, 30);
    marker.read(2, 20);
    clock.advance(READ_DELAY_MS);
    expect(sent).toEqual([[1, 10]]);
    expect(clock.delays()).toEqual([]);
  });

  it('drops a waiting position the server learns from another tab', () => {
    const { clock, sent, marker } = setup();
    marker.read(1, 10);
    marker.known(1, 12);
    clock.advance(READ_DELAY_MS);
    expect(sent).toEqual([]);
  });

  it('tells at once on flush (the page is hidden, the room left), then nothing after stop', () => {
    const { clock, sent, marker } = setup();
    marker.read(1, 10);
    marker.flush();
    expect(sent).toEqual([[1, 10]]);
    expect(clock.delays()).toEqual([]);
    marker.read(1, 11);
    marker.stop();
    marker.read(1, 12);
    clock.advance(READ_DELAY_MS);
    expect(sent).toEqual([
      [1, 10],
      [1, 11],
    ]);
  });

  it('tells a position again after a failure', async () => {
    const { clock, sent, marker } = setup(true);
    marker.read(1, 10);
    clock.advance(READ_DELAY_MS);
    await Promise.resolve();
    await Promise.resolve();
    marker.read(1, 10);
    clock.advance(READ_DELAY_MS);
    expect(sent).toEqual([
      [1, 10],
      [1, 10],
    ]);
  });
});
