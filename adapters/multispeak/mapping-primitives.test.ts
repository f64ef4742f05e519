import { describe, expect, it } from 'vitest';
import { booleanOf, dateTimeOf, dateTimeText, decimalOf, enumOf, integerOf, ReadScope } from './mapping-primitives.js';
import { inputErrorOf } from './testing/errors.js';

const scope = (): ReadScope => new ReadScope('x/y');

describe('MultiSpeak simple values', () => {
  it('decimals: plain text kept as sent, other xs:float forms rewritten exactly, INF/NaN refused', () => {
    expect(['10432.70', '007', '-0.5', '+3', '.5', '5.', '1.2E3', '-2.5e-1', '1e-7'].map((text) => decimalOf(text, scope()))).toEqual(['10432.70', '007', '-0.5', '3', '0.5', '5', '1200', '-0.25', '0.0000001']);
    expect(inputErrorOf(() => decimalOf('NaN', scope())).message).toBe('x/y: expected xs:float, got "NaN"');
    expect(inputErrorOf(() => decimalOf('1e3', scope(), 'xs:decimal')).message).toBe('x/y: expected xs:decimal, got "1e3"');
  });

  it('integers: a sign is dropped; a fraction is refused unless flagged, then kept with a warning', () => {
    expect(integerOf('+12', scope())).toBe('12');
    expect(inputErrorOf(() => integerOf('12.5', scope())).message).toBe('x/y: expected xs:integer, got "12.5"');
    const flagged = scope();
    expect(integerOf('12.5', flagged, true)).toBe('12.5');
    expect(flagged.warnings).toEqual(['x/y: declared xs:integer; fractional value "12.5" kept as 12.5 (multispeak.md §12.10)']);
  });

  it('dateTimes: offsets, 24:00, ASMX fractions, a space separator (warned); impossible dates and offsets refused', () => {
    expect(dateTimeOf('2024-05-01T00:00:00+14:00', scope())).toBe('2024-04-30T10:00:00.000Z');
    expect(dateTimeOf('2024-05-01T24:00:00Z', scope())).toBe('2024-05-02T00:00:00.000Z');
    expect(dateTimeOf('2024-05-01T10:00:00.1239999-05:00', scope())).toBe('2024-05-01T15:00:00.123Z');
    const spaced = scope();
    expect(dateTimeOf('2024-05-01 10:00:00Z', spaced)).toBe('2024-05-01T10:00:00.000Z');
    expect(spaced.warnings).toHaveLength(1);
    expect(inputErrorOf(() => dateTimeOf('2023-02-29T00:00:00Z', scope())).message).toBe('x/y: "2023-02-29T00:00:00Z" is not a real date and time');
    expect(inputErrorOf(() => dateTimeOf('2024-05-01T00:00:00+15:00', scope())).message).toBe('x/y: offset +15:00 is out of range');
    expect(inputErrorOf(() => dateTimeOf('1714557600', scope())).message).toMatch(/^x\/y: expected xs:dateTime/);
    expect(dateTimeText('2024-05-01T10:00:00.000Z')).toBe('2024-05-01T10:00:00Z');
    expect(dateTimeText('2024-05-01T10:00:00.120Z')).toBe('2024-05-01T10:00:00.120Z');
  });

  it('local dateTimes in the partner zone: the repeated fall-back hour is its first occurrence', () => {
    const chicago = new ReadScope('x', { timeZone: 'America/Chicago' });
    expect(dateTimeOf('2024-11-03T01:30:00', chicago)).toBe('2024-11-03T06:30:00.000Z');
    expect(dateTimeOf('2024-01-15T00:00:00', chicago)).toBe('2024-01-15T06:00:00.000Z');
  });

  it('booleans and enumerations', () => {
    expect(['true', '1', 'false', '0'].map((text) => booleanOf(text, scope()))).toEqual([true, true, false, false]);
    expect(inputErrorOf(() => booleanOf('yes', scope())).message).toBe('x/y: expected xs:boolean (true, false, 1, 0), got "yes"');
    const loose = scope();
    expect(enumOf('Power Off', ['PowerOn', 'PowerOff'], loose)).toBe('PowerOff');
    expect(loose.warnings).toEqual(['x/y: enumeration value "Power Off" read as "PowerOff"']);
  });
});
