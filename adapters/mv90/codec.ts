/**
 * Pure decoding of MV-90 xi tabular exports: a physical line → fields (delimiter and quote of the
 * template, RFC 4180 quoting), and fields → typed records. No I/O, no clock. A bad field is an
 * InputError whose `field` names the 1-based column, so the quarantine says where to look.
 */
import { DateTime } from 'luxon';
import { InputError, type WallTimePolicy, parseLocalWallTime } from '../../canonical/index.js';
import type { FormattedColumn, StampColumns, Template } from './spec.js';

/** One interval value of one channel, from an interval-per-row export. */
export interface IntervalRecord {
  readonly kind: 'interval';
  readonly meterId: string;
  readonly channel: string;
  /**
   * The row's stamp as epoch milliseconds. A wall time repeated by fall-back has two readings,
   * daylight (`stampEarlier`) and standard (`stampLater`); the mapping picks one by sequence.
   * They are equal for every other wall time.
   */
  readonly stampEarlier: number;
  readonly stampLater: number;
  /** The value's text as a decimal string before the channel multiplier; null when missing. */
  readonly value: string | null;
  readonly status: string | null;
}

/** One local day of one channel, from a day-per-row export. */
export interface DayRecord {
  readonly kind: 'day';
  readonly meterId: string;
  readonly channel: string;
  /** Local date `YYYY-MM-DD` in the template's zone. */
  readonly date: string;
  readonly values: readonly (string | null)[];
  readonly statuses: readonly (string | null)[];
}

export type Mv90Record = IntervalRecord | DayRecord;

/**
 * Splits one line into fields. Quoting follows RFC 4180 §2: a quoted field may hold delimiters
 * and doubled quotes. A field that spans lines is not supported: exports of interval data do not
 * write them, and reading line by line keeps a bad quote from swallowing the rest of the file.
 */
export function splitDelimitedLine(line: string, delimiter: string, quote: string, trim = true): string[] {
  const fields: string[] = [];
  let index = 0;
  while (index <= line.length) {
    let start = index;
    while (start < line.length && line[start] === ' ') start += 1;
    if (line[start] === quote) {
      let text = '';
      let cursor = start + 1;
      for (;;) {
        const next = line.indexOf(quote, cursor);
        if (next === -1) throw new InputError(`field ${fields.length + 1}: quote not closed`, { field: `column ${fields.length + 1}` });
        text += line.slice(cursor, next);
        if (line[next + 1] === quote) {
          text += quote;
          cursor = next + 2;
          continue;
        }
        cursor = next + 1;
        break;
      }
      while (cursor < line.length && line[cursor] === ' ') cursor += 1;
      if (cursor < line.length && line[cursor] !== delimiter) {
        throw new InputError(`field ${fields.length + 1}: text after closing quote`, { field: `column ${fields.length + 1}` });
      }
      fields.push(text);
      index = cursor + 1;
    } else {
      const end = line.indexOf(delimiter, index);
      const raw = end === -1 ? line.slice(index) : line.slice(index, end);
      fields.push(trim ? raw.trim() : raw);
      index = end === -1 ? line.length + 1 : end + 1;
    }
  }
  return fields;
}

type ColumnName = string;

function columnError(column: number, name: ColumnName, message: string): InputError {
  return new InputError(`column ${column} (${name}): ${message}`, { field: `column ${column}` });
}

function cell(fields: readonly string[], column: number, name: ColumnName): string {
  const text = fields[column - 1];
  if (text === undefined) throw columnError(column, name, `missing: the row has ${fields.length} columns`);
  return text;
}

function required(fields: readonly string[], column: number, name: ColumnName): string {
  const text = cell(fields, column, name);
  if (text === '') throw columnError(column, name, 'empty');
  return text;
}

/** A value text as a canonical decimal string, or null when the template calls it missing (never 0). */
function decodeValue(template: Template, fields: readonly string[], column: number): string | null {
  const text = cell(fields, column, 'value');
  const { decimalSeparator, thousandsSeparator, missing } = template.values;
  if (missing.includes(text)) return null;
  let normal = thousandsSeparator === '' ? text : text.split(thousandsSeparator).join('');
  if (decimalSeparator === ',') normal = normal.replace(',', '.');
  if (normal.startsWith('+')) normal = normal.slice(1);
  if (normal.startsWith('.') || normal.startsWith('-.')) normal = normal.replace('.', '0.');
  if (normal.endsWith('.')) normal = normal.slice(0, -1);
  if (!/^-?\d+(\.\d+)?$/.test(normal)) throw columnError(column, 'value', `not a number: ${JSON.stringify(text)}`);
  return normal;
}

