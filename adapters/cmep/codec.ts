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
import type { CmepParsed, CmepTriplet, MeterDataRecord } from './records.js';
import { type CodecOptions, LineContext } from './structure.js';
import { parseTouData } from './tou-data.js';

export { parseFlag } from './flags.js';
export type { CodecOptions } from './structure.js';

/** Parses one line (without its line break); undefined for a blank line. */
export type CmepLineParser = (text: string, line: number) => CmepParsed | undefined;

const SKIPPED_TYPES: ReadonlySet<string> = new Set([
  'MEPAD01', 'MEPAD02', 'MEPBD01', 'MEPBD02', 'MEPBD03', 'MEPLF01', 'MEPRR01',
]);

/** Fields 0…count-1 of an unquoted line, and the position where the next field starts. */
function leadingFields(text: string, count: number): { fields: string[]; next: number } {
  const fields = new Array<string>(count);
  let position = 0;
  for (let index = 0; index < count; index++) {
    if (position > text.length) {
      fields[index] = ''; // §1: missing trailing fields of a truncated record are empty
      continue;
    }
    let stop = text.indexOf(',', position);
    if (stop === -1) stop = text.length;
    const field = text.slice(position, stop);
    const last = field.length - 1;
    fields[index] = last >= 0 && (field.charCodeAt(0) <= 32 || field.charCodeAt(last) <= 32) ? field.trim() : field;
    position = stop + 1;
  }
  return { fields, next: position };
}

export function createLineParser(options: CodecOptions): CmepLineParser {
  const clock = new WallClock(options.timeZone);
  const intervalData = new IntervalDataParser(options, clock);

  return (rawText: string, line: number): CmepParsed | undefined => {
    const text = rawText.charCodeAt(rawText.length - 1) === 13 ? rawText.slice(0, -1) : rawText;
    // The common case first: an unquoted MEPMD01 line needs no record-type normalising.
    if (text.startsWith('MEPMD01,') && text.indexOf('"') === -1) {
      const { fields, next } = leadingFields(text, MD01_FIXED);
      return intervalData.parse(new LineContext(text, line), fields, text, next, 0);
    }
    if (text.trim().length === 0) return undefined;
    const context = new LineContext(text, line);
    const firstComma = text.indexOf(',');
    const recordType = (firstComma === -1 ? text : text.slice(0, firstComma)).trim().replace(/^"(.*)"$/, '$1');
    if (recordType === 'MEPMD01') {
      if (text.indexOf('"') === -1) {
        const { fields, next } = leadingFields(text, MD01_FIXED);
        return intervalData.parse(context, fields, text, next, 0);
      }
      const all = splitFields(text);
      const head = all.slice(0, MD01_FIXED);
      while (head.length < MD01_FIXED) head.push('');
      const rest = all.slice(MD01_FIXED);
      rest.forEach((field, index) => {
        if (field.includes(',')) context.fail(MD01_FIXED + index, 'triplet', `a triplet field cannot hold a comma: ${JSON.stringify(field)}`);
      });
      return intervalData.parse(context, head, rest.join(','), rest.length === 0 ? 1 : 0, all.length);
    }
    switch (recordType) {
      case 'MEPMD02':
        return parseTouData(options, clock, context, splitFields(text));
      case 'MEPEC01':
        return parseEquipment(options, context, splitFields(text));
      default: {
        const known = SKIPPED_TYPES.has(recordType) ? 'a CMEP record type the hub does not read' : 'an unknown (vendor) record type';
        return { type: 'skipped', line, recordType, warning: `line ${line}: skipped ${JSON.stringify(recordType)}: ${known}` };
      }
    }
  };
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
