import { describe, expect, it } from 'vitest';
import { decodeQualities, encodeQualities, numericArrayLiteral, parseArrayText, textArrayLiteral } from './pg-array.js';

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

  it('reads array text back: plain, NULL, quoted with commas, escaped quotes and backslashes, empty', () => {
    expect(parseArrayText('{1.25,NULL,-0.5}')).toEqual(['1.25', null, '-0.5']);
    expect(parseArrayText('{"1.2.32,3.8.1",NULL,3.0.1,"a\\"b\\\\c","NULL"}')).toEqual(['1.2.32,3.8.1', null, '3.0.1', 'a"b\\c', 'NULL']);
    expect(parseArrayText('{"x"}')).toEqual(['x']);
    expect(parseArrayText('{}')).toEqual([]);
    expect(() => parseArrayText('1,2')).toThrow('not a PostgreSQL array');
    expect(parseArrayText(textArrayLiteral(['1.2.32,3.8.1', null, 'a"b\\c']))).toEqual(['1.2.32,3.8.1', null, 'a"b\\c']);
  });
});
