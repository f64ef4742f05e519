import { describe, expect, it } from 'vitest';
import { decodeQualities, encodeQualities, numericArrayLiteral, textArrayLiteral } from './pg-array.js';

describe('PostgreSQL array literals', () => {
  it('writes numeric arrays with NULL for a missing value, never 0', () => {
    expect(numericArrayLiteral(['1.25', null, '-0.5'])).toBe('{1.25,NULL,-0.5}');
  });

  it('quotes text elements so commas are data, and escapes quotes and backslashes', () => {
    expect(textArrayLiteral(['1.2.32,3.8.1', null, 'a"b\\c'])).toBe('{"1.2.32,3.8.1",NULL,"a\\"b\\\\c"}');
  });

  it('round-trips several qualities per interval and none as null', () => {
    const qualities = [[], ['1.2.32', '3.8.1'], ['2.5.259']];
    expect(encodeQualities(qualities)).toEqual([null, '1.2.32,3.8.1', '2.5.259']);
    expect(decodeQualities(encodeQualities(qualities))).toEqual(qualities);
  });
});
