/**
 * MEPMD01 interval data (cmep.md §4), the hot path of every import: a daily file holds millions
 * of triplets. The 14 fixed fields arrive as strings; the triplets are read in place from the
 * line, in one pass per field (find the comma and check the number's shape together), into
 * columns. Allocation per triplet is what bounds the speed, so the end times go into a shared
 * slab and repeated value texts are reused (see `ValueTexts`).
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, toDecimalString } from '../../canonical/index.js';
import { addCalendarSteps, clockSeconds, parseInterval, type WallClock } from './clock.js';
import { checkDataHeader, constantOf, NO_WARNINGS, UNITY } from './data-header.js';
import { flagLetterOf } from './flags.js';
import { formatDateTime, parseDateTime, parseFloatAt, parseInteger, StampReader } from './fields.js';
import type { MeterDataRecord } from './records.js';
import { checkCrcSlot, type CodecOptions, type LineContext } from './structure.js';

export const MD01_FIXED = 14;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** Longest plain value whose `ValueTexts` key stays exact: 13^14 < 2^53. */
const KEYED_LENGTH = 14;
const VALUE_SLOTS = 4096;
const SLAB_DOUBLES = 8192;

/**
 * Value texts seen before, by an exact numeric key of their characters (bijective base 13:
 * digits 1–10, `.` 11, `-` 12), in a direct-mapped table. Interval data repeats few distinct
 * values (zeros above all), so most values become a table hit instead of a new string.
 */
class ValueTexts {
  private readonly keys = new Float64Array(VALUE_SLOTS);
  private readonly texts = new Array<string>(VALUE_SLOTS).fill('');

  /** `hash` picks the slot (an int: a float `%` costs more than the whole lookup); `key` decides. */
  textOf(line: string, start: number, end: number, key: number, hash: number): string {
    const slot = hash & (VALUE_SLOTS - 1);
    const known = this.texts[slot];
    if (this.keys[slot] === key && known !== undefined) return known;
    const text = line.slice(start, end);
    this.keys[slot] = key;
    this.texts[slot] = text;
    return text;
  }
}

/**
 * End-time columns cut from one shared buffer: a `new Float64Array(48)` of its own costs about
 * ten times a view on an existing buffer. A slab stays alive while a record cut from it does.
 */
class EndSlab {
  private buffer = new ArrayBuffer(SLAB_DOUBLES * 8);
  private used = 0;

  take(count: number): Float64Array {
    const bytes = count * 8;
    if (this.used + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(SLAB_DOUBLES, count) * 8);
      this.used = 0;
    }
    const column = new Float64Array(this.buffer, this.used, count);
    this.used += bytes;
    return column;
  }
}

/** `text[start, end)` without blanks at either end (CMEP v1.20 §1), slicing once. */
function sliceTrimmed(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  while (from < to && text.charCodeAt(from) <= 32) from++;
  while (to > from && text.charCodeAt(to - 1) <= 32) to--;
  return text.slice(from, to);
}

export class IntervalDataParser {
  private readonly stamps = new StampReader();
  private readonly valueTexts = new ValueTexts();
  private readonly endSlab = new EndSlab();

  constructor(private readonly options: CodecOptions, private readonly clock: WallClock) {}

