/**
 * The only file of the MV-90 adapter that touches the file system: it streams an export line by
 * line (memory stays flat for any file size: one chunk and one partial line at a time) and hashes
 * the bytes as they pass, so the import summary can name exactly which file content was read.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface SourceLine {
  /** 1-based physical line number, counting skipped header lines. */
  readonly line: number;
  /** The line without its terminator (`\n` or `\r\n`) and without a leading byte-order mark. */
  readonly text: string;
}

export interface FileDigest {
  readonly sha256: string;
  readonly bytes: number;
  readonly lines: number;
}

export interface ReadLinesOptions {
  encoding: 'utf8' | 'latin1' | 'utf16le';
  signal?: AbortSignal;
}

/**
 * Yields every line of a file; the generator's return value is the digest of the whole file.
 * A BOM (UTF-8 EF BB BF, UTF-16LE FF FE) is dropped: StringDecoder keeps it as U+FEFF.
 */
export async function* readLines(path: string, options: ReadLinesOptions): AsyncGenerator<SourceLine, FileDigest> {
  const hash = createHash('sha256');
  const decoder = new StringDecoder(options.encoding);
  const stream = createReadStream(path, { highWaterMark: 256 * 1024, signal: options.signal });
  let pending = '';
  let line = 0;
  let bytes = 0;
  const take = (text: string): SourceLine => {
    line += 1;
    const clean = line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    return { line, text: clean.endsWith('\r') ? clean.slice(0, -1) : clean };
  };
  for await (const chunk of stream) {
    if (!Buffer.isBuffer(chunk)) continue;
    hash.update(chunk);
    bytes += chunk.length;
    pending += decoder.write(chunk);
    let start = 0;
    let end = pending.indexOf('\n', start);
    while (end !== -1) {
      yield take(pending.slice(start, end));
      start = end + 1;
      end = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending.length > 0) yield take(pending);
  return { sha256: hash.digest('hex'), bytes, lines: line };
}
