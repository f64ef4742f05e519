import { describe, expect, it } from 'vitest';
import { leadingFieldsAt, LineEncoder } from './line-bytes.js';

describe('leadingFieldsAt (CMEP v1.20 §1)', () => {
  it('reads the first fields in place, blanks trimmed, and where the next field starts', () => {
    const line = 'xx\nA, B ,\tC,,D,rest,of,line';
    const bytes = Buffer.from(line, 'latin1');
    const { fields, next } = leadingFieldsAt(bytes, 3, bytes.length, line, 0, 5);
    expect(fields).toEqual(['A', 'B', 'C', '', 'D']);
    expect(line.slice(next)).toBe('rest,of,line');
  });

  it('a truncated record: the fields that are missing are empty, and next is past the end', () => {
    const line = 'A,B';
    const bytes = Buffer.from(line);
    const { fields, next } = leadingFieldsAt(bytes, 0, bytes.length, line, 0, 4);
    expect(fields).toEqual(['A', 'B', '', '']);
    expect(next).toBe(line.length + 1);
  });

  it('a trailing comma leaves one empty field, and next at the end', () => {
    const line = 'A,';
    const { fields, next } = leadingFieldsAt(Buffer.from(line), 0, 2, line, 0, 1);
    expect(fields).toEqual(['A']);
    expect(next).toBe(2);
  });

  it('takes the strings from the text, so a character above U+00FF survives', () => {
    const line = 'Ĭd, İ ,x';
    const bytes = new LineEncoder().encode(line);
    expect(leadingFieldsAt(bytes, 0, line.length, line, 0, 3).fields).toEqual(['Ĭd', 'İ', 'x']);
  });
});

describe('LineEncoder', () => {
  it('ASCII text becomes its bytes', () => {
    const text = 'MEPMD01,19970819,S';
    expect(new LineEncoder().encode(text).subarray(0, text.length).toString('latin1')).toBe(text);
  });

  it('one byte per character: latin1 as it is, DEL for anything above U+00FF', () => {
    const bytes = new LineEncoder().encode('é,Ĭ,€1');
    expect([...bytes.subarray(0, 6)]).toEqual([0xe9, 0x2c, 0x7f, 0x2c, 0x7f, 0x31]);
  });

  it('a character whose low byte is a comma or a digit does not become one', () => {
    // U+012C and U+0130 end in 0x2C (",") and 0x30 ("0").
    const bytes = new LineEncoder().encode('\u012c\u0130');
    expect([...bytes.subarray(0, 2)]).toEqual([0x7f, 0x7f]);
  });

  it('grows for long lines and is reused between calls', () => {
    const encoder = new LineEncoder();
    const long = '1,'.repeat(5000);
    expect(encoder.encode(long).subarray(0, long.length).toString('latin1')).toBe(long);
    expect(encoder.encode('AB').subarray(0, 2).toString('latin1')).toBe('AB');
  });
});
