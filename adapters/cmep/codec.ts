/**
 * CMEP v1.20 lines → protocol records (cmep.md §1–§10). Pure: no I/O, no clock. One line is one
 * record and stands alone (§1), so a bad line throws an InputError naming its line number and
 * field and the caller carries on with the next. A record type the hub does not read becomes a
 * SkippedRecord with a warning (§3). This file picks the record type; each supported type has
 * its own file (interval-data, tou-data, equipment).
 */
import { WallClock } from './clock.js';
import { parseEquipment } from './equipment.js';
import { splitFields } from './fields.js';
import { parseFlag } from './flags.js';
import { IntervalDataParser, MD01_FIXED } from './interval-data.js';
import { leadingFieldsAt, LineEncoder } from './line-bytes.js';
import type { CmepParsed, CmepTriplet, MeterDataRecord } from './records.js';
import { type CodecOptions, LineContext } from './structure.js';
import { parseTouData } from './tou-data.js';

export { parseFlag } from './flags.js';
export type { CodecOptions } from './structure.js';

/** Parses one line (without its line break); undefined for a blank line. */
export type CmepLineParser = (text: string, line: number) => CmepParsed | undefined;

/**
 * Parses the line `bytes[start, end)` (without its line break; see `LineBatch`); undefined for a
 * blank line. The same records and errors as `CmepLineParser` on the line's latin1 text.
 */
export type CmepBytesParser = (bytes: Buffer, start: number, end: number, line: number) => CmepParsed | undefined;

const SKIPPED_TYPES: ReadonlySet<string> = new Set([
  'MEPAD01', 'MEPAD02', 'MEPBD01', 'MEPBD02', 'MEPBD03', 'MEPLF01', 'MEPRR01',
]);
const CR = 13;
const MD01_PREFIX = 'MEPMD01,';

/** The record type of a line: its first field, trimmed and unquoted. */
function recordTypeOf(text: string): string {
  const firstComma = text.indexOf(',');
  return (firstComma === -1 ? text : text.slice(0, firstComma)).trim().replace(/^"(.*)"$/, '$1');
}

/** One parser's state: the zone's clock, the MEPMD01 caches, the scratch bytes of string input. */
class CmepReader {
  private readonly clock: WallClock;
  private readonly intervalData: IntervalDataParser;
  private readonly encoder = new LineEncoder();
  private readonly tailEncoder = new LineEncoder();

  constructor(private readonly options: CodecOptions) {
    this.clock = new WallClock(options.timeZone);
    this.intervalData = new IntervalDataParser(options, this.clock);
  }

  parseText(rawText: string, line: number): CmepParsed | undefined {
    const text = rawText.charCodeAt(rawText.length - 1) === CR ? rawText.slice(0, -1) : rawText;
    // The common case first: an unquoted MEPMD01 line needs no record-type normalising.
    if (text.startsWith(MD01_PREFIX) && text.indexOf('"') === -1) return this.unquotedMd01(this.encoder.encode(text), 0, text.length, text, line);
    return this.parseOther(text, line);
  }

  parseBytes(bytes: Buffer, start: number, rawEnd: number, line: number): CmepParsed | undefined {
    const end = rawEnd > start && bytes[rawEnd - 1] === CR ? rawEnd - 1 : rawEnd;
    const text = bytes.toString('latin1', start, end);
    if (text.startsWith(MD01_PREFIX) && text.indexOf('"') === -1) return this.unquotedMd01(bytes, start, end, text, line);
    return this.parseOther(text, line);
  }

  /** `text` is `bytes[start, end)`. */
  private unquotedMd01(bytes: Uint8Array, start: number, end: number, text: string, line: number): MeterDataRecord {
    const { fields, next } = leadingFieldsAt(bytes, start, end, text, start, MD01_FIXED);
    return this.intervalData.parse(new LineContext(text, line), fields, bytes, next, end, text, start, 0);
  }

  private parseOther(text: string, line: number): CmepParsed | undefined {
    if (text.trim().length === 0) return undefined;
    const recordType = recordTypeOf(text);
    if (recordType === 'MEPMD01') {
      if (text.indexOf('"') === -1) return this.unquotedMd01(this.encoder.encode(text), 0, text.length, text, line);
      const context = new LineContext(text, line);
      const all = splitFields(text);
      const head = all.slice(0, MD01_FIXED);
      while (head.length < MD01_FIXED) head.push('');
      const rest = all.slice(MD01_FIXED);
      rest.forEach((field, index) => {
        if (field.includes(',')) context.fail(MD01_FIXED + index, 'triplet', `a triplet field cannot hold a comma: ${JSON.stringify(field)}`);
      });
      const tail = rest.join(',');
      const from = rest.length === 0 ? 1 : 0;
      return this.intervalData.parse(context, head, this.tailEncoder.encode(tail), from, tail.length, tail, 0, all.length);
    }
    switch (recordType) {
      case 'MEPMD02':
        return parseTouData(this.options, this.clock, new LineContext(text, line), splitFields(text));
      case 'MEPEC01':
        return parseEquipment(this.options, new LineContext(text, line), splitFields(text));
      default: {
        const known = SKIPPED_TYPES.has(recordType) ? 'a CMEP record type the hub does not read' : 'an unknown (vendor) record type';
        return { type: 'skipped', line, recordType, warning: `line ${line}: skipped ${JSON.stringify(recordType)}: ${known}` };
      }
    }
  }
}

export function createLineParser(options: CodecOptions): CmepLineParser {
  const reader = new CmepReader(options);
  return (text, line) => reader.parseText(text, line);
}

/** The parser the file import uses: reads each line in place in the transport's buffer. */
export function createBytesParser(options: CodecOptions): CmepBytesParser {
  const reader = new CmepReader(options);
  return (bytes, start, end, line) => reader.parseBytes(bytes, start, end, line);
}

/** One triplet of a record's columns as an object (for tests, reports and slow paths). */
export function tripletAt(record: MeterDataRecord, index: number): CmepTriplet {
  const flag = record.flags[index] ?? '';
  const parsed = parseFlag(flag);
  return {
    end: record.ends[index] ?? Number.NaN,
    flag,
    letter: parsed?.letter ?? 'R',
    status: parsed?.status,
    value: record.values[index] ?? null,
    problem: record.problems?.get(index),
  };
}
