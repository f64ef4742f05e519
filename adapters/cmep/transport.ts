/**
 * The only CMEP file with I/O: reads a file of any size in fixed chunks with flat memory, hands
 * them to the line scanner (line-scanner.ts: CR LF or bare LF, a missing final newline, a line
 * straddling two chunks; cmep.md §1, §13), and hashes the bytes (sha256) while streaming, so a
 * re-import of the same file can be recognised.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { type LineBatch, LineScanner } from './line-scanner.js';

export type { LineBatch } from './line-scanner.js';

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
 * Yields the file's lines as byte spans, one batch per chunk read (none for a chunk that ends no
 * line). A batch and its buffer are valid only until the next one is asked for: read what you
 * need from it (the codec's byte parser, `textOf` for a quarantine entry) before moving on.
 */
export async function* readLineBatches(path: string, digest: FileDigest, options: ReadOptions = {}): AsyncGenerator<LineBatch> {
  const chunkBytes = Math.max(options.chunkBytes ?? 1 << 20, 16);
  const scanner = new LineScanner(chunkBytes, options.maxLineBytes ?? 1 << 16);
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    for (;;) {
      const space = scanner.space();
      const { bytesRead } = await handle.read(space, 0, space.length, null);
      if (bytesRead === 0) break;
      hash.update(space.subarray(0, bytesRead));
      const batch = scanner.scanned(bytesRead);
      digest.lines = scanner.lines;
      digest.bytes = scanner.bytes;
      if (batch.count > 0) yield batch;
    }
    const last = scanner.finish();
    if (last.count > 0) yield last;
    digest.sha256 = hash.digest('hex');
    digest.lines = scanner.lines;
    digest.bytes = scanner.bytes;
  } finally {
    await handle.close();
  }
}

/**
 * Yields the file's lines in batches (one batch per chunk read), each decoded as its own string
 * (latin1: one character per byte, see `LineBatch.textOf`).
 */
export async function* readLines(path: string, digest: FileDigest, options: ReadOptions = {}): AsyncGenerator<RawLine[]> {
  for await (const batch of readLineBatches(path, digest, options)) {
    const lines = new Array<RawLine>(batch.count);
    for (let index = 0; index < batch.count; index++) {
      lines[index] = { text: batch.textOf(index), line: batch.lineOf(index), offset: batch.offsetOf(index) };
    }
    yield lines;
  }
}

/** The file's sha256 and size, read in chunks without looking for lines. */
export async function hashFile(path: string, chunkBytes = 1 << 20): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(chunkBytes);
  const handle = await open(path, 'r');
  let bytes = 0;
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, chunkBytes, null);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

export function emptyDigest(): FileDigest {
  return { sha256: '', bytes: 0, lines: 0 };
}
