import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { dayOf } from './__fixtures__/days.js';
import { checkReverseFlow } from './reverse-flow.js';

const day = dayOf('2024-06-12', '0.2', { 50: '-0.3', 51: '-0' });

describe('checkReverseFlow', () => {
  it('flags a negative interval on a point that is not net-metered (negative zero is zero)', () => {
    const found = checkReverseFlow({ day, netMetered: false }, {});
    expect(found.failures).toEqual([expect.objectContaining({ index: 50, quality: QualityCodes.SUSPECT, rule: 'reverse-flow' })]);
    expect(found.exceptions[0]?.severity).toBe('error');
  });

  it('says nothing on a net-metered point', () => {
    expect(checkReverseFlow({ day, netMetered: true }, {})).toEqual({ failures: [], exceptions: [] });
  });
});
