import { describe, expect, it } from 'vitest';
import { checkStaleMeter } from './stale-meter.js';

const last = '2024-06-09T04:00:00Z';

describe('checkStaleMeter', () => {
  it('is stale at exactly 72 h (inclusive), not a millisecond before', () => {
    expect(checkStaleMeter({ lastReadingAt: last, now: '2024-06-12T04:00:00Z' }, { hours: 72 }).exceptions).toEqual([
      expect.objectContaining({ rule: 'stale-meter', periodStart: last, periodEnd: '2024-06-12T04:00:00Z' }),
    ]);
    expect(checkStaleMeter({ lastReadingAt: last, now: '2024-06-12T03:59:59.999Z' }, { hours: 72 }).exceptions).toEqual([]);
  });

  it('uses the configured 5-day limit', () => {
    expect(checkStaleMeter({ lastReadingAt: last, now: '2024-06-12T04:00:00Z' }, { hours: 120 }).exceptions).toEqual([]);
    expect(checkStaleMeter({ lastReadingAt: last, now: '2024-06-14T04:00:00Z' }, { hours: 120 }).exceptions).toHaveLength(1);
  });

  it('has nothing to say about a point that never reported', () => {
    expect(checkStaleMeter({ lastReadingAt: null, now: '2024-06-14T04:00:00Z' }, { hours: 72 }).exceptions).toEqual([]);
  });
});
