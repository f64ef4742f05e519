/**
 * The only CMEP file with I/O: reads a file of any size in fixed chunks with flat memory, splits
 * it into lines itself (CR LF or bare LF, a missing final newline, a line straddling two chunks;
 * cmep.md §1, §13), keeps each line's number and byte offset, and hashes the bytes (sha256)
 * while streaming, so a re-import of the same file can be recognised.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** One line of the file, without its line break. */
export interface RawLine {
  readonly text: string;
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line's first character in the file. */
  readonly offset: number;
}

export interface ReadOptions {
  /** Bytes per read; 1 MiB by default. */
  chunkBytes?: number;
  /** A longer "line" (no line break at all, e.g. a binary file) is cut and yielded as is. */
  maxLineBytes?: number;
}

/** Filled in as the file is read; final once the generator is done. */
export interface FileDigest {
  sha256: string;
  bytes: number;
  lines: number;
}

/**
 * Yields the file's lines in batches (one batch per chunk read). CMEP is ASCII (v1.20 §1), so
 * each line is decoded as latin1: one character per byte, which keeps character offsets equal to
 * byte offsets. Lines are found in the bytes (memchr speed) and decoded one by one, so every line
 * is a flat string of its own, which is what makes the codec's character loops fast.
 */
export async function* readLines(path: string, digest: FileDigest, options: ReadOptions = {}): AsyncGenerator<RawLine[]> {
  const chunkBytes = Math.max(options.chunkBytes ?? 1 << 20, 16);
  const maxLineBytes = Math.min(options.maxLineBytes ?? 1 << 16, chunkBytes);
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  /** Bytes at the front of `buffer` that belong to a line not yet ended. */
  let carried = 0;
  /** File offset of buffer[0]. */
  let bufferOffset = 0;
  let lineNumber = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carried, chunkBytes - carried, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(carried, carried + bytesRead));
      const filled = carried + bytesRead;
      const batch: RawLine[] = [];
      let start = 0;
      for (;;) {
        const newline = buffer.indexOf(10, start);
        if (newline === -1 || newline >= filled) break;
        const end = newline > start && buffer[newline - 1] === 13 ? newline - 1 : newline;
        lineNumber++;
        batch.push({ text: buffer.toString('latin1', start, end), line: lineNumber, offset: bufferOffset + start });
        start = newline + 1;
      }
      if (filled - start >= maxLineBytes) {
        // No line break within maxLineBytes (e.g. a binary file): cut here, yield it as one line.
        lineNumber++;
        batch.push({ text: buffer.toString('latin1', start, filled), line: lineNumber, offset: bufferOffset + start });
        start = filled;
      }
      buffer.copy(buffer, 0, start, filled);
      carried = filled - start;
      bufferOffset += start;
      digest.lines = lineNumber;
      digest.bytes = bufferOffset + carried;
      if (batch.length > 0) yield batch;
    }
    if (carried > 0) {
      // cmep.md §1: a missing final newline still ends the last record.
      const end = buffer[carried - 1] === 13 ? carried - 1 : carried;
      lineNumber++;
      yield [{ text: buffer.toString('latin1', 0, end), line: lineNumber, offset: bufferOffset }];
    }
    digest.sha256 = hash.digest('hex');
    digest.lines = lineNumber;
    digest.bytes = bufferOffset + carried;
  } finally {
    await handle.close();
  }
}

export function emptyDigest(): FileDigest {
  return { sha256: '', bytes: 0, lines: 0 };
}
