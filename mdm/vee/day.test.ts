import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { consecutiveDaysEndingWith, dayEnd, presentValue, previousLocalDate } from './day.js';
import { dayOf } from './__fixtures__/days.js';

describe('VEE day helpers', () => {
  it('steps back across month and year ends', () => {
    expect(previousLocalDate('2024-03-01')).toBe('2024-02-29');
    expect(previousLocalDate('2025-01-01')).toBe('2024-12-31');
  });

  it('walks back over consecutive days only, stopping at the first absent date', () => {
    const run = consecutiveDaysEndingWith(dayOf('2024-06-12', '0'), [dayOf('2024-06-09', '0'), dayOf('2024-06-11', '0')]);
    expect(run.map((day) => day.localDate)).toEqual(['2024-06-12', '2024-06-11']);
  });

  it('ends a day by its own vector and reads a missing-coded placeholder as no value', () => {
    expect(dayEnd(dayOf('2024-11-03', '1'))).toBe('2024-11-04T05:00:00.000Z');
    const day = dayOf('2024-06-12', '1', { 2: '0' }, { 2: [QualityCodes.MISSING] });
    expect(presentValue(day, 2)).toBeNull();
    expect(presentValue(day, 3)?.toFixed()).toBe('1');
  });
});
