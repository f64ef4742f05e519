/**
 * MEPMD01 interval data (cmep.md §4), the hot path of every import: a daily file holds millions
 * of triplets. The 14 fixed fields arrive as strings; the triplets are read in place from the
 * line's bytes (line-bytes.ts), in one pass per field (find the comma and check the number's
 * shape together), into columns. Allocation per triplet is what bounds the speed, so the end
 * times go into a shared slab and repeated value and flag texts are reused (`ValueTexts`,
 * `FlagTexts`); strings are cut from the line's text only for what is new.
 */
import type { Decimal } from 'decimal.js';
import { ExactDecimal, toDecimalString } from '../../canonical/index.js';
import { addCalendarSteps, clockSeconds, type IntervalParse, parseInterval, type WallClock } from './clock.js';
import { checkDataHeader, constantOf, HeaderMemo, NO_WARNINGS, UNITY } from './data-header.js';
import { flagKeyDigit, LETTER_OF_KEY_DIGIT } from './flags.js';
import { formatDateTime, parseDateTime, parseFloatAt, parseInteger, StampReader } from './fields.js';
import type { FlagLetter, MeterDataRecord } from './records.js';
import { checkCrcSlot, type CodecOptions, type LineContext } from './structure.js';

export const MD01_FIXED = 14;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** Characters per ValueTexts key word (13^8 < 2^31), and the longest value the table keeps. */
const KEY_WORD_LENGTH = 8;
const KEYED_LENGTH = 2 * KEY_WORD_LENGTH;
const VALUE_SLOTS = 4096;
/** Longest flag whose `FlagTexts` key stays exact: 15^13 < 2^53. */
const FLAG_KEYED_LENGTH = 13;
const FLAG_SLOTS = 256;
const SLAB_DOUBLES = 8192;
const STAMP_LENGTH = 12;

/**
 * Value texts seen before, in a direct-mapped table keyed exactly by their characters: bijective
 * base 13 (digits 1–10, `.` 11, `-` 12), eight characters to an int32 word, two words. Interval
 * data repeats few distinct values (zeros above all), so most values become a table hit instead
 * of a new string. The codec's loop reads the table in place (`keys` … `texts`).
 */
class ValueTexts {
  readonly lowKeys = new Int32Array(VALUE_SLOTS);
  readonly highKeys = new Int32Array(VALUE_SLOTS);
  readonly texts = new Array<string>(VALUE_SLOTS).fill('');
}

