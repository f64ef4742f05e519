/**
 * CMEP v1.20 §1–§2 at the field level: splitting a line into fields (quotes, blanks) and reading
 * the data types (integer with the `H` hex form, float with E/e/D/d exponents, `CCYYMMDDHHMM`
 * date/times). Hand-written character loops rather than regular expressions: these run for every
 * triplet of every row and decide the parser's speed.
 */
import { ExactDecimal, toDecimalString } from '../../canonical/index.js';

const QUOTE = 34;
const SPACE = 32;
const TAB = 9;
const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const DOT = 46;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

/**
 * Splits a record into fields. CMEP v1.20 §1: the receiver ignores leading and trailing blanks
 * except inside quotes; a quoted field keeps its commas and blanks; the spec defines no escape
 * for a quote inside quotes, so RFC 4180 doubling (`""`) is accepted leniently.
 */
export function splitFields(line: string): string[] {
  if (line.indexOf('"') === -1) {
    const fields = line.split(',');
    for (let index = 0; index < fields.length; index++) {
      const field = fields[index] ?? '';
      const length = field.length;
      if (length > 0 && (isBlank(field.charCodeAt(0)) || isBlank(field.charCodeAt(length - 1)))) fields[index] = field.trim();
    }
    return fields;
  }
  return splitQuoted(line);
}

function splitQuoted(line: string): string[] {
  const fields: string[] = [];
  const length = line.length;
  let position = 0;
  for (;;) {
    while (position < length && isBlank(line.charCodeAt(position))) position++;
    if (position < length && line.charCodeAt(position) === QUOTE) {
      let text = '';
      let segmentStart = position + 1;
      let cursor = segmentStart;
      for (;;) {
        const close = line.indexOf('"', cursor);
        if (close === -1) {
          // An unterminated quote runs to the end of the line: keep what is there.
          text += line.slice(segmentStart);
          position = length;
          break;
        }
        if (line.charCodeAt(close + 1) === QUOTE) {
          text += line.slice(segmentStart, close + 1);
          cursor = close + 2;
          segmentStart = cursor;
          continue;
        }
        text += line.slice(segmentStart, close);
        position = close + 1;
        break;
      }
      // Blanks after the closing quote are dropped; any other text is kept, appended.
      const comma = line.indexOf(',', position);
      const tail = (comma === -1 ? line.slice(position) : line.slice(position, comma)).trim();
      fields.push(text + tail);
      if (comma === -1) return fields;
      position = comma + 1;
    } else {
      const comma = line.indexOf(',', position);
      if (comma === -1) {
        fields.push(line.slice(position).trim());
        return fields;
      }
      fields.push(line.slice(position, comma).trim());
      position = comma + 1;
    }
  }
}

/**
 * CMEP v1.20 §2 integer: decimal with optional sign, or hex with a leading `H` (`H1F` = 31). An
 * empty numeric field means 0. Returns NaN when the text is not an integer.
 */
export function parseInteger(text: string): number {
  const length = text.length;
  if (length === 0) return 0;
  const first = text.charCodeAt(0);
  if (first === 72 || first === 104) {
    if (length === 1) return Number.NaN;
    let value = 0;
    for (let index = 1; index < length; index++) {
      const digit = hexDigit(text.charCodeAt(index));
      if (digit < 0) return Number.NaN;
      value = value * 16 + digit;
    }
    return value;
  }
  let index = first === MINUS || first === 43 ? 1 : 0;
  if (index === length) return Number.NaN;
  let value = 0;
  for (; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code < ZERO || code > NINE) return Number.NaN;
    value = value * 10 + (code - ZERO);
  }
  return first === MINUS ? -value : value;
}