  /**
   * `head` holds the 14 fixed fields; the triplets are read from `tail` starting at `start`.
   * `quotedFields` is the field count of a quoted line (0 when unquoted), for the error message.
   */
  parse(context: LineContext, head: readonly string[], tail: string, start: number, quotedFields: number): MeterDataRecord {
    const { options, clock } = this;
    const countText = head[13] ?? '';
    const count = parseInteger(countText);
    if (!Number.isInteger(count) || count < 0) context.fail(13, 'count', `not a non-negative integer: ${JSON.stringify(countText)}`);
    if (count > 48) context.fail(13, 'count', `${count} is over the maximum of 48`);
    const warnings: string[] = [];
    const intervalParse = parseInterval(head[12] ?? '', options.lenient.minuteIntervals);
    if (!intervalParse.ok) return context.fail(12, 'interval', intervalParse.reason);
    if (intervalParse.warning !== undefined) warnings.push(intervalParse.warning);
    const interval = intervalParse.interval;
    const stepMs = interval === undefined ? undefined : (clockSeconds(interval) ?? Number.NaN) * 1000;
    const constantText = head[11] ?? '';
    const constant = constantOf(context, constantText, 11);
    const multiplier: Decimal | undefined = UNITY.test(constant) ? undefined : new ExactDecimal(constant);
    const length = tail.length;
    const ends = this.endSlab.take(count);
    const flags = new Array<string>(count);
    const values = new Array<string | null>(count);
    let problems: Map<number, string> | undefined;
    let position = start;
    let previous = Number.NEGATIVE_INFINITY;
    let anchorWall = 0;
    let steps = 0;
    for (let index = 0; index < count; index++) {
      const base = MD01_FIXED + 3 * index;
      // Stamp: CMEP v1.20 §4, the end of the interval.
      if (position > length) this.fieldCountError(context, count, quotedFields);
      let stop = position;
      while (stop < length && tail.charCodeAt(stop) !== COMMA) stop++;
      let wall = Number.NaN;
      if (stop - position === 12) {
        wall = this.stamps.wallAt(tail, position);
        if (Number.isNaN(wall)) context.fail(base, 'triplet time', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(tail.slice(position, stop))}`);
      } else if (stop > position) {
        const stampText = tail.slice(position, stop).trim();
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
        // A calendar (month/day) interval steps on the wall clock; a clock interval in UTC below.
        if (Number.isNaN(stepMs)) wall = addCalendarSteps(anchorWall, interval, steps);
      }
      if (Number.isNaN(wall)) {
        end = previous + (stepMs ?? 0); // cmep.md §8: step over DST in UTC
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
      if (position > length) this.fieldCountError(context, count, quotedFields);
      let letter: string | undefined = '';
      if (position === length || tail.charCodeAt(position) === COMMA) {
        flags[index] = '';
        position++;
      } else {
        stop = position;
        while (stop < length && tail.charCodeAt(stop) !== COMMA) stop++;
        const flag = sliceTrimmed(tail, position, stop);
        position = stop + 1;
        letter = flag === '' ? '' : flagLetterOf(flag);
        if (letter === undefined) {
          problem = `triplet ${index + 1}: unknown flag ${JSON.stringify(flag)} (field ${base + 1})`;
          letter = 'R';
        }
        flags[index] = flag;
      }
      // Value: a float; with flag N it is a placeholder, stored as missing (cmep.md §4).
      if (position > length) this.fieldCountError(context, count, quotedFields);
      // One pass: the shape `-?digits(.digits)?` and its ValueTexts key, up to the comma.
      let cursor = position;
      let code = cursor < length ? tail.charCodeAt(cursor) : COMMA;
      let key = 0;
      let hash = 0;
      if (code === MINUS) {
        key = 12;
        hash = 12;
        code = ++cursor < length ? tail.charCodeAt(cursor) : COMMA;
      }
      let digitsFrom = cursor;
      while (code >= ZERO && code <= NINE) {
        key = key * 13 + (code - ZERO + 1);
        hash = (Math.imul(hash, 31) + code) | 0;
        code = ++cursor < length ? tail.charCodeAt(cursor) : COMMA;
      }
      let plain = cursor > digitsFrom;
      if (plain && code === DOT) {
        key = key * 13 + 11;
        hash = (Math.imul(hash, 31) + DOT) | 0;
        code = ++cursor < length ? tail.charCodeAt(cursor) : COMMA;
        digitsFrom = cursor;
        while (code >= ZERO && code <= NINE) {
          key = key * 13 + (code - ZERO + 1);
          code = ++cursor < length ? tail.charCodeAt(cursor) : COMMA;
        }
        plain = cursor > digitsFrom;
      }
      stop = cursor;
      if (!plain || code !== COMMA) {
        plain = false;
        while (stop < length && tail.charCodeAt(stop) !== COMMA) stop++;
      }
      if (letter === 'N') {
        values[index] = null;
      } else {
        let value: string | undefined;
        if (plain) value = stop - position <= KEYED_LENGTH ? this.valueTexts.textOf(tail, position, stop, key, hash) : tail.slice(position, stop);
        else value = parseFloatAt(tail, position, stop) ?? context.fail(base + 2, 'value', `not a number: ${JSON.stringify(tail.slice(position, stop))}`);
        values[index] = multiplier === undefined ? value : toDecimalString(multiplier.times(value));
      }
      position = stop + 1;
      if (problem !== undefined) (problems ??= new Map()).set(index, problem);
    }
    let crc: string | undefined;
    if (position <= length) {
      const rest = tail.slice(position);
      if (rest.includes(',')) this.fieldCountError(context, count, quotedFields);
      crc = checkCrcSlot(options, context, rest.trim(), MD01_FIXED + 3 * count);
    }
    const meterId = checkDataHeader(options, context, head, warnings);
    // Built in one literal (no spread of a header object): one allocation per row.
    return {
      type: 'MEPMD01',
      line: context.line,
      recordVersion: head[1] ?? '',
      senderId: head[2] ?? '',
      senderCustomerId: head[3] ?? '',
      receiverId: head[4] ?? '',
      receiverCustomerId: head[5] ?? '',
      createdAt: head[6] ?? '',
      meterId,
      purpose: head[8] ?? '',
      commodity: head[9] ?? '',
      unit: head[10] ?? '',
      calculationConstant: constant,
      constantDefaulted: constantText === '',
      crc,
      warnings: warnings.length === 0 ? NO_WARNINGS : warnings,
      interval,
      ends,
      flags,
      values,
      problems,
    };
  }

  /** CMEP v1.20 §4 structural check: fields == 14 + 3·count (+1 for a CRC slot). */
  private fieldCountError(context: LineContext, count: number, quotedFields: number): never {
    const got = quotedFields > 0 ? quotedFields : context.text.split(',').length;
    return context.failRow(`structural error: count ${count} needs ${MD01_FIXED + 3 * count} fields (or ${MD01_FIXED + 3 * count + 1} with a CRC slot), got ${got}`);
  }
}
