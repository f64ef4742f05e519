import { describe, expect, it } from 'vitest';
import { InputError } from '../../canonical/errors.js';
import { QualityCodes } from '../../canonical/quality.js';
import { ReadingTypeCodes } from '../../canonical/reading-type.js';
import { hasMeasuringPeriod, isEstimatedInterval, multiplyDecimals, rolledQualities, rollUpProblem, sumDecimals, withMeasuringPeriod } from './roll-up.js';

describe('roll-up', () => {
  it('gives a rolled interval the strongest statement of its parts: estimated, then edited, then validated only if all are', () => {
    expect(rolledQualities([[QualityCodes.VALIDATED], [QualityCodes.ESTIMATED, QualityCodes.VALIDATED], [QualityCodes.EDITED]])).toEqual([QualityCodes.ESTIMATED]);
    expect(rolledQualities([[QualityCodes.VALIDATED], ['1.7.0']])).toEqual([QualityCodes.EDITED]);
    expect(rolledQualities([[QualityCodes.VALIDATED], [QualityCodes.VALIDATED, QualityCodes.SUSPECT]])).toEqual([QualityCodes.VALIDATED]);
    expect(rolledQualities([[QualityCodes.VALIDATED], []])).toEqual([]);
  });

  it('counts an interval as estimated only when it has a value', () => {
    expect(isEstimatedInterval('1.5', ['2.8.0'])).toBe(true);
    expect(isEstimatedInterval(null, [QualityCodes.ESTIMATED])).toBe(false);
    expect(isEstimatedInterval('0', [QualityCodes.MISSING, QualityCodes.ESTIMATED])).toBe(false);
    expect(isEstimatedInterval('1.5', [QualityCodes.VALIDATED])).toBe(false);
  });

  it('sums and multiplies exactly, without binary float drift', () => {
    expect(sumDecimals(['0.1', '0.2', '0.30', '-0.05'])).toBe('0.55');
    expect(multiplyDecimals('0.1', '3')).toBe('0.3');
    expect(multiplyDecimals('0.250', '1')).toBe('0.250');
  });

  it('only rolls up to whole multiples of the stored interval', () => {
    expect(rollUpProblem(900, 3600)).toBeUndefined();
    expect(rollUpProblem(900, 900)).toBeUndefined();
    expect(rollUpProblem(900, 300)).toBe('300 s intervals would be finer than the stored 900 s: roll-up only sums intervals into coarser ones');
    expect(rollUpProblem(600, 900)).toBe('900 s is not a whole number of the stored 600 s intervals');
  });

  it('names the rolled values with the new measuring period (ReadingType field 3)', () => {
    expect(withMeasuringPeriod(ReadingTypeCodes.IntervalKwhForward15Min, 3600)).toBe(ReadingTypeCodes.IntervalKwhForward60Min);
    expect(withMeasuringPeriod(ReadingTypeCodes.IntervalKwhForward15Min, 300)).toBe('0.0.6.4.1.1.12.0.0.0.0.0.0.0.0.3.72.0');
    expect(hasMeasuringPeriod(900)).toBe(true);
    expect(hasMeasuringPeriod(420)).toBe(false);
    expect(() => withMeasuringPeriod(ReadingTypeCodes.IntervalKwhForward15Min, 420)).toThrow(InputError);
  });
});
