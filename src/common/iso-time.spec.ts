import fc from 'fast-check';
import { isoTime } from './iso-time';

describe('isoTime', () => {
  it('writes what toISOString writes, for any time', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(isoTime(date)).toBe(date.toISOString());
      }),
      { numRuns: 20_000 },
    );
  });

  it('writes the edges of days and of its fast range like toISOString', () => {
    const edges = [0, 1, 86_399_999, 86_400_000, 951_782_400_000, 253_402_300_799_999];
    for (const ms of [...edges, -1, 253_402_300_800_000]) {
      expect(isoTime(new Date(ms))).toBe(new Date(ms).toISOString());
    }
  });
});
