import { describe, expect, it } from 'vitest';
import { ExactDecimal } from '../../canonical/decimal.js';
import { QualityCodes } from '../../canonical/quality.js';
import { ZONE, dayOf } from './__fixtures__/days.js';
import { checkSpike, median } from './spike.js';

// Wednesdays: the like days of 2024-06-12.
const likeDays = [dayOf('2024-05-22', '0.5'), dayOf('2024-05-29', '0.4'), dayOf('2024-06-05', '0.6')];
const options = { factor: '5', minHistoryDays: 3, medianFloor: '0' };

describe('checkSpike', () => {
  it('flags a value 10× the like-day median as suspect', () => {
    const day = dayOf('2024-06-12', '0.5', { 30: '5' });
    const found = checkSpike({ day, likeDays, timeZone: ZONE }, options);
    expect(found.failures).toEqual([expect.objectContaining({ index: 30, rule: 'spike', quality: QualityCodes.SUSPECT, action: 'estimate' })]);
    expect(found.exceptions).toHaveLength(1);
  });

  it('passes a normal day, and a value exactly factor × median', () => {
    expect(checkSpike({ day: dayOf('2024-06-12', '0.55'), likeDays, timeZone: ZONE }, options)).toEqual({ failures: [], exceptions: [] });
    expect(checkSpike({ day: dayOf('2024-06-12', '0.5', { 3: '2.5' }), likeDays, timeZone: ZONE }, options).failures).toEqual([]);
  });

  it('gives no verdict without enough like days', () => {
    const day = dayOf('2024-06-12', '0.5', { 30: '50' });
    expect(checkSpike({ day, likeDays: likeDays.slice(0, 2), timeZone: ZONE }, options).failures).toEqual([]);
  });

  it('matches a 23-hour day to like days by local time, not by index', () => {
    // 2024-03-10: 02:00–03:00 does not exist; index 8 is 03:00 local. History is high only at 03:00.
    const history = ['2024-02-18', '2024-02-25', '2024-03-03'].map((date) => dayOf(date, '0.1', { 12: '4', 13: '4', 14: '4', 15: '4' }));
    const day = dayOf('2024-03-10', '0.1', { 8: '4' });
    expect(day.values).toHaveLength(92);
    expect(checkSpike({ day, likeDays: history, timeZone: ZONE }, options).failures).toEqual([]);
  });

  it('takes the middle of an even count as the mean of the two middle values', () => {
    expect(median(['1', '4', '2', '3'].map((text) => new ExactDecimal(text))).toFixed()).toBe('2.5');
  });
});