function decodeStatus(fields: readonly string[], column: number | undefined): string | null {
  if (column === undefined) return null;
  const text = cell(fields, column, 'status');
  return text === '' ? null : text;
}

const END_OF_DAY = /(^|\D)24:00(:00)?(\D|$)/;

/**
 * Entries of the wall-clock cache. It serves the dates of day-per-row exports (a year is 366);
 * interval stamps are memoised as instants by RowDecoder, so here they would only pile up luxon
 * DateTimes (with a Locale each, about 0.3 kB) that are never asked for again.
 */
const WALL_CLOCK_CACHE_ENTRIES = 4_096;

/**
 * Parses wall-clock text with luxon format tokens. `24:00` (end of day in some exports) becomes
 * midnight of the next day. Results are memoised: an export repeats the same dates per meter.
 */
class WallClockParser {
  private readonly cache = new Map<string, DateTime | null>();

  parse(text: string, format: string): DateTime | null {
    const key = `${format}\u0000${text}`;
    const cached = this.cache.get(key);
    if (cached !== undefined || this.cache.has(key)) return cached ?? null;
    let wall = DateTime.fromFormat(text, format, { zone: 'utc' });
    if (!wall.isValid && END_OF_DAY.test(text)) {
      const midnight = DateTime.fromFormat(text.replace('24:00', '00:00'), format, { zone: 'utc' });
      if (midnight.isValid) wall = midnight.plus({ days: 1 });
    }
    const result = wall.isValid ? wall : null;
    if (this.cache.size >= WALL_CLOCK_CACHE_ENTRIES) this.cache.clear();
    this.cache.set(key, result);
    return result;
  }
}

/** Turns rows into records for one template. Stateless apart from memoised time parsing. */
export class RowDecoder {
  private readonly wallClock = new WallClockParser();
  private readonly instants = new Map<string, { earlier: number; later: number }>();
  private readonly policy: WallTimePolicy;

  constructor(private readonly template: Template) {
    this.policy = { nonexistent: template.nonexistentTime };
  }

  /** The records of one row (several for channel-per-column exports); an InputError names the column. */
  decode(fields: readonly string[]): Mv90Record[] {
    const layout = this.template.layout;
    if (layout.layout === 'day-per-row') return [this.decodeDay(fields, layout)];
    const columns = layout.columns;
    const meterId = required(fields, columns.meterId, 'meter id');
    const stamp = this.decodeStamp(fields, columns.stamp);
    if ('channels' in columns) {
      return columns.channels.map((entry) => ({
        kind: 'interval' as const,
        meterId,
        channel: entry.channel,
        stampEarlier: stamp.earlier,
        stampLater: stamp.later,
        value: decodeValue(this.template, fields, entry.column),
        status: decodeStatus(fields, entry.statusColumn),
      }));
    }
    const channel = this.decodeChannel(fields, columns.channel);
    return [{
      kind: 'interval',
      meterId,
      channel,
      stampEarlier: stamp.earlier,
      stampLater: stamp.later,
      value: decodeValue(this.template, fields, columns.value),
      status: decodeStatus(fields, columns.status),
    }];
  }

  private decodeChannel(fields: readonly string[], column: number): string {
    const channel = required(fields, column, 'channel');
    if (this.template.channels[channel] === undefined) throw columnError(column, 'channel', `unknown channel ${JSON.stringify(channel)}`);
    return channel;
  }

