import { describe, expect, it } from 'vitest';
import type { Register } from '../../canonical/model/meter.js';
import { type MeterService, type RegisterReadInput, registerConsumption } from './register-consumption.js';

const CCF_REG = '0.0.0.1.1.7.12.0.0.0.0.0.0.0.0.2.119.0';
const OTHER_REG = '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0';
const OLD = '0190a0e1-0000-7000-8000-0000000000e1';
const NEW = '0190a0e1-0000-7000-8000-0000000000e2';
/** April 2024 in Chicago; the exchange at 12:00 local on the 15th. */
const PERIOD = { start: '2024-04-01T05:00:00.000Z', end: '2024-05-01T05:00:00.000Z' };
const EXCHANGE = '2024-04-15T17:00:00.000Z';
const FOUR_DIGITS: Register = { readingType: CCF_REG, leftDigitCount: 4, rightDigitCount: 0 };
const FIVE_DIGITS: Register = { readingType: CCF_REG, leftDigitCount: 5, rightDigitCount: 1 };

const services = (oldRegisters: Register[] = [FOUR_DIGITS]): MeterService[] => [
  // Given out of order: the result must not depend on it.
  { meter: NEW, validFrom: EXCHANGE, registers: [FIVE_DIGITS] },
  { meter: OLD, validFrom: '2019-06-01T05:00:00.000Z', validTo: EXCHANGE, registers: oldRegisters },
];

function read(meter: string, timeStamp: string, value: string | null, qualities: string[] = [], readingType = CCF_REG): RegisterReadInput {
  return { meter, readingType, register: '', timeStamp, value, qualities };
}

/** The old dial goes 9950 → 9990 → 0030 (past 9999), the new one 0 → 20.5 → 45.5. */
const READS: RegisterReadInput[] = [
  read(OLD, PERIOD.start, '9950'),
  read(OLD, '2024-04-08T05:00:00.000Z', '9990'),
  read(OLD, EXCHANGE, '30'),
  read(NEW, EXCHANGE, '0'),
  read(NEW, '2024-04-22T05:00:00.000Z', '20.5'),
  read(NEW, PERIOD.end, '45.5'),
  read(NEW, PERIOD.end, '777', [], OTHER_REG),
];

describe('register consumption across a meter exchange', () => {
  it('adds each meter\'s advance in its own part of the period, the removed dial rolling over once', () => {
    const result = registerConsumption(CCF_REG, PERIOD, services(), READS);
    expect(result.value).toBe('125.5');
    expect(result.counts).toEqual({ actual: 4, estimated: 0, missing: 0 });
    expect(result.meterReads).toEqual([
      { meter: OLD, startTimeStamp: PERIOD.start, startValue: '9950', endTimeStamp: EXCHANGE, endValue: '30', consumption: '80', rollovers: 1 },
      { meter: NEW, startTimeStamp: EXCHANGE, startValue: '0', endTimeStamp: PERIOD.end, endValue: '45.5', consumption: '45.5', rollovers: 0 },
    ]);
  });

  it('counts the exchange instant once per meter: the final read is the old meter\'s, the initial one the new meter\'s', () => {
    // A stray read of the removed meter after the exchange belongs to no part of the period.
    const result = registerConsumption(CCF_REG, PERIOD, services(), [...READS, read(OLD, '2024-04-20T05:00:00.000Z', '9000')]);
    expect(result.value).toBe('125.5');
  });

  it('cannot explain a step down without a digit count: the dial adds nothing and its reads count as missing', () => {
    const result = registerConsumption(CCF_REG, PERIOD, services([]), READS);
    expect(result.value).toBe('45.5');
    expect(result.counts).toEqual({ actual: 2, estimated: 0, missing: 2 });
    expect(result.meterReads.map((span) => span.meter)).toEqual([NEW]);
  });

  it('counts a boundary without a read there as missing and an estimated boundary read as estimated', () => {
    const withoutEnd = READS.filter((entry) => !(entry.meter === NEW && entry.timeStamp === PERIOD.end));
    const partial = registerConsumption(CCF_REG, PERIOD, services(), withoutEnd);
    expect([partial.value, partial.counts]).toEqual(['100.5', { actual: 3, estimated: 0, missing: 1 }]);
    const estimated = READS.map((entry) => (entry.meter === NEW && entry.timeStamp === PERIOD.end && entry.readingType === CCF_REG ? { ...entry, qualities: ['3.8.1'] } : entry));
    expect(registerConsumption(CCF_REG, PERIOD, services(), estimated).counts).toEqual({ actual: 3, estimated: 1, missing: 0 });
  });

  it('counts both boundaries of a meter without reads as missing, and skips values missing in the store', () => {
    const result = registerConsumption(CCF_REG, PERIOD, services(), [read(OLD, PERIOD.start, '9950'), read(OLD, EXCHANGE, null)]);
    expect(result.value).toBe('0');
    expect(result.counts).toEqual({ actual: 1, estimated: 0, missing: 3 });
  });

  it('counts a period no meter served as missing, not as zero consumption', () => {
    expect(registerConsumption(CCF_REG, PERIOD, [], READS).counts).toEqual({ actual: 0, estimated: 0, missing: 2 });
    const later: MeterService = { meter: NEW, validFrom: PERIOD.end, registers: [] };
    expect(registerConsumption(CCF_REG, PERIOD, [later], READS).counts.missing).toBe(2);
  });

  it('names the register of a meter with several, and finds its digits by name', () => {
    const named: MeterService = { meter: NEW, validFrom: PERIOD.start, registers: [{ ...FOUR_DIGITS, name: 'day' }, { ...FIVE_DIGITS, name: 'night' }] };
    const reads: RegisterReadInput[] = [
      { ...read(NEW, PERIOD.start, '9999'), register: 'day' },
      { ...read(NEW, PERIOD.end, '1'), register: 'day' },
      { ...read(NEW, PERIOD.start, '99999'), register: 'night' },
      { ...read(NEW, PERIOD.end, '3'), register: 'night' },
    ];
    const result = registerConsumption(CCF_REG, PERIOD, [named], reads);
    expect(result.meterReads.map((span) => [span.register, span.consumption, span.rollovers])).toEqual([
      ['day', '2', 1],
      ['night', '4', 1],
    ]);
    expect(result.value).toBe('6');
  });
});
