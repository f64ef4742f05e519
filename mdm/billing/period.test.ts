import { describe, expect, it } from 'vitest';
import { resolveBillPeriod } from './period.js';

describe('bill periods', () => {
  it('reads local dates as midnights of the usage point\'s zone, and instants as they are', () => {
    expect(resolveBillPeriod('2024-11-01', '2024-12-01', 'America/New_York')).toEqual({ start: '2024-11-01T04:00:00.000Z', end: '2024-12-01T05:00:00.000Z' });
    expect(resolveBillPeriod('2024-11-01T00:00:00-04:00', '2024-12-01T05:00:00Z', 'UTC')).toEqual({ start: '2024-11-01T04:00:00.000Z', end: '2024-12-01T05:00:00.000Z' });
  });

  it('says which bound is wrong and why', () => {
    expect(resolveBillPeriod('2024-02-30', '2024-03-01', 'UTC')).toEqual({ field: 'from', problem: 'from "2024-02-30" is not a date' });
    expect(resolveBillPeriod('2024-03-01', 'tomorrow', 'UTC')).toEqual({ field: 'to', problem: 'to "tomorrow" is neither a local date (YYYY-MM-DD) nor an RFC 3339 date-time with an offset' });
    expect(resolveBillPeriod('2024-03-01', '2024-03-01', 'UTC')).toEqual({ field: 'to', problem: 'to 2024-03-01 must be after from 2024-03-01' });
    expect(resolveBillPeriod('2022-01-01', '2024-01-01', 'UTC')).toEqual({ field: 'to', problem: 'the period 2022-01-01 to 2024-01-01 spans more than 400 days' });
  });
});