  private decodeDay(fields: readonly string[], layout: Extract<Template['layout'], { layout: 'day-per-row' }>): DayRecord {
    const columns = layout.columns;
    const meterId = required(fields, columns.meterId, 'meter id');
    const channel = columns.channel === undefined ? (columns.fixedChannel ?? '') : this.decodeChannel(fields, columns.channel);
    const wall = this.parseWall(fields, columns.date, 'date');
    if (wall.hour !== 0 || wall.minute !== 0) throw columnError(columns.date.column, 'date', 'expected a date without a time of day');
    const values: (string | null)[] = [];
    const statuses: (string | null)[] = [];
    const statusKind = columns.statuses;
    for (let index = 0; index < columns.valueCount; index += 1) {
      const valueColumn = dayValueColumn(layout, index);
      values.push(decodeValue(this.template, fields, valueColumn));
      const statusColumn = statusKind.kind === 'interleaved' ? valueColumn + 1 : statusKind.kind === 'block' ? statusKind.firstStatus + index : undefined;
      statuses.push(decodeStatus(fields, statusColumn));
    }
    return { kind: 'day', meterId, channel, date: wall.toFormat('yyyy-MM-dd'), values, statuses };
  }

  private parseWall(fields: readonly string[], spec: FormattedColumn, name: ColumnName): DateTime {
    const text = required(fields, spec.column, name);
    const wall = this.wallClock.parse(text, spec.format);
    if (wall === null) throw columnError(spec.column, name, `${JSON.stringify(text)} does not match ${JSON.stringify(spec.format)}`);
    return wall;
  }

  /**
   * The stamp's instants; a wall time in the spring-forward gap is an InputError naming the
   * column. Memoised on the raw text: the same stamps repeat for every meter and channel.
   */
  private decodeStamp(fields: readonly string[], stamp: StampColumns): { earlier: number; later: number } {
    const key = 'timestamp' in stamp
      ? required(fields, stamp.timestamp.column, 'timestamp')
      : `${required(fields, stamp.date.column, 'date')} ${required(fields, stamp.time.column, 'time')}`;
    const cached = this.instants.get(key);
    if (cached !== undefined) return cached;
    const result = this.resolveStamp(fields, stamp);
    if (this.instants.size > 50_000) this.instants.clear();
    this.instants.set(key, result);
    return result;
  }

  private resolveStamp(fields: readonly string[], stamp: StampColumns): { earlier: number; later: number } {
    let wall: DateTime;
    let column: number;
    if ('timestamp' in stamp) {
      wall = this.parseWall(fields, stamp.timestamp, 'timestamp');
      column = stamp.timestamp.column;
    } else {
      // Parsed together: luxon fills a time-only format's date from the clock, and `24:00` must
      // roll the date over.
      const dateText = required(fields, stamp.date.column, 'date');
      const timeText = required(fields, stamp.time.column, 'time');
      column = stamp.time.column;
      const parsed = this.wallClock.parse(`${dateText} ${timeText}`, `${stamp.date.format} ${stamp.time.format}`);
      if (parsed === null) {
        const dateOnly = this.wallClock.parse(dateText, stamp.date.format);
        const blamed = dateOnly === null ? stamp.date : stamp.time;
        const blamedText = dateOnly === null ? dateText : timeText;
        throw columnError(blamed.column, dateOnly === null ? 'date' : 'time', `${JSON.stringify(blamedText)} does not match ${JSON.stringify(blamed.format)}`);
      }
      wall = parsed;
    }
    const pad = (value: number, width = 2): string => String(value).padStart(width, '0');
    const iso = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
    const zone = this.template.timeZone;
    try {
      // One conversion for the usual unambiguous stamp; only the repeated fall-back hour needs both.
      const single = Date.parse(parseLocalWallTime(iso, zone, { ...this.policy, ambiguous: 'reject' }));
      return { earlier: single, later: single };
    } catch (error) {
      if (!(error instanceof InputError) || !/ambiguous/.test(error.message)) throw timeError(column, error);
    }
    try {
      return {
        earlier: Date.parse(parseLocalWallTime(iso, zone, { ...this.policy, ambiguous: 'earlier' })),
        later: Date.parse(parseLocalWallTime(iso, zone, { ...this.policy, ambiguous: 'later' })),
      };
    } catch (error) {
      throw timeError(column, error);
    }
  }
}

function timeError(column: number, error: unknown): InputError {
  const reason = error instanceof Error ? error.message : String(error);
  return new InputError(`column ${column} (time): ${reason}`, { field: `column ${column}` }, { cause: error });
}

/** The 1-based column of a day-per-row export's n-th value (0-based `index`), for error messages. */
export function dayValueColumn(layout: Extract<Template['layout'], { layout: 'day-per-row' }>, index: number): number {
  return layout.columns.statuses.kind === 'interleaved' ? layout.columns.firstValue + 2 * index : layout.columns.firstValue + index;
}
