import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { checkConflictingDuplicates } from './conflicting-duplicates.js';
import { dayOf } from './__fixtures__/days.js';

const day = dayOf('2024-06-12', '1');

describe('checkConflictingDuplicates', () => {
  it('flags an interval delivered twice with different values, for review', () => {
    const found = checkConflictingDuplicates(
      {
        day,
        receipts: [
          { intervalStart: '2024-06-12T05:00:00.000Z', value: '1.2', source: 'file 202406120600' },
          { intervalStart: '2024-06-12T05:00:00.000Z', value: '1.3', source: 'file 202406130600' },
          { intervalStart: '2024-06-12T05:15:00.000Z', value: '1.10', source: 'file 202406120600' },
          { intervalStart: '2024-06-12T05:15:00.000Z', value: '1.1', source: 'file 202406130600' },
        ],
      },
      {},
    );
    expect(found.failures).toEqual([expect.objectContaining({ index: 4, quality: QualityCodes.SUSPECT, action: 'review' })]);
    expect(found.failures[0]?.message).toContain('1.2 (file 202406120600), 1.3 (file 202406130600)');
    expect(found.exceptions).toHaveLength(1);
  });

  it('ignores receipts of another day', () => {
    const receipts = [
      { intervalStart: '2024-06-13T05:00:00.000Z', value: '1', source: 'a' },
      { intervalStart: '2024-06-13T05:00:00.000Z', value: '2', source: 'b' },
    ];
    expect(checkConflictingDuplicates({ day, receipts }, {}).failures).toEqual([]);
  });
});