/** The ValueTexts key word of `bytes[start, end)` (at most eight characters of `-`, `.` and digits). */
function valueKeyWord(bytes: Uint8Array, start: number, end: number): number {
  let key = 0;
  for (let index = start; index < end; index++) {
    const code = bytes[index] ?? 0;
    key = (Math.imul(key, 13) + (code === MINUS ? 12 : code === DOT ? 11 : code - ZERO + 1)) | 0;
  }
  return key;
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

/**
 * Flags seen before (cmep.md §10: a letter and a vendor numeric status), by an exact numeric key
 * of their characters (`flagKeyDigit`). A feed uses a handful of flags, so nearly every
 * non-empty flag is a table hit.
 */
class FlagTexts {
  private readonly keys = new Float64Array(FLAG_SLOTS);
  private readonly texts = new Array<string>(FLAG_SLOTS).fill('');

  textOf(text: string, start: number, end: number, key: number): string {
    const slot = key % FLAG_SLOTS;
    const known = this.texts[slot];
    if (this.keys[slot] === key && known !== undefined) return known;
    const flag = text.slice(start, end);
    this.keys[slot] = key;
    this.texts[slot] = flag;
    return flag;
  }
}

/** The interval field as last read, with what it gave: rows of one file repeat it. */
interface IntervalMemo {
  readonly text: string;
  readonly parse: Extract<IntervalParse, { ok: true }>;
  readonly stepMs: number | undefined;
}

/** The calculation constant as last read: rows of one file repeat it. */
interface ConstantMemo {
  readonly text: string;
  readonly constant: string;
  readonly multiplier: Decimal | undefined;
}

export class IntervalDataParser {
  private readonly stamps = new StampReader();
  private readonly valueTexts = new ValueTexts();
  private readonly flagTexts = new FlagTexts();
  private readonly endSlab = new EndSlab();
  private readonly headerMemo = new HeaderMemo();
  private intervalMemo: IntervalMemo | undefined;
  private constantMemo: ConstantMemo | undefined;

  constructor(private readonly options: CodecOptions, private readonly clock: WallClock) {}

  /**
   * `head` holds the 14 fixed fields; the triplets are read from `bytes[from, to)` (`from` is
   * `to + 1` when the line ends before them), whose characters are `text[i - base]`.
   * `quotedFields` is the field count of a quoted line (0 when unquoted), for the error message.
   */
  parse(context: LineContext, head: readonly string[], bytes: Uint8Array, from: number, to: number, text: string, base: number, quotedFields: number): MeterDataRecord {
    const { clock } = this;
    const countText = head[13] ?? '';
    const count = parseInteger(countText);
    if (!Number.isInteger(count) || count < 0) context.fail(13, 'count', `not a non-negative integer: ${JSON.stringify(countText)}`);
    if (count > 48) context.fail(13, 'count', `${count} is over the maximum of 48`);
    const warnings: string[] = [];
    const intervalMemo = this.intervalOf(context, head[12] ?? '');
    if (intervalMemo.parse.warning !== undefined) warnings.push(intervalMemo.parse.warning);
    const interval = intervalMemo.parse.interval;
    const stepMs = intervalMemo.stepMs;
    const constantText = head[11] ?? '';
    const { constant, multiplier } = this.constantOf(context, constantText);
    const ends = this.endSlab.take(count);
    const flags = new Array<string>(count);
    const values = new Array<string | null>(count);
    let problems: Map<number, string> | undefined;
    let position = from;
    let previous = Number.NEGATIVE_INFINITY;
    let anchorWall = 0;
    const { lowKeys: valueLowKeys, highKeys: valueHighKeys, texts: valueTexts } = this.valueTexts;
    let steps = 0;
    for (let index = 0; index < count; index++) {
      const field = MD01_FIXED + 3 * index;
      // Stamp: CMEP v1.20 §4, the end of the interval.
      if (position > to) this.fieldCountError(context, count, quotedFields);
      let stop = position;
      let wall = Number.NaN;
      // A given stamp is 12 digits and a comma: read it without searching for the comma first.
      if (position + STAMP_LENGTH <= to && (position + STAMP_LENGTH === to || bytes[position + STAMP_LENGTH] === COMMA)) {
        wall = this.stamps.wallAt(bytes, position);
        if (!Number.isNaN(wall)) stop = position + STAMP_LENGTH;
      }
      if (stop === position) {
        while (stop < to && bytes[stop] !== COMMA) stop++;
        // 12 characters that did not read above are no date/time; other lengths may carry blanks.
        if (stop - position === STAMP_LENGTH) context.fail(field, 'triplet time', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(text.slice(position - base, stop - base))}`);
        if (stop > position) {
          const stampText = text.slice(position - base, stop - base).trim();
          if (stampText !== '') {
            wall = parseDateTime(stampText);
            if (Number.isNaN(wall)) context.fail(field, 'triplet time', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(stampText)}`);
          }
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
        if (index === 0) context.fail(field, 'triplet time', 'the first triplet timestamp must be present');
        if (interval === undefined) context.failRow(`structural error: field ${field} (triplet time) is empty and the interval is empty or zero`);
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
      if (position > to) this.fieldCountError(context, count, quotedFields);
      let letter: FlagLetter | undefined = '';
      if (position === to || bytes[position] === COMMA) {
        flags[index] = '';
        position++;
      } else {
        stop = position;
        while (stop < to && bytes[stop] !== COMMA) stop++;
        let first = position;
        let last = stop;
        while (first < last && (bytes[first] ?? 0) <= 32) first++;
        while (last > first && (bytes[last - 1] ?? 0) <= 32) last--;
        // One pass: the shape (letter or digit, then digits) and the FlagTexts key.
        let key = first < last ? flagKeyDigit(bytes[first] ?? 0) : 0;
        letter = first === last ? '' : LETTER_OF_KEY_DIGIT[key];
        for (let cursor = first + 1; cursor < last && key > 0; cursor++) {
          const code = bytes[cursor] ?? 0;
          key = code >= ZERO && code <= NINE ? key * 15 + (code - ZERO + 1) : 0;
        }
        let flag: string;
        if (key > 0 && last - first <= FLAG_KEYED_LENGTH) {
          flag = this.flagTexts.textOf(text, first - base, last - base, key);
        } else {
          flag = text.slice(first - base, last - base);
          if (first < last && key === 0) letter = undefined;
        }
        position = stop + 1;
        if (letter === undefined) {
          problem = `triplet ${index + 1}: unknown flag ${JSON.stringify(flag)} (field ${field + 1})`;
          letter = 'R';
        }
        flags[index] = flag;
      }
      // Value: a float; with flag N it is a placeholder, stored as missing (cmep.md §4).
      if (position > to) this.fieldCountError(context, count, quotedFields);
      // One pass: the shape `-?digits(.digits)?` and its ValueTexts key, up to the comma.
      let cursor = position;
      let code = cursor < to ? (bytes[cursor] ?? COMMA) : COMMA;
      let key = 0;
      if (code === MINUS) {
        key = 12;
        code = ++cursor < to ? (bytes[cursor] ?? COMMA) : COMMA;
      }
      let digitsFrom = cursor;
      while (code >= ZERO && code <= NINE) {
        key = (Math.imul(key, 13) + (code - ZERO + 1)) | 0;
        code = ++cursor < to ? (bytes[cursor] ?? COMMA) : COMMA;
      }
      let plain = cursor > digitsFrom;
      if (plain && code === DOT) {
        key = (Math.imul(key, 13) + 11) | 0;
        code = ++cursor < to ? (bytes[cursor] ?? COMMA) : COMMA;
        digitsFrom = cursor;
        while (code >= ZERO && code <= NINE) {
          key = (Math.imul(key, 13) + (code - ZERO + 1)) | 0;
          code = ++cursor < to ? (bytes[cursor] ?? COMMA) : COMMA;
        }
        plain = cursor > digitsFrom;
      }
      stop = cursor;
      if (!plain || code !== COMMA) {
        plain = false;
        while (stop < to && bytes[stop] !== COMMA) stop++;
      }
      if (letter === 'N') {
        values[index] = null;
      } else {
        let value: string | undefined;
        const length = stop - position;
        if (plain && length <= KEYED_LENGTH) {
          // A longer value's key wrapped: its two words are read again, apart.
          const high = length <= KEY_WORD_LENGTH ? 0 : valueKeyWord(bytes, position, stop - KEY_WORD_LENGTH);
          if (high !== 0) key = valueKeyWord(bytes, stop - KEY_WORD_LENGTH, stop);
          const slot = (key ^ high) & (VALUE_SLOTS - 1);
          value = valueTexts[slot];
          if (value === undefined || valueLowKeys[slot] !== key || valueHighKeys[slot] !== high) {
            value = text.slice(position - base, stop - base);
            valueLowKeys[slot] = key;
            valueHighKeys[slot] = high;
            valueTexts[slot] = value;
          }
        } else if (plain) {
          value = text.slice(position - base, stop - base);
        } else {
          value = parseFloatAt(text, position - base, stop - base) ?? context.fail(field + 2, 'value', `not a number: ${JSON.stringify(text.slice(position - base, stop - base))}`);
        }
        values[index] = multiplier === undefined ? value : toDecimalString(multiplier.times(value));
      }
      position = stop + 1;
      if (problem !== undefined) (problems ??= new Map()).set(index, problem);
    }
    let crc: string | undefined;
    if (position <= to) {
      const rest = text.slice(position - base, to - base);
      if (rest.includes(',')) this.fieldCountError(context, count, quotedFields);
      crc = checkCrcSlot(this.options, context, rest.trim(), MD01_FIXED + 3 * count);
    }
    const meterId = checkDataHeader(this.options, context, head, warnings, this.headerMemo);
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

  /** Field 12, read once per distinct text (cmep.md §8). */
  private intervalOf(context: LineContext, text: string): IntervalMemo {
    const memo = this.intervalMemo;
    if (memo !== undefined && memo.text === text) return memo;
    const parse = parseInterval(text, this.options.lenient.minuteIntervals);
    if (!parse.ok) return context.fail(12, 'interval', parse.reason);
    const stepMs = parse.interval === undefined ? undefined : (clockSeconds(parse.interval) ?? Number.NaN) * 1000;
    this.intervalMemo = { text, parse, stepMs };
    return this.intervalMemo;
  }

  /** Field 11, read once per distinct text (cmep.md §4). */
  private constantOf(context: LineContext, text: string): ConstantMemo {
    const memo = this.constantMemo;
    if (memo !== undefined && memo.text === text) return memo;
    const constant = constantOf(context, text, 11);
    this.constantMemo = { text, constant, multiplier: UNITY.test(constant) ? undefined : new ExactDecimal(constant) };
    return this.constantMemo;
  }

  /** CMEP v1.20 §4 structural check: fields == 14 + 3·count (+1 for a CRC slot). */
  private fieldCountError(context: LineContext, count: number, quotedFields: number): never {
    const got = quotedFields > 0 ? quotedFields : context.text.split(',').length;
    return context.failRow(`structural error: count ${count} needs ${MD01_FIXED + 3 * count} fields (or ${MD01_FIXED + 3 * count + 1} with a CRC slot), got ${got}`);
  }
}