function hexDigit(code: number): number {
  if (code >= ZERO && code <= NINE) return code - ZERO;
  if (code >= 65 && code <= 70) return code - 55;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

const FLOAT_FORM = /^[+-]?(\d+\.?\d*|\.\d+)([EeDd][+-]?\d+)?$/;

/**
 * CMEP v1.20 §2 float as a plain decimal string (the canonical form), or undefined when the text
 * is not a float. Plain `12` / `-12.5` are returned as they are; a `+`, a bare `.5`, a trailing
 * `.` and the exponent forms (`1.5E2`, `1.5D2`: D is FORTRAN's double exponent) go through
 * decimal.js, never through a JS float. An empty field is 0 (§2).
 */
export function parseFloatText(text: string): string | undefined {
  return parseFloatAt(text, 0, text.length);
}

/** `parseFloatText` of `text[start, end)`, slicing only once. */
export function parseFloatAt(text: string, start: number, end: number): string | undefined {
  if (start === end) return '0';
  let index = text.charCodeAt(start) === MINUS ? start + 1 : start;
  const integerStart = index;
  while (index < end) {
    const code = text.charCodeAt(index);
    if (code < ZERO || code > NINE) break;
    index++;
  }
  const integerDigits = index - integerStart;
  if (index === end && integerDigits > 0) return text.slice(start, end);
  if (integerDigits > 0 && text.charCodeAt(index) === DOT) {
    index++;
    const fractionStart = index;
    while (index < end) {
      const code = text.charCodeAt(index);
      if (code < ZERO || code > NINE) break;
      index++;
    }
    if (index === end && index > fractionStart) return text.slice(start, end);
  }
  return parseFloatSlow(text.slice(start, end).trim());
}

function parseFloatSlow(text: string): string | undefined {
  if (!FLOAT_FORM.test(text)) return undefined;
  const normalised = text.replace(/[Dd]/, 'e').replace(/^\+/, '');
  return toDecimalString(new ExactDecimal(normalised.endsWith('.') ? normalised.slice(0, -1) : normalised));
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const shifted = month <= 2 ? year - 1 : year;
  const era = Math.floor(shifted / 400);
  const yearOfEra = shifted - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const code = text.charCodeAt(index);
    if (code < ZERO || code > NINE) return -1;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

/**
 * CMEP v1.20 §2 `CCYYMMDDHHMM` as the wall-clock time read as if it were UTC, in epoch
 * milliseconds; NaN when the text is not a real date/time. Valid times are 0000–2359 only.
 */
export function parseDateTime(text: string): number {
  return text.length === 12 ? parseDateTimeAt(text, 0) : Number.NaN;
}

/** `parseDateTime` of the 12 characters of `text` from `start`. */
export function parseDateTimeAt(text: string, start: number): number {
  const year = digitsAt(text, start, 4);
  const month = digitsAt(text, start + 4, 2);
  const day = digitsAt(text, start + 6, 2);
  const hour = digitsAt(text, start + 8, 2);
  const minute = digitsAt(text, start + 10, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
  return daysFromCivil(year, month, day) * DAY_MS + (hour * 60 + minute) * MINUTE_MS;
}

/** CMEP v1.20 §2 `CCYYMMDD` as days since 1970-01-01; NaN when not a real date. */
export function parseDate(text: string): number {
  if (text.length !== 8) return Number.NaN;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 4, 2);
  const day = digitsAt(text, 6, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  return daysFromCivil(year, month, day);
}

/** Epoch milliseconds as `CCYYMMDDHHMM` (the wall clock of a millisecond count read as UTC). */
export function formatDateTime(wallMillis: number): string {
  const date = new Date(wallMillis);
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  return (
    pad(date.getUTCFullYear(), 4) +
    pad(date.getUTCMonth() + 1, 2) +
    pad(date.getUTCDate(), 2) +
    pad(date.getUTCHours(), 2) +
    pad(date.getUTCMinutes(), 2)
  );
}

function byteDigitsAt(bytes: Uint8Array, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const code = bytes[index] ?? 0;
    if (code < ZERO || code > NINE) return -1;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

/**
 * `parseDateTimeAt` for a stream of stamps read from bytes. Consecutive stamps share their date
 * (a row covers a day or less, a file is sorted by day), so the day's epoch is computed once per
 * distinct CCYYMMDD and each stamp costs only its HHMM.
 */
export class StampReader {
  private date = -1;
  private dayMs = 0;

  /** The same result as `parseDateTimeAt` of the 12 characters `bytes` hold from `start`. */
  wallAt(bytes: Uint8Array, start: number): number {
    const date = byteDigitsAt(bytes, start, 8);
    if (date < 0) return Number.NaN;
    if (date !== this.date) {
      const year = Math.floor(date / 10_000);
      const month = Math.floor(date / 100) % 100;
      const day = date % 100;
      if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
      this.date = date;
      this.dayMs = daysFromCivil(year, month, day) * DAY_MS;
    }
    const hour = byteDigitsAt(bytes, start + 8, 2);
    const minute = byteDigitsAt(bytes, start + 10, 2);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59) return Number.NaN;
    return this.dayMs + (hour * 60 + minute) * MINUTE_MS;
  }
}
