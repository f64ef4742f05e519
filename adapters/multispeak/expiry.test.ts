/** Expiry of Initiate… calls (multispeak.md §10 and §13 case 12): each version's element in, a deadline out. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_EXPIRY_SECONDS, deadlineOf, expirationTimeOf } from './expiry.js';
import { inputErrorOf } from './testing/errors.js';

const received = new Date('2024-05-01T10:00:00.000Z');
const at = (iso: string): Date => new Date(iso);

describe('deadlineOf: 3.0 expirationTime (a float, seconds per the WSDL text)', () => {
  it('reads seconds by default, with the leniencies of real traffic', () => {
    expect(deadlineOf({ version: '3.0', expirationTime: '120' }, received)).toStrictEqual({ deadline: at('2024-05-01T10:02:00.000Z'), warnings: [] });
    expect(deadlineOf({ version: '3.0', expirationTime: ' 1.5\n' }, received).deadline).toStrictEqual(at('2024-05-01T10:00:01.500Z'));
    expect(deadlineOf({ version: '3.0', expirationTime: '+30' }, received).deadline).toStrictEqual(at('2024-05-01T10:00:30.000Z'));
    expect(deadlineOf({ version: '3.0', expirationTime: '3.6E3' }, received).deadline).toStrictEqual(at('2024-05-01T11:00:00.000Z'));
    expect(deadlineOf({ version: '3.0', expirationTime: '.25' }, received).deadline).toStrictEqual(at('2024-05-01T10:00:00.250Z'));
  });

  it('reads the unit a partner is configured with', () => {
    expect(deadlineOf({ version: '3.0', expirationTime: '2' }, received, { unit: 'minutes' }).deadline).toStrictEqual(at('2024-05-01T10:02:00.000Z'));
    expect(deadlineOf({ version: '3.0', expirationTime: '90000' }, received, { unit: 'milliseconds' }).deadline).toStrictEqual(at('2024-05-01T10:01:30.000Z'));
  });

  it('refuses garbage, zero and negative values with an InputError naming the element', () => {
    const garbage = inputErrorOf(() => deadlineOf({ version: '3.0', expirationTime: 'soon', path: 'InitiateConnectDisconnect/expirationTime' }, received));
    expect(garbage.message).toBe('InitiateConnectDisconnect/expirationTime: expected a number (xs:float), got "soon"');
    expect(garbage.location).toStrictEqual({ field: 'InitiateConnectDisconnect/expirationTime' });
    expect(garbage.raw).toBe('soon');
    expect(inputErrorOf(() => deadlineOf({ version: '3.0', expirationTime: '0' }, received)).message).toBe('expirationTime: must be greater than zero, got "0"');
    expect(inputErrorOf(() => deadlineOf({ version: '3.0', expirationTime: '-5' }, received)).message).toBe('expirationTime: must be greater than zero, got "-5"');
    expect(inputErrorOf(() => deadlineOf({ version: '3.0', expirationTime: 'INF' }, received)).message).toContain('expected a number');
    expect(inputErrorOf(() => deadlineOf({ version: '3.0', expirationTime: '1,5' }, received)).message).toContain('expected a number');
    expect(inputErrorOf(() => deadlineOf({ version: '3.0', expirationTime: '  ' }, received)).message).toBe('expirationTime: is required but absent or empty');
  });

  it('cuts an absurdly long expiry to the cap and flags it', () => {
    const year = deadlineOf({ version: '3.0', expirationTime: '31536000' }, received);
    expect(year.deadline).toStrictEqual(new Date(received.getTime() + DEFAULT_MAX_EXPIRY_SECONDS * 1000));
    expect(year.warnings).toStrictEqual(['expirationTime: 31536000 seconds is longer than the 604800 s the hub allows; the deadline is cut to that']);
    // A float that overflows to Infinity is still only "too long".
    expect(deadlineOf({ version: '3.0', expirationTime: '1e400' }, received, { maxSeconds: 60 }).deadline).toStrictEqual(at('2024-05-01T10:01:00.000Z'));
    expect(() => deadlineOf({ version: '3.0', expirationTime: '1' }, received, { maxSeconds: 0 })).toThrow(RangeError);
  });

  it('gives a sub-millisecond expiry one millisecond, never the moment of receipt', () => {
    expect(deadlineOf({ version: '3.0', expirationTime: '0.0001' }, received).deadline).toStrictEqual(at('2024-05-01T10:00:00.001Z'));
  });
});

describe('deadlineOf: 4.1 expTime with units', () => {
  it('converts every timeUnits value', () => {
    const deadline = (expTime: string, units: string): string => deadlineOf({ version: '4.1', expTime, units }, received, { maxSeconds: 1e9 }).deadline.toISOString();
    expect(deadline('1500', 'Milliseconds')).toBe('2024-05-01T10:00:01.500Z');
    expect(deadline('45', 'Seconds')).toBe('2024-05-01T10:00:45.000Z');
    expect(deadline('5', 'Minutes')).toBe('2024-05-01T10:05:00.000Z');
    expect(deadline('1.5', 'Hours')).toBe('2024-05-01T11:30:00.000Z');
    expect(deadline('2', 'Days')).toBe('2024-05-03T10:00:00.000Z');
    expect(deadline('1', 'Weeks')).toBe('2024-05-08T10:00:00.000Z');
    // Gregorian mean month (30.436875 days) and year (365.2425 days).
    expect(deadline('1', 'Months')).toBe('2024-05-31T20:29:06.000Z');
    expect(deadline('1', 'Years')).toBe('2025-05-01T15:49:12.000Z');
  });

  it('takes a units value in the wrong case with a warning, and an absent or Unknown unit as the partner unit', () => {
    const lower = deadlineOf({ version: '4.1', expTime: '10', units: 'minutes' }, received);
    expect(lower.deadline).toStrictEqual(at('2024-05-01T10:10:00.000Z'));
    expect(lower.warnings).toStrictEqual(['expTime/@units: enumeration value "minutes" read as "Minutes"']);
    const absent = deadlineOf({ version: '4.1', expTime: '10' }, received, { unit: 'minutes' });
    expect(absent.deadline).toStrictEqual(at('2024-05-01T10:10:00.000Z'));
    expect(absent.warnings).toStrictEqual(["expTime/@units: absent; read in the partner's unit (minutes)"]);
    const unknown = deadlineOf({ version: '4.1', expTime: '10', units: 'Unknown' }, received);
    expect(unknown.deadline).toStrictEqual(at('2024-05-01T10:00:10.000Z'));
    expect(unknown.warnings).toStrictEqual([`expTime/@units: "Unknown" names no duration; read in the partner's unit (seconds)`]);
  });

  it('refuses a unit that is no timeUnits value, and a bad amount, naming the element', () => {
    const fortnights = inputErrorOf(() => deadlineOf({ version: '4.1', expTime: '1', units: 'Fortnights' }, received));
    expect(fortnights.message).toMatch(/^expTime\/@units: unknown value "Fortnights"; expected one of Milliseconds, Seconds, Minutes, Hours, Days, Weeks, Months, Years/);
    expect(inputErrorOf(() => deadlineOf({ version: '4.1', expTime: 'ten', units: 'Minutes' }, received)).message).toBe('expTime: expected a number (xs:float), got "ten"');
    expect(inputErrorOf(() => deadlineOf({ version: '4.1', expTime: '-1', units: 'Minutes' }, received)).message).toBe('expTime: must be greater than zero, got "-1"');
  });

  it('cuts 2 years to the cap, flagged', () => {
    const long = deadlineOf({ version: '4.1', expTime: '2', units: 'Years' }, received);
    expect(long.deadline).toStrictEqual(at('2024-05-08T10:00:00.000Z'));
    expect(long.warnings).toStrictEqual(['expTime: 2 Years is longer than the 604800 s the hub allows; the deadline is cut to that']);
  });
});

describe('deadlineOf: 5.0 expirationTime (an absolute dateTime)', () => {
  it('reads an instant with an offset exactly', () => {
    expect(deadlineOf({ version: '5.0', expirationTime: '2024-05-01T12:30:00+02:00' }, received)).toStrictEqual({ deadline: at('2024-05-01T10:30:00.000Z'), warnings: [] });
    expect(deadlineOf({ version: '5.0', expirationTime: '\n 2024-05-01T10:05:00.5Z ' }, received).deadline).toStrictEqual(at('2024-05-01T10:05:00.500Z'));
  });

  it('reads a dateTime without offset as UTC and flags it', () => {
    const local = deadlineOf({ version: '5.0', expirationTime: '2024-05-01T10:15:00' }, received);
    expect(local.deadline).toStrictEqual(at('2024-05-01T10:15:00.000Z'));
    expect(local.warnings).toStrictEqual(['expirationTime: dateTime "2024-05-01T10:15:00" has no UTC offset; read as UTC']);
  });

  it('refuses garbage and a time not after receipt; cuts one far away', () => {
    expect(inputErrorOf(() => deadlineOf({ version: '5.0', expirationTime: 'tomorrow' }, received)).message).toMatch(/^expirationTime: expected xs:dateTime/);
    expect(inputErrorOf(() => deadlineOf({ version: '5.0', expirationTime: '2024-02-30T00:00:00Z' }, received)).message).toBe('expirationTime: "2024-02-30T00:00:00Z" is not a real date and time');
    expect(inputErrorOf(() => deadlineOf({ version: '5.0', expirationTime: '2024-05-01T10:00:00Z' }, received)).message).toBe(
      'expirationTime: "2024-05-01T10:00:00Z" is not after the time the request was received (2024-05-01T10:00:00.000Z)',
    );
    const far = deadlineOf({ version: '5.0', expirationTime: '2030-01-01T00:00:00Z' }, received, { maxSeconds: 3600 });
    expect(far.deadline).toStrictEqual(at('2024-05-01T11:00:00.000Z'));
    expect(far.warnings).toStrictEqual(['expirationTime: expiry at 2030-01-01T00:00:00Z is longer than the 3600 s the hub allows; the deadline is cut to that']);
  });
});

describe('expirationTimeOf: the expiry of an outbound Initiate…', () => {
  const now = received;
  const deadline = at('2024-05-01T10:02:30.250Z');

  it('writes 3.0 as a float in the partner unit, 4.1 as Seconds, 5.0 as the instant', () => {
    expect(expirationTimeOf(deadline, now, '3.0')).toBe('150.25');
    expect(expirationTimeOf(at('2024-05-01T10:03:00Z'), now, '3.0', 'minutes')).toBe('3');
    expect(expirationTimeOf(deadline, now, '4.1')).toStrictEqual({ expTime: '150.25', units: 'Seconds' });
    expect(expirationTimeOf(deadline, now, '5.0')).toBe('2024-05-01T10:02:30.250Z');
    expect(expirationTimeOf(at('2024-05-01T10:02:00Z'), now, '5.0')).toBe('2024-05-01T10:02:00Z');
  });

  it('round-trips through deadlineOf for every version', () => {
    expect(deadlineOf({ version: '3.0', expirationTime: expirationTimeOf(deadline, now, '3.0') }, now).deadline).toStrictEqual(deadline);
    const expTime = expirationTimeOf(deadline, now, '4.1');
    expect(deadlineOf({ version: '4.1', expTime: expTime.expTime, units: expTime.units }, now).deadline).toStrictEqual(deadline);
    expect(deadlineOf({ version: '5.0', expirationTime: expirationTimeOf(deadline, now, '5.0') }, now).deadline).toStrictEqual(deadline);
  });

  it('refuses a deadline that has passed: such a request must not be sent', () => {
    expect(() => expirationTimeOf(now, now, '3.0')).toThrow('expirationTimeOf: the deadline 2024-05-01T10:00:00.000Z is not after 2024-05-01T10:00:00.000Z');
    expect(() => expirationTimeOf(new Date(Number.NaN), now, '5.0')).toThrow(RangeError);
  });
});
