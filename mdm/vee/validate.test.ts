import { describe, expect, it } from 'vitest';
import { newEvent } from '../../canonical/events/validate.js';
import { EventType } from '../../canonical/events/names.js';
import { VeeExceptionSchema } from '../../canonical/model/vee-exception.js';
import { QualityCodes } from '../../canonical/quality.js';
import { ReadingTypeCodes } from '../../canonical/reading-type.js';
import { VeeRuleSchema, type VeeRule } from './config.js';
import { runVee, type VeeInput } from './validate.js';
import { USAGE_POINT, ZONE, dayOf } from './__fixtures__/days.js';

const rule = (raw: unknown): VeeRule => VeeRuleSchema.parse(raw);
const rules = [
  rule({ rule: 'gaps', order: 10, effectiveFrom: '2024-01-01' }),
  rule({ rule: 'reverse-flow', order: 20, effectiveFrom: '2024-01-01' }),
  rule({ rule: 'high-low', order: 30, effectiveFrom: '2024-01-01', high: '3' }),
  rule({ rule: 'spike', order: 40, effectiveFrom: '2024-01-01', factor: '5' }),
  rule({ rule: 'stale-meter', order: 50, effectiveFrom: '2024-01-01' }),
];
const now = '2024-06-13T12:00:00Z';
const likeDays = ['2024-05-22', '2024-05-29', '2024-06-05'].map((date) => dayOf(date, '0.5'));

function input(day: VeeInput['day']): VeeInput {
  return {
    usagePoint: { mRID: USAGE_POINT, rateClass: 'RES', netMetered: false },
    readingType: ReadingTypeCodes.IntervalKwhForward15Min,
    timeZone: ZONE,
    day,
    likeDays,
    lastReadingAt: '2024-06-13T04:00:00Z',
  };
}

describe('runVee', () => {
  const day = dayOf('2024-06-12', '0.5', { 10: null, 11: null, 12: null, 20: '-1', 30: '5' }, { 0: [QualityCodes.POWER_FAIL], 1: [QualityCodes.VALIDATED] });
  const result = runVee(input(day), rules, now);

  it('ends every interval with its codes: validated when it passed, failures kept, prior codes kept', () => {
    expect(result.qualities).toHaveLength(96);
    expect(result.qualities[0]).toEqual([QualityCodes.POWER_FAIL, QualityCodes.VALIDATED]);
    expect(result.qualities[1]).toEqual([QualityCodes.VALIDATED]);
    expect(result.qualities[10]).toEqual([QualityCodes.MISSING]);
    expect(result.qualities[20]).toEqual([QualityCodes.SUSPECT]);
    // 5 is above high 3 and 10× the like-day median: both codes, in rule order.
    expect(result.qualities[30]).toEqual([QualityCodes.OUT_OF_RANGE, QualityCodes.SUSPECT]);
    expect(result.intervals[30]?.failures.map((failure) => failure.rule)).toEqual(['high-low', 'spike']);
  });

  it('lists the intervals estimation must fill', () => {
    expect(result.needsEstimation).toEqual([10, 11, 12, 20, 30]);
    expect(result.needsReview).toEqual([]);
  });

  it('raises exceptions in rule order, each a valid vee_exception.raised payload', () => {
    expect(result.rules).toEqual(['gaps', 'reverse-flow', 'high-low', 'spike', 'stale-meter']);
    expect(result.exceptions.map((exception) => exception.rule)).toEqual(['gaps', 'reverse-flow', 'high-low', 'spike']);
    for (const exception of result.exceptions) {
      expect(VeeExceptionSchema.safeParse(exception).success).toBe(true);
      expect(newEvent(EventType.VeeExceptionRaised, exception, { source: 'busbar/mdm' }).data).toEqual(exception);
    }
  });

  it('follows the given order: reordering the rules reorders codes and exceptions', () => {
    const reversed = runVee(input(day), [...rules].reverse(), now);
    expect(reversed.qualities[30]).toEqual([QualityCodes.SUSPECT, QualityCodes.OUT_OF_RANGE]);
    expect(reversed.exceptions.map((exception) => exception.rule)).toEqual(['spike', 'high-low', 'reverse-flow', 'gaps']);
  });

  it('is deterministic', () => {
    expect(runVee(input(day), rules, now)).toEqual(result);
  });

  it('keeps an estimate estimated (never validated) and does not re-estimate it', () => {
    const estimated = runVee(input(dayOf('2024-06-12', '0.5', {}, { 4: [QualityCodes.ESTIMATED] })), rules, now);
    expect(estimated.qualities[4]).toEqual([QualityCodes.ESTIMATED]);
    expect(estimated.needsEstimation).toEqual([]);
  });

  it('sends a sum mismatch to review, not estimation, and reports the outcome', () => {
    const sumRule = rule({ rule: 'sum-check', order: 5, effectiveFrom: '2024-01-01', toleranceAbsolute: '0.01' });
    const checked = runVee(
      {
        ...input(dayOf('2024-06-12', '0.5', { 7: '9' })),
        registerReads: {
          start: { timeStamp: '2024-06-12T04:00:00Z', value: '100', qualities: [] },
          end: { timeStamp: '2024-06-13T04:00:00Z', value: '148', qualities: [] },
        },
      },
      [sumRule, ...rules],
      now,
    );
    expect(checked.sumCheck).toEqual({ status: 'failed', intervalSum: '56.5', expected: '48' });
    expect(checked.needsReview).toHaveLength(96);
    expect(checked.needsEstimation).toEqual([]);
  });

  it.each([
    ['2024-03-10', 92, '2024-03-11T04:00:00.000Z'],
    ['2024-11-03', 100, '2024-11-04T05:00:00.000Z'],
  ])('handles the DST day %s with %i intervals', (localDate, count, dayEnd) => {
    const dst = runVee(input(dayOf(localDate, '0.5', { [count - 1]: null })), rules, '2024-11-05T00:00:00Z');
    expect(dst.qualities).toHaveLength(count);
    expect(dst.needsEstimation).toEqual([count - 1]);
    expect(dst.qualities[count - 2]).toEqual([QualityCodes.VALIDATED]);
    expect(dst.exceptions.find((exception) => exception.rule === 'gaps')?.periodEnd).toBe(dayEnd);
  });

  it('raises stale-meter from the passed-in now, not the clock', () => {
    const stale = runVee({ ...input(dayOf('2024-06-12', '0.5')), lastReadingAt: '2024-06-10T12:00:00Z' }, rules, now);
    expect(stale.exceptions.map((exception) => exception.rule)).toEqual(['stale-meter']);
  });
});
