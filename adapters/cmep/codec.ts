/**
 * CMEP v1.20 lines → protocol records (cmep.md §1–§10). Pure: no I/O, no clock. One line is one
 * record and stands alone (§1), so a bad line throws an InputError naming its line number and
 * field and the caller carries on with the next. A record type the hub does not read becomes a
 * SkippedRecord with a warning (§3).
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, InputError, toDecimalString } from '../../canonical/index.js';
import { addCalendarSteps, clockSeconds, parseInterval, WallClock } from './clock.js';
import { crc16, formatCrc, isCrcSlot } from './crc.js';
import { formatDateTime, parseDate, parseDateTime, parseDateTimeAt, parseFloatAt, parseFloatText, parseInteger, splitFields } from './fields.js';
import type {
  CmepDataHeader,
  CmepFlag,
  CmepParsed,
  CmepTouEntry,
  CmepTriplet,
  FlagLetter,
  EquipmentRecord,
  MeterDataRecord,
  TouDataRecord,
} from './records.js';
import type { CmepProfile } from './spec.js';

export type CodecOptions = Pick<CmepProfile, 'timeZone' | 'identityField' | 'lenient' | 'crcAlgorithm'>;
/** Parses one line (without its line break); undefined for a blank line. */
export type CmepLineParser = (text: string, line: number) => CmepParsed | undefined;

const MAX_LINE = 2048;
const MD01_FIXED = 14;
const MD02_FIXED = 16;
const EC01_FIXED = 22;
const NO_WARNINGS: readonly string[] = Object.freeze([]);
const UNITY = /^\+?0*1(\.0*)?$/;
const EMPTY_FLAG: CmepFlag = Object.freeze({ flag: '', letter: '', status: undefined });
const SKIPPED_TYPES: ReadonlySet<string> = new Set([
  'MEPAD01', 'MEPAD02', 'MEPBD01', 'MEPBD02', 'MEPBD03', 'MEPLF01', 'MEPRR01',
]);

const FIELD_NAMES_MD: readonly string[] = [
  'record type', 'record version', 'sender id', 'sender customer id', 'receiver id', 'receiver customer id',
  'time stamp', 'meter id', 'purpose', 'commodity', 'units',
];

/** The reading context of one line: its number and text, for errors that name both. */
class LineContext {
  constructor(readonly text: string, readonly line: number) {}

  fail(field: number, name: string, message: string): never {
    throw new InputError(`line ${this.line}: field ${field} (${name}): ${message}`, { line: this.line, field: `${field}:${name}` }, { raw: this.text });
  }

  failRow(message: string): never {
    throw new InputError(`line ${this.line}: ${message}`, { line: this.line }, { raw: this.text });
  }
}

/** Splits a flag into letter and vendor numeric status (cmep.md §10); undefined for an unknown letter. */
export function parseFlag(flag: string): CmepFlag | undefined {
  if (flag.length === 0) return EMPTY_FLAG;
  const first = flag.charCodeAt(0);
  const letterLength = first >= 48 && first <= 57 ? 0 : 1;
  const letter = letterLength === 0 ? '' : flag[0];
  if (letter !== '' && letter !== 'E' && letter !== 'A' && letter !== 'N' && letter !== 'R') return undefined;
  for (let index = letterLength; index < flag.length; index++) {
    const code = flag.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  return { flag, letter, status: flag.length > letterLength ? flag.slice(letterLength) : undefined };
}

const COMMA = 44;

/** `text[start, end)` without blanks at either end (CMEP v1.20 §1), slicing once. */
function sliceTrimmed(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from < to && text.charCodeAt(from) <= 32) from++;
  while (to > from && text.charCodeAt(to - 1) <= 32) to--;
  return text.slice(from, to);
}

/** CMEP v1.20 §4 structural check: fields == 14 + 3·count (+1 for a CRC slot). */
function fieldCountError(context: LineContext, count: number, quotedFields: number): never {
  const got = quotedFields > 0 ? quotedFields : context.text.split(',').length;
  return context.failRow(`structural error: count ${count} needs ${MD01_FIXED + 3 * count} fields (or ${MD01_FIXED + 3 * count + 1} with a CRC slot), got ${got}`);
}

