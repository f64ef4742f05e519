import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type FileDigest, readLines, type SourceLine } from './transport.js';

async function readAll(path: string, encoding: 'utf8' | 'latin1' | 'utf16le' = 'utf8'): Promise<{ lines: SourceLine[]; digest: FileDigest }> {
  const lines: SourceLine[] = [];
  const reader = readLines(path, { encoding });
  for (;;) {
    const next = await reader.next();
    if (next.done === true) return { lines, digest: next.value };
    lines.push(next.value);
  }
}

describe('readLines', () => {
  const folder = mkdtempSync(join(tmpdir(), 'mv90-transport-'));

  it('drops a UTF-8 BOM and CR, keeps a last line without newline, and hashes the bytes', async () => {
    const bytes = Buffer.from('\uFEFFa,1\r\nb,2\r\n\r\nc,3', 'utf8');
    const path = join(folder, 'crlf.csv');
    writeFileSync(path, bytes);
    const { lines, digest } = await readAll(path);
    expect(lines).toEqual([{ line: 1, text: 'a,1' }, { line: 2, text: 'b,2' }, { line: 3, text: '' }, { line: 4, text: 'c,3' }]);
    expect(digest).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, lines: 4 });
  });

  it('decodes Latin-1 and UTF-16LE exports', async () => {
    const latin = join(folder, 'latin1.csv');
    writeFileSync(latin, Buffer.from('Zähler;1\n', 'latin1'));
    expect((await readAll(latin, 'latin1')).lines).toEqual([{ line: 1, text: 'Zähler;1' }]);
    const utf16 = join(folder, 'utf16.csv');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Zähler;1\r\nx;2\r\n', 'utf16le')]));
    expect((await readAll(utf16, 'utf16le')).lines.map((line) => line.text)).toEqual(['Zähler;1', 'x;2']);
  });

  it('keeps lines whole across chunk boundaries of a large file', async () => {
    const path = join(folder, 'large.csv');
    const text = Array.from({ length: 60_000 }, (_, index) => `MTR-${index},1,06/03/2024,00:15,${index}.5,OK`).join('\n');
    writeFileSync(path, text);
    const { lines, digest } = await readAll(path);
    expect(lines).toHaveLength(60_000);
    expect(lines[41_234]).toEqual({ line: 41_235, text: 'MTR-41234,1,06/03/2024,00:15,41234.5,OK' });
    expect(digest.bytes).toBe(Buffer.byteLength(text));
  });
});
