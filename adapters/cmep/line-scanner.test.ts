import { describe, expect, it } from 'vitest';
import { LineScanner } from './line-scanner.js';

interface ScannedLine {
  readonly bytes: Buffer;
  readonly line: number;
  readonly offset: number;
}

/** Feeds `input` to a scanner `chunkBytes` at most per read, as the transport does. */
function scan(input: Buffer, chunkBytes: number, maxLineBytes = 1 << 16): { lines: ScannedLine[]; bytes: number; count: number } {
  const scanner = new LineScanner(chunkBytes, maxLineBytes);
  const lines: ScannedLine[] = [];
  const take = (batch: ReturnType<LineScanner['scanned']>): void => {
    for (let index = 0; index < batch.count; index++) {
      // Copied out: the batch's buffer is reused by the next read.
      const bytes = Buffer.from(batch.bytes.subarray(batch.starts[index], batch.ends[index]));
      expect(batch.textOf(index)).toBe(bytes.toString('latin1'));
      lines.push({ bytes, line: batch.lineOf(index), offset: batch.offsetOf(index) });
    }
  };
  let position = 0;
  while (position < input.length) {
    const space = scanner.space();
    const read = input.copy(space, 0, position, Math.min(input.length, position + space.length));
    position += read;
    take(scanner.scanned(read));
  }
  take(scanner.finish());
  return { lines, bytes: scanner.bytes, count: scanner.lines };
}

const texts = (lines: readonly ScannedLine[]): string[] => lines.map((line) => line.bytes.toString('utf8'));

describe('LineScanner (cmep.md §1)', () => {
  const records = ['MEPMD01,a', 'MEPMD01,"ACME, Inc.",bb', '', 'MEPMD01,ccc'];

  it('CR LF, bare LF and no final newline give the same lines, whatever the chunk size', () => {
    for (const chunkBytes of [32, 33, 41, 64, 4096]) {
      const crlf = scan(Buffer.from(records.map((record) => `${record}\r\n`).join('')), chunkBytes);
      const lf = scan(Buffer.from(records.join('\n')), chunkBytes);
      expect(texts(crlf.lines)).toEqual(records);
      expect(texts(lf.lines)).toEqual(records);
      expect(crlf.lines.map((line) => line.line)).toEqual([1, 2, 3, 4]);
      expect(crlf.lines.map((line) => line.offset)).toEqual([0, 11, 36, 38]);
      expect(lf.lines.map((line) => line.offset)).toEqual([0, 10, 34, 35]);
      expect(crlf.bytes).toBe(51);
      expect(crlf.count).toBe(4);
    }
  });

  it('a CR LF split between two reads is one line break', () => {
    // 'MEPMD01,a\r' fills the first 10-byte read and its LF arrives with the next one.
    const { lines } = scan(Buffer.from('MEPMD01,a\r\nMEPMD01,b\r\n'), 16);
    expect(texts(lines)).toEqual(['MEPMD01,a', 'MEPMD01,b']);
    const split = scan(Buffer.from('MEPMD01,ab\r\nX\r\n'), 16);
    expect(texts(split.lines)).toEqual(['MEPMD01,ab', 'X']);
  });

  it('lines straddling reads stay whole, at every cut', () => {
    const long = `MEPMD01,${'1234567,'.repeat(12)}9`;
    const input = Buffer.from(`short\n${long}\n${long}\r\nshort`);
    for (let chunkBytes = long.length + 2; chunkBytes < long.length + 40; chunkBytes++) {
      expect(texts(scan(input, chunkBytes).lines)).toEqual(['short', long, long, 'short']);
    }
  });

  it('multi-byte UTF-8 characters split across reads come out whole', () => {
    const records = ['MEPMD01,Zürich,€,日本', 'MEPMD01,naïve'];
    for (let chunkBytes = 32; chunkBytes < 48; chunkBytes++) {
      const { lines } = scan(Buffer.from(`${records.join('\r\n')}\r\n`), chunkBytes);
      expect(texts(lines)).toEqual(records);
    }
  });

  it('empty lines keep their numbers; a lone CR at the end is stripped', () => {
    const { lines } = scan(Buffer.from('\n\r\nA\n\nB\r'), 16);
    expect(texts(lines)).toEqual(['', '', 'A', '', 'B']);
    expect(lines.map((line) => line.line)).toEqual([1, 2, 3, 4, 5]);
  });

  it('only one CR before the LF belongs to the line break', () => {
    expect(texts(scan(Buffer.from('A\r\r\nB'), 16).lines)).toEqual(['A\r', 'B']);
  });

  it('a "line" with no break within maxLineBytes (at most a chunk) is cut and reported as it is', () => {
    const { lines } = scan(Buffer.from('x'.repeat(40)), 16, 4096);
    expect(texts(lines)).toEqual(['x'.repeat(16), 'x'.repeat(16), 'x'.repeat(8)]);
    expect(lines.map((line) => line.offset)).toEqual([0, 16, 32]);
    // The cut is made when a read ends with maxLineBytes or more and no line break.
    expect(texts(scan(Buffer.from(`${'y'.repeat(20)}\nz`), 16, 8).lines)).toEqual(['y'.repeat(16), 'yyyy', 'z']);
  });

  it('an empty input has no lines', () => {
    expect(scan(Buffer.alloc(0), 16)).toEqual({ lines: [], bytes: 0, count: 0 });
  });
});