/** The letter of a valid flag (letter or digit first, then digits only); undefined otherwise. */
function flagLetterOf(flag: string): FlagLetter | undefined {
  const first = flag.charCodeAt(0);
  let letter: FlagLetter;
  if (first >= 48 && first <= 57) letter = '';
  else if (first === 69) letter = 'E';
  else if (first === 65) letter = 'A';
  else if (first === 78) letter = 'N';
  else if (first === 82) letter = 'R';
  else return undefined;
  for (let index = 1; index < flag.length; index++) {
    const code = flag.charCodeAt(index);
    if (code < 48 || code > 57) return undefined;
  }
  return letter;
}

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

  function checkStructure(context: LineContext, fields: string[], fixed: number, perItem: number, countIndex: number, max: number): { count: number; crc: string | undefined } {
    while (fields.length < fixed) fields.push(''); // §1: a truncated record's missing trailing fields are empty
    const countText = fields[countIndex] ?? '';
    const count = parseInteger(countText);
    if (!Number.isInteger(count) || count < 0) context.fail(countIndex, 'count', `not a non-negative integer: ${JSON.stringify(countText)}`);
    if (count > max) context.fail(countIndex, 'count', `${count} is over the maximum of ${max}`);
    const expected = fixed + perItem * count;
    if (fields.length === expected) return { count, crc: undefined };
    if (fields.length === expected + 1) return { count, crc: checkCrcSlot(context, fields[expected] ?? '', expected) };
    return context.failRow(`structural error: count ${count} needs ${expected} fields (or ${expected + 1} with a CRC slot), got ${fields.length}`);
  }

  /** CMEP v1.20 §9: the slot is empty or `H` + 4 hex digits, verified only when the profile names a CRC. */
  function checkCrcSlot(context: LineContext, slot: string, field: number): string {
    if (!isCrcSlot(slot)) context.fail(field, 'crc', `expected empty or H + 4 hex digits, got ${JSON.stringify(slot)}`);
    if (options.crcAlgorithm !== undefined && slot !== '') {
      const covered = context.text.slice(0, context.text.lastIndexOf(','));
      const computed = formatCrc(crc16(covered, options.crcAlgorithm));
      if (computed.toUpperCase() !== slot.toUpperCase()) context.fail(field, 'crc', `${slot} does not match ${options.crcAlgorithm} ${computed}`);
    }
    return slot;
  }

  function constantOf(context: LineContext, text: string, field: number): string {
    if (text === '') return '1'; // cmep.md §4: an empty constant is read as 1, and recorded
    const parsed = parseFloatText(text);
    return parsed ?? context.fail(field, 'calculation constant', `not a number: ${JSON.stringify(text)}`);
  }

  function dataHeader(context: LineContext, fields: string[], calculationConstant: string, constantDefaulted: boolean, warnings: string[], crc: string | undefined): CmepDataHeader {
    const version = fields[1] ?? '';
    if (Number.isNaN(parseDate(version))) {
      if (!options.lenient.nonDateRecordVersion) context.fail(1, 'record version', `not a CCYYMMDD date: ${JSON.stringify(version)}`);
      warnings.push(`record version ${JSON.stringify(version)} is not a CCYYMMDD date (read leniently)`);
    }
    const createdAt = fields[6] ?? '';
    if (createdAt !== '' && Number.isNaN(parseDateTime(createdAt))) context.fail(6, 'time stamp', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(createdAt)}`);
    const meterId = fields[options.identityField] ?? '';
    if (meterId === '') context.fail(options.identityField, FIELD_NAMES_MD[options.identityField] ?? 'meter id', 'the meter identity is empty');
    const unit = fields[10] ?? '';
    if (unit === '') context.fail(10, 'units', 'empty');
    if (context.text.length > MAX_LINE) warnings.push(`line is ${context.text.length} characters, over the ${MAX_LINE} of CMEP v1.20 §1`);
    return {
      line: context.line,
      recordVersion: version,
      senderId: fields[2] ?? '',
      senderCustomerId: fields[3] ?? '',
      receiverId: fields[4] ?? '',
      receiverCustomerId: fields[5] ?? '',
      createdAt,
      meterId,
      purpose: fields[8] ?? '',
      commodity: fields[9] ?? '',
      unit,
      calculationConstant,
      constantDefaulted,
      crc,
      warnings: warnings.length === 0 ? NO_WARNINGS : warnings,
    };
  }

  /** A value × the calculation constant; `N` means no value (cmep.md §4: missing, never 0). */
  function valueOf(context: LineContext, field: number, text: string, letter: string, multiplier: Decimal | undefined): string | null {
    if (letter === 'N') return null;
    const value = parseFloatText(text);
    if (value === undefined) return context.fail(field, 'value', `not a number: ${JSON.stringify(text)}`);
    return multiplier === undefined ? value : toDecimalString(multiplier.times(value));
  }

  /**
   * MEPMD01, the hot path: the 14 fixed fields are strings, the triplets are read in place
   * from `tail` starting at `position` (one slice per value, none per stamp), into columns.
   */
  function parseMd01(context: LineContext, head: string[], tail: string, start: number, quotedFields: number): MeterDataRecord {
    const countText = head[13] ?? '';
    const count = parseInteger(countText);
    if (!Number.isInteger(count) || count < 0) context.fail(13, 'count', `not a non-negative integer: ${JSON.stringify(countText)}`);
    if (count > 48) context.fail(13, 'count', `${count} is over the maximum of 48`);
    const warnings: string[] = [];
    const intervalParse = parseInterval(head[12] ?? '', options.lenient.minuteIntervals);
    if (!intervalParse.ok) return context.fail(12, 'interval', intervalParse.reason);
    if (intervalParse.warning !== undefined) warnings.push(intervalParse.warning);
    const interval = intervalParse.interval;
    const stepSeconds = interval === undefined ? undefined : clockSeconds(interval);
    const length = tail.length;
    const ends = new Float64Array(count);
    const flags = new Array<string>(count);
    const values = new Array<string | null>(count);
    let problems: Map<number, string> | undefined;
    let multiplier: Decimal | undefined;
    const constantText = head[11] ?? '';
    const constant = constantOf(context, constantText, 11);
    if (!UNITY.test(constant)) multiplier = new ExactDecimal(constant);
    let position = start;
    let previous = Number.NEGATIVE_INFINITY;
    let anchorWall = 0;
    let steps = 0;
    for (let index = 0; index < count; index++) {
      const base = MD01_FIXED + 3 * index;
      // Stamp: CMEP v1.20 §4, the end of the interval.
      if (position > length) fieldCountError(context, count, quotedFields);
      let stop = position;
      while (stop < length && tail.charCodeAt(stop) !== COMMA) stop++;
      let wall = Number.NaN;
      let stampText = '';
      if (stop - position === 12) {
        wall = parseDateTimeAt(tail, position);
        if (Number.isNaN(wall)) context.fail(base, 'triplet time', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(tail.slice(position, stop))}`);
      } else if (stop > position) {
        stampText = tail.slice(position, stop).trim();
        if (stampText !== '') {
          wall = parseDateTime(stampText);
          if (Number.isNaN(wall)) context.fail(base, 'triplet time', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(stampText)}`);
        }
      }
      position = stop + 1;
      let end: number;
      let problem: string | undefined;
      if (!Number.isNaN(wall)) {
        anchorWall = wall;
        steps = 0;
      } else {
        // CMEP v1.20 §4: an empty timestamp is the previous one plus Interval.
        if (index === 0) context.fail(base, 'triplet time', 'the first triplet timestamp must be present');
        if (interval === undefined) context.failRow(`structural error: field ${base} (triplet time) is empty and the interval is empty or zero`);
        steps++;
        if (stepSeconds === undefined) wall = addCalendarSteps(anchorWall, interval, steps);
      }
      if (Number.isNaN(wall) && stepSeconds !== undefined) {
        end = previous + stepSeconds * 1000; // cmep.md §8: step over DST in UTC
      } else if (clock.isUtc) {
        end = wall;
      } else {
        end = clock.resolve(wall, previous);
        if (Number.isNaN(end)) {
          problem = `triplet ${index + 1}: local time ${formatDateTime(wall)} does not exist in ${clock.zoneName} (DST gap)`;
          end = clock.gapInstant(wall);
        }
      }
      ends[index] = end;
      previous = end;
      // Flag: CMEP v1.20 §10, a letter and an optional vendor numeric status.
      if (position > length) fieldCountError(context, count, quotedFields);
      stop = position;
      while (stop < length && tail.charCodeAt(stop) !== COMMA) stop++;
      const flag = stop === position ? '' : sliceTrimmed(tail, position, stop);
      position = stop + 1;
      let letter = flag === '' ? '' : flagLetterOf(flag);
      if (letter === undefined) {
        problem = `triplet ${index + 1}: unknown flag ${JSON.stringify(flag)} (field ${base + 1})`;
        letter = 'R';
      }
      flags[index] = flag;
      // Value: a float; with flag N it is a placeholder, stored as missing (cmep.md §4).
      if (position > length) fieldCountError(context, count, quotedFields);
      stop = position;
      while (stop < length && tail.charCodeAt(stop) !== COMMA) stop++;
      if (letter === 'N') {
        values[index] = null;
      } else {
        const value = parseFloatAt(tail, position, stop);
        if (value === undefined) context.fail(base + 2, 'value', `not a number: ${JSON.stringify(tail.slice(position, stop))}`);
        values[index] = multiplier === undefined ? value : toDecimalString(multiplier.times(value));
      }
      position = stop + 1;
      if (problem !== undefined) (problems ??= new Map()).set(index, problem);
    }
    let crc: string | undefined;
    if (position <= length) {
      const rest = tail.slice(position);
      if (rest.includes(',')) fieldCountError(context, count, quotedFields);
      crc = checkCrcSlot(context, rest.trim(), MD01_FIXED + 3 * count);
    }
    const header = dataHeader(context, head, constant, constantText === '', warnings, crc);
    return { type: 'MEPMD01', ...header, interval, ends, flags, values, problems };
  }

  function parseMd02(context: LineContext, fields: string[]): TouDataRecord {
    const { count, crc } = checkStructure(context, fields, MD02_FIXED, 3, 15, 6);
    const warnings: string[] = [];
    const constantText = fields[12] ?? '';
    const constant = constantOf(context, constantText, 12);
    const head = dataHeader(context, fields, constant, constantText === '', warnings, crc);
    const season = fields[11] ?? '';
    if (season !== '' && season !== 'S' && season !== 'W') context.fail(11, 'season', `expected S, W or empty, got ${JSON.stringify(season)}`);
    const periodStart = instantOf(context, fields, 13, 'data start time', Number.NEGATIVE_INFINITY);
    const periodEnd = instantOf(context, fields, 14, 'data time stamp', periodStart);
    const multiplier = UNITY.test(constant) ? undefined : new ExactDecimal(constant);
    const entries: CmepTouEntry[] = [];
    for (let index = 0; index < count; index++) {
      const base = MD02_FIXED + 3 * index;
      const label = fields[base] ?? '';
      if (label === '') context.fail(base, 'TOU label', 'empty');
      const flagText = fields[base + 1] ?? '';
      const flag = parseFlag(flagText);
      const problem = flag === undefined ? `entry ${index + 1}: unknown flag ${JSON.stringify(flagText)} (field ${base + 1})` : undefined;
      const letter = flag?.letter ?? 'R';
      const value = valueOf(context, base + 2, fields[base + 2] ?? '', letter, multiplier);
      entries.push({ label, flag: flagText, letter, status: flag?.status, value, problem });
    }
    return { type: 'MEPMD02', ...head, season, periodStart, periodEnd, entries };
  }

  function instantOf(context: LineContext, fields: string[], index: number, name: string, after: number): number {
    const text = fields[index] ?? '';
    const wall = parseDateTime(text);
    if (Number.isNaN(wall)) context.fail(index, name, `not a CCYYMMDDHHMM date/time: ${JSON.stringify(text)}`);
    const instant = clock.resolve(wall, after);
    if (Number.isNaN(instant)) context.fail(index, name, `local time ${text} does not exist in ${clock.zoneName} (DST gap)`);
    return instant;
  }

  function parseEc01(context: LineContext, fields: string[]): EquipmentRecord {
    const { count, crc } = checkStructure(context, fields, EC01_FIXED, 2, 21, 16);
    const warnings: string[] = [];
    const version = fields[1] ?? '';
    if (Number.isNaN(parseDate(version))) {
      if (!options.lenient.nonDateRecordVersion) context.fail(1, 'record version', `not a CCYYMMDD date: ${JSON.stringify(version)}`);
      warnings.push(`record version ${JSON.stringify(version)} is not a CCYYMMDD date (read leniently)`);
    }
    for (const [index, name] of [[18, 'date of purchase'], [19, 'date of installation']] as const) {
      const text = fields[index] ?? '';
      if (text !== '' && Number.isNaN(parseDate(text))) context.fail(index, name, `not a CCYYMMDD date: ${JSON.stringify(text)}`);
    }
    const parameters: Record<string, string> = {};
    for (let index = 0; index < count; index++) {
      const name = fields[EC01_FIXED + 2 * index] ?? '';
      if (name === '') context.fail(EC01_FIXED + 2 * index, 'parameter name', 'empty');
      parameters[name] = fields[EC01_FIXED + 2 * index + 1] ?? '';
    }
    const at = (index: number): string => fields[index] ?? '';
    return {
      type: 'MEPEC01', line: context.line, recordVersion: version, senderId: at(2), senderCustomerId: at(3),
      receiverId: at(4), receiverCustomerId: at(5), createdAt: at(6), recordId: at(7), operation: at(8), purpose: at(9),
      comment: at(10), commodity: at(11), activity: at(12), equipmentType: at(13), manufacturer: at(14), model: at(15),
      serialNumber: at(16), identifier: at(17), purchaseDate: at(18), installationDate: at(19), owner: at(20),
      parameters, crc, warnings: warnings.length === 0 ? NO_WARNINGS : warnings,
    };
  }

  return (rawText: string, line: number): CmepParsed | undefined => {
    const text = rawText.charCodeAt(rawText.length - 1) === 13 ? rawText.slice(0, -1) : rawText;
    if (text.trim().length === 0) return undefined;
    const context = new LineContext(text, line);
    const firstComma = text.indexOf(',');
    const recordType = (firstComma === -1 ? text : text.slice(0, firstComma)).trim().replace(/^"(.*)"$/, '$1');
    if (recordType === 'MEPMD01') {
      if (text.indexOf('"') === -1) {
        const { fields, next } = leadingFields(text, MD01_FIXED);
        return parseMd01(context, fields, text, next, 0);
      }
      const all = splitFields(text);
      const head = all.slice(0, MD01_FIXED);
      while (head.length < MD01_FIXED) head.push('');
      const rest = all.slice(MD01_FIXED);
      rest.forEach((field, index) => {
        if (field.includes(',')) context.fail(MD01_FIXED + index, 'triplet', `a triplet field cannot hold a comma: ${JSON.stringify(field)}`);
      });
      return parseMd01(context, head, rest.join(','), rest.length === 0 ? 1 : 0, all.length);
    }
    switch (recordType) {
      case 'MEPMD02':
        return parseMd02(context, splitFields(text));
      case 'MEPEC01':
        return parseEc01(context, splitFields(text));
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
