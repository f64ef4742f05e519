import { describe, expect, it } from 'vitest';
import { WallClock } from './clock.js';

const MINUTE = 60_000;

describe('WallClock (cmep.md §7)', () => {
  it('a clock reused across DST days resolves every wall minute as a fresh clock does', () => {
    const zone = 'America/Los_Angeles';
    const reused = new WallClock(zone);
    for (const day of [Date.UTC(2024, 2, 9), Date.UTC(2024, 10, 2)]) {
      // Two passes over three days around each transition: the second pass answers from the caches.
      for (let pass = 0; pass < 2; pass++) {
        let previous = Number.NEGATIVE_INFINITY;
        for (let wall = day; wall < day + 3 * 1440 * MINUTE; wall += 15 * MINUTE) {
          const expected = new WallClock(zone).resolve(wall, previous);
          const got = reused.resolve(wall, previous);
          expect(Number.isNaN(got) ? 'gap' : got).toBe(Number.isNaN(expected) ? 'gap' : expected);
          if (!Number.isNaN(got)) previous = got;
        }
      }
    }
  });

  it('the repeated fall-back hour still takes the instant after the previous one', () => {
    const clock = new WallClock('America/Los_Angeles');
    const wall = Date.UTC(2024, 10, 3, 1, 30);
    clock.resolve(Date.UTC(2024, 10, 3, 0, 30), Number.NEGATIVE_INFINITY);
    const daylight = clock.resolve(wall, Number.NEGATIVE_INFINITY);
    expect(new Date(daylight).toISOString()).toBe('2024-11-03T08:30:00.000Z');
    expect(new Date(clock.resolve(wall, daylight)).toISOString()).toBe('2024-11-03T09:30:00.000Z');
    expect(clock.resolve(Date.UTC(2024, 2, 10, 2, 30), Number.NEGATIVE_INFINITY)).toBeNaN();
  });
});
