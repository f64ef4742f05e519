/**
 * Finds CMEP records in a byte stream (cmep.md §1, §13): CR LF or bare LF, a missing final
 * newline, a line straddling two reads. Pure: the caller reads into `space()` and calls `scanned`;
 * the scanner finds the line breaks (memchr speed) and reports each line as a span of its buffer,
 * without decoding it, so the codec can read the bytes in place. A multi-byte character can never
 * be cut, since lines end only at LF and the bytes of an unfinished line are carried whole.
 */

const LF = 10;
const CR = 13;

/**
 * The lines completed by one read, as spans of `bytes`. Valid until the scanner is called again:
 * the next read reuses the buffer.
 */
export class LineBatch {
  /** The scanner's buffer; a line is `bytes[starts[i], ends[i])`, its line break excluded. */
  bytes: Buffer;
  count = 0;
  starts = new Int32Array(256);
  ends = new Int32Array(256);
  /** 1-based number of the batch's first line. */
  firstLine = 1;
  /** Byte offset in the file of `bytes[0]`. */
  bufferOffset = 0;

  constructor(bytes: Buffer) {
    this.bytes = bytes;
  }

  /** The 1-based line number of line `index`. */
  lineOf(index: number): number {
    return this.firstLine + index;
  }

  /** Byte offset in the file of line `index`'s first character. */
  offsetOf(index: number): number {
    return this.bufferOffset + (this.starts[index] ?? 0);
  }

  /**
   * Line `index` as text. CMEP is ASCII (v1.20 §1); latin1 reads one character per byte, so
   * character offsets stay equal to byte offsets whatever the file holds.
   */
  textOf(index: number): string {
    return this.bytes.toString('latin1', this.starts[index], this.ends[index]);
  }

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Int32Array(this.count * 2);
      const ends = new Int32Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

export class LineScanner {
  private readonly buffer: Buffer;
  private readonly batch: LineBatch;
  private readonly maxLineBytes: number;
  /** buffer[lineStart, filled) is a line not yet ended. */
  private lineStart = 0;
  private filled = 0;
  /** File offset of buffer[0]. */
  private bufferOffset = 0;
  private lineNumber = 0;

  /** `maxLineBytes`: a longer "line" (no line break at all, e.g. a binary file) is cut and reported as is. */
  constructor(chunkBytes: number, maxLineBytes: number) {
    this.buffer = Buffer.allocUnsafe(chunkBytes);
    this.maxLineBytes = Math.min(maxLineBytes, chunkBytes);
    this.batch = new LineBatch(this.buffer);
  }

  /**
   * Where the next read goes. Moves the unended line to the front of the buffer first, which
   * ends the life of the last batch.
   */
  space(): Buffer {
    const { buffer, lineStart, filled } = this;
    if (lineStart > 0) {
      buffer.copy(buffer, 0, lineStart, filled);
      this.bufferOffset += lineStart;
      this.filled = filled - lineStart;
      this.lineStart = 0;
    }
    return buffer.subarray(this.filled);
  }

  /** Lines so far. */
  get lines(): number {
    return this.lineNumber;
  }

  /** Bytes taken in so far. */
  get bytes(): number {
    return this.bufferOffset + this.filled;
  }

  /** Takes the `bytesRead` bytes just written into `space()`; returns the lines they complete. */
  scanned(bytesRead: number): LineBatch {
    const buffer = this.buffer;
    const searchFrom = this.filled;
    const filled = this.filled + bytesRead;
    const batch = this.startBatch();
    let start = this.lineStart;
    let from = searchFrom;
    for (;;) {
      const newline = buffer.indexOf(LF, from);
      if (newline === -1 || newline >= filled) break;
      batch.push(start, newline > start && buffer[newline - 1] === CR ? newline - 1 : newline);
      start = newline + 1;
      from = start;
    }
    if (filled - start >= this.maxLineBytes) {
      // No line break within maxLineBytes: cut here and report it as one line.
      batch.push(start, filled);
      start = filled;
    }
    this.lineNumber += batch.count;
    this.filled = filled;
    this.lineStart = start;
    return batch;
  }

  /** At the end of the input: the last line when it has no final newline (cmep.md §1), else none. */
  finish(): LineBatch {
    const batch = this.startBatch();
    const { buffer, lineStart, filled } = this;
    if (filled > lineStart) {
      batch.push(lineStart, buffer[filled - 1] === CR ? filled - 1 : filled);
      this.lineNumber++;
      this.lineStart = filled;
    }
    return batch;
  }

  private startBatch(): LineBatch {
    const batch = this.batch;
    batch.count = 0;
    batch.firstLine = this.lineNumber + 1;
    batch.bufferOffset = this.bufferOffset;
    return batch;
  }
}
