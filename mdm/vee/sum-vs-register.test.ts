import { describe, expect, it } from 'vitest';
import { QualityCodes } from '../../canonical/quality.js';
import { dayOf } from './__fixtures__/days.js';
import { checkSumVsRegister, type RegisterSnapshot } from './sum-vs-register.js';

// 96 × 0.1 = 9.6 exactly in decimals; a float sum gives 9.599999999999984.
const day = dayOf('2024-06-12', '0.1');
const start: RegisterSnapshot = { timeStamp: '2024-06-12T04:00:00Z', value: '1000.0', qualities: [] };
const end = (value: string): RegisterSnapshot => ({ timeStamp: '2024-06-13T04:00:00Z', value, qualities: [] });
const exact = { toleranceAbsolute: '0', tolerancePercent: '0', registerMultiplier: '1' };

describe('checkSumVsRegister', () => {
  it('passes an exact match with zero tolerance (decimal, not float)', () => {
    const found = checkSumVsRegister({ days: [day], startRead: start, endRead: end('1009.6'), meterExchanges: [] }, exact);
    expect(found.outcome).toEqual({ status: 'passed', intervalSum: '9.6', expected: '9.6' });
  });

  it('passes within tolerance (inclusive) and fails outside it, marking the window for review', () => {
    const tolerance = { ...exact, toleranceAbsolute: '0.1' };
    expect(checkSumVsRegister({ days: [day], startRead: start, endRead: end('1009.7'), meterExchanges: [] }, tolerance).outcome.status).toBe('passed');
    const failed = checkSumVsRegister({ days: [day], startRead: start, endRead: end('1009.71'), meterExchanges: [] }, tolerance);
    expect(failed.outcome.status).toBe('failed');
    expect(failed.failures).toHaveLength(96);
    expect(failed.failures[0]).toMatchObject({ quality: QualityCodes.SUSPECT, action: 'review', rule: 'sum-check' });
    expect(failed.exceptions[0]).toMatchObject({ severity: 'error', periodStart: start.timeStamp });
  });

  it('applies a percentage tolerance and the calculation constant', () => {
    const input = { days: [day], startRead: start, endRead: end('1000.97'), meterExchanges: [] };
    // delta 0.97 × 10 = 9.7, off by 0.1: 2 % of 9.7 (0.194) allows it, 1 % (0.097) does not.
    expect(checkSumVsRegister(input, { ...exact, tolerancePercent: '2', registerMultiplier: '10' }).outcome.status).toBe('passed');
    expect(checkSumVsRegister(input, { ...exact, tolerancePercent: '1', registerMultiplier: '10' }).outcome.status).toBe('failed');
  });

  it.each([
    ['an estimated interval', { days: [dayOf('2024-06-12', '0.1', {}, { 3: [QualityCodes.ESTIMATED] })], startRead: start, endRead: end('1050'), meterExchanges: [] }, /estimated/],
    ['a missing interval', { days: [dayOf('2024-06-12', '0.1', { 3: null })], startRead: start, endRead: end('1050'), meterExchanges: [] }, /missing/],
    ['a meter exchange', { days: [day], startRead: start, endRead: end('1050'), meterExchanges: ['2024-06-12T15:00:00Z'] }, /meter exchange/],
    ['a rollover', { days: [day], startRead: { ...start, value: '99999.5' }, endRead: end('9.1'), meterExchanges: [] }, /rollover/],
    ['an uncovered window', { days: [day], startRead: start, endRead: { ...end('1050'), timeStamp: '2024-06-13T05:00:00Z' }, meterExchanges: [] }, /96 of 100/],
  ])('is skipped, never failed, for %s (cmep.md §12)', (_name, input, reason) => {
    const found = checkSumVsRegister(input, exact);
    expect(found.outcome).toEqual({ status: 'skipped', reason: expect.stringMatching(reason) });
    expect(found.failures).toEqual([]);
  });
});
