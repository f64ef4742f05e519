/**
 * Pure mapping of MV-90 records onto canonical objects: interval values are joined per meter,
 * channel and local day into IntervalBlocks (DESIGN.md: interval data travels as blocks), register
 * channels become RegisterReads. A reading repeated with the same key (meter, channel, instant)
 * keeps the later delivery and is counted (cmep.md §11: the newest delivery wins). No I/O.
 */
import {
  ExactDecimal,
  InputError,
  type IntervalBlock,
  type QualityCode,
  type RegisterRead,
  intervalsInLocalDay,
  localDateOf,
  localDayEnd,
  localDayStart,
  parseLocalWallTime,
  toDecimalString,
  toInstant,
} from '../../canonical/index.js';
import { type DayRecord, type IntervalRecord, type Mv90Record, dayValueColumn } from './codec.js';
import type { ChannelMapping, Template } from './spec.js';

export interface MappedReadings {
  blocks: IntervalBlock[];
  reads: RegisterRead[];
}

export interface MappingCounts {
  /** Readings published (interval values and register reads). */
  readings: number;
  /** Readings that repeated an earlier key; the later one was kept. */
  duplicates: number;
  /** Of those, repeats whose value or status differed from the earlier one. */
  conflicts: number;
}

interface Slot {
  readonly key: number;
  readonly value: string | null;
  readonly status: string | null;
}

/**
 * One meter, channel and local day being collected. Delta slot keys are interval indexes from
 * local midnight; register slot keys are epoch ms. Slots are parallel arrays in arrival order,
 * not a Map of objects: thousands of days may be open, and this holds a reading in about a fifth
 * of the memory (and leaves the garbage collector less to promote and sweep).
 */
interface OpenDay {
  /** Its key in the open map: series and local date. */
  readonly key: string;
  readonly meterId: string;
  readonly channel: string;
  readonly mapping: ChannelMapping;
  readonly dayStart: number;
  readonly keys: number[];
  readonly values: (string | null)[];
  readonly statuses: (string | null)[];
  /** The largest key so far: a key past it cannot be a repeat, so in-order rows skip the search. */
  maxKey: number;
}

function emptyOutput(): MappedReadings {
  return { blocks: [], reads: [] };
}

/**
 * How many local days of one meter/channel stay open. Exports come in time order per series
 * (sorted by recorder or by time), so once a series has rows two days past a day, that day can
 * no longer grow and is emitted. Keeping the previous day too lets a re-delivery that overlaps it
 * (the next file of the same import) still join its block and be counted as a repeat. Without
 * this, a time-sorted export kept every day of every meter open up to `maxOpenDays`, and memory
 * grew with the file.
 */
const OPEN_DAYS_PER_SERIES = 2;

/**
 * Collects records into canonical objects. A day is emitted once its series has moved two days
 * past it (OPEN_DAYS_PER_SERIES); memory is also bounded by `maxOpenDays`: past it, the least
 * recently touched day is emitted early. Either way a later row for that day starts a new block.
 */
export class ReadingAssembler {
  readonly counts: MappingCounts = { readings: 0, duplicates: 0, conflicts: 0 };
  private readonly open = new Map<string, OpenDay>();
  /** The open days of each meter/channel, at most OPEN_DAYS_PER_SERIES once a record is added. */
  private readonly seriesDays = new Map<string, OpenDay[]>();
  private readonly dayStarts = new Map<string, number>();
  /** The template's status texts, so open days share one string per status instead of one per row. */
  private readonly statusTexts: Map<string, string>;
  /** Last stamp per meter/channel in the current file, to read a repeated fall-back hour in order. */
  private readonly lastStamp = new Map<string, number>();
  private lastDay: { date: string; start: number; end: number } | undefined;
  private readonly intervalMs: number;
  private readonly source: string;
  private readonly nameType: string;

  constructor(private readonly template: Template, private readonly maxOpenDays = 5_000) {
    this.intervalMs = template.intervalMinutes * 60_000;
    this.source = `mv90:${template.name}`;
    this.nameType = template.meterNameType ?? `mv90:${template.name}/meterId`;
    this.statusTexts = new Map(Object.keys(template.statuses.map).map((status) => [status, status]));
  }

  /** A new file starts a new sequence: its first repeated hour is read as daylight again. */
  startFile(): void {
    this.lastStamp.clear();
  }

  /** Adds one record; returns what had to be emitted to stay within bounds. An InputError rejects the whole record. */
  add(record: Mv90Record): MappedReadings {
    const mapping = this.template.channels[record.channel];
    if (mapping === undefined) throw new InputError(`unknown channel ${JSON.stringify(record.channel)}`, { field: 'channel' });
    if (record.kind === 'interval') this.addInterval(record, mapping);
    else this.addDay(record, mapping);
    const output = emptyOutput();
    this.settle(seriesKey(record.meterId, record.channel), output);
    this.evict(output);
    return output;
  }

  /** Emits everything still open. */
  flush(): MappedReadings {
    const output = emptyOutput();
    for (const day of this.open.values()) this.emit(day, output);
    this.open.clear();
    this.seriesDays.clear();
    return output;
  }

  private addInterval(record: IntervalRecord, mapping: ChannelMapping): void {
    const stamp = this.chooseStamp(record);
    const isDelta = mapping.kind === 'delta';
    const instant = isDelta && this.template.layout.layout === 'interval-per-row' && this.template.layout.stampMarks === 'interval-end'
      ? stamp - this.intervalMs
      : stamp;
    const date = this.localDateAt(instant);
    const day = this.touch(record.meterId, record.channel, date, mapping);
    let key = instant;
    if (isDelta) {
      key = (instant - day.dayStart) / this.intervalMs;
      if (!Number.isInteger(key)) {
        throw new InputError(`stamp ${toInstant(stamp)} is off the ${this.template.intervalMinutes}-minute grid`, { field: 'time' });
      }
    }
    this.put(day, key, record.value, record.status, mapping);
  }

  /** cmep.md §7: in a repeated wall-clock hour the first occurrence is daylight, the second standard. */
  private chooseStamp(record: IntervalRecord): number {
    const layout = this.template.layout;
    const policy = layout.layout === 'interval-per-row' ? layout.ambiguousTime : 'earlier';
    if (record.stampEarlier !== record.stampLater) {
      if (policy === 'reject') throw new InputError(`wall time is ambiguous in ${this.template.timeZone} (DST overlap)`, { field: 'time' });
    }
    const series = seriesKey(record.meterId, record.channel);
    let stamp = record.stampEarlier;
    if (policy === 'later') stamp = record.stampLater;
    if (policy === 'sequence' && record.stampEarlier !== record.stampLater) {
      const last = this.lastStamp.get(series);
      if (last !== undefined && last > record.stampEarlier) stamp = record.stampLater;
    }
    this.lastStamp.set(series, stamp);
    return stamp;
  }

  private addDay(record: DayRecord, mapping: ChannelMapping): void {
    const layout = this.template.layout;
    if (layout.layout !== 'day-per-row') throw new InputError('a day record needs a day-per-row template');
    const zone = this.template.timeZone;
    const count = intervalsInLocalDay(record.date, zone, this.intervalMs / 1000);
    const placed: { key: number; index: number }[] = [];
    const dayStart = this.dayStartOf(record.date);
    for (let index = 0; index < record.values.length; index += 1) {
      const hasData = record.values[index] !== null || record.statuses[index] !== null;
      const slot = layout.dayColumns === 'elapsed' ? (index < count ? index : undefined) : this.wallClockSlot(record.date, index, dayStart);
      if (slot === undefined) {
        if (hasData) {
          const column = dayValueColumn(layout, index);
          throw new InputError(`column ${column} (value): holds a value outside the ${count * this.intervalMs / 3_600_000}-hour local day ${record.date}`, { field: `column ${column}` });
        }
        continue;
      }
      placed.push({ key: mapping.kind === 'delta' ? slot : dayStart + (slot + 1) * this.intervalMs, index });
    }
    const day = this.touch(record.meterId, record.channel, record.date, mapping);
    for (const { key, index } of placed) this.put(day, key, record.values[index] ?? null, record.statuses[index] ?? null, mapping);
  }

  /** The slot of a wall-clock column, or undefined when its wall time is skipped by DST or past the day. */
  private wallClockSlot(date: string, index: number, dayStart: number): number | undefined {
    const minutes = index * this.template.intervalMinutes;
    if (minutes >= 1_440) return undefined;
    const wall = `${date}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
    try {
      const instant = Date.parse(parseLocalWallTime(wall, this.template.timeZone, { nonexistent: 'reject', ambiguous: 'earlier' }));
      return (instant - dayStart) / this.intervalMs;
    } catch (error) {
      if (error instanceof InputError) return undefined;
      throw error;
    }
  }

  /**
   * The local date of an instant. Rows arrive mostly in time order, so the last day's bounds
   * answer nearly every call without a time zone computation.
   */
  private localDateAt(instant: number): string {
    const last = this.lastDay;
    if (last !== undefined && instant >= last.start && instant < last.end) return last.date;
    const date = localDateOf(toInstant(instant), this.template.timeZone);
    this.lastDay = { date, start: this.dayStartOf(date), end: Date.parse(localDayEnd(date, this.template.timeZone)) };
    return date;
  }

  private dayStartOf(date: string): number {
    let start = this.dayStarts.get(date);
    if (start === undefined) {
      start = Date.parse(localDayStart(date, this.template.timeZone));
      if (this.dayStarts.size > 10_000) this.dayStarts.clear();
      this.dayStarts.set(date, start);
    }
    return start;
  }

  /** The open day for a key, moved to the most recently used end of the map. */
  private touch(meterId: string, channel: string, date: string, mapping: ChannelMapping): OpenDay {
    const series = seriesKey(meterId, channel);
    const key = `${series}\u0000${date}`;
    let day = this.open.get(key);
    if (day === undefined) {
      day = { key, meterId, channel, mapping, dayStart: this.dayStartOf(date), keys: [], values: [], statuses: [], maxKey: -Infinity };
      // Days already emitted by maxOpenDays drop out here, so they do not count as open.
      const days = (this.seriesDays.get(series) ?? []).filter((other) => this.open.get(other.key) === other);
      days.push(day);
      this.seriesDays.set(series, days);
    } else {
      this.open.delete(key);
    }
    this.open.set(key, day);
    return day;
  }

  private put(day: OpenDay, key: number, text: string | null, status: string | null, mapping: ChannelMapping): void {
    const value = text === null || mapping.multiplier === '1' ? text : toDecimalString(new ExactDecimal(text).times(mapping.multiplier));
    const shared = status === null ? null : (this.statusTexts.get(status) ?? status);
    const earlier = key > day.maxKey ? -1 : day.keys.lastIndexOf(key);
    if (earlier !== -1) {
      this.counts.duplicates += 1;
      if (day.values[earlier] !== value || day.statuses[earlier] !== shared) this.counts.conflicts += 1;
      day.values[earlier] = value;
      day.statuses[earlier] = shared;
      return;
    }
    day.keys.push(key);
    day.values.push(value);
    day.statuses.push(shared);
    day.maxKey = Math.max(day.maxKey, key);
  }

  /**
   * Emits a series' days older than its OPEN_DAYS_PER_SERIES newest. Called after the record's
   * value is placed, so a late row for a day already emitted goes out at once as its own block.
   */
  private settle(series: string, output: MappedReadings): void {
    const days = this.seriesDays.get(series);
    if (days === undefined || days.length <= OPEN_DAYS_PER_SERIES) return;
    days.sort((a, b) => a.dayStart - b.dayStart);
    for (const day of days.splice(0, days.length - OPEN_DAYS_PER_SERIES)) {
      if (this.open.get(day.key) !== day) continue;
      this.open.delete(day.key);
      this.emit(day, output);
    }
  }

  private evict(output: MappedReadings): void {
    // Checked first: starting an iterator walks past the holes that touch() leaves at the front.
    if (this.open.size <= this.maxOpenDays) return;
    for (const [key, day] of this.open) {
      if (this.open.size <= this.maxOpenDays) break;
      this.open.delete(key);
      this.emit(day, output);
    }
  }

  private qualitiesOf(slot: Slot): QualityCode[] {
    const statuses = this.template.statuses;
    const codes: QualityCode[] = slot.value === null ? [...statuses.missingValue] : [];
    if (slot.status !== null) codes.push(...(statuses.map[slot.status] ?? statuses.unknown));
    return [...new Set(codes)];
  }

  private emit(day: OpenDay, output: MappedReadings): void {
    const meter = { name: day.meterId, nameType: this.nameType };
    const slots: Slot[] = day.keys
      .map((key, index) => ({ key, value: day.values[index] ?? null, status: day.statuses[index] ?? null }))
      .sort((a, b) => a.key - b.key);
    this.counts.readings += slots.length;
    if (day.mapping.kind === 'register') {
      for (const slot of slots) {
        const read: RegisterRead = { meter, readingType: day.mapping.readingType, timeStamp: toInstant(slot.key), value: slot.value, qualities: this.qualitiesOf(slot), source: this.source };
        if (slot.status !== null) read.sourceStatus = slot.status;
        output.reads.push(read);
      }
      return;
    }
    // A block is contiguous, so a gap (no row for an interval) splits the day into several blocks
    // rather than inventing values the file did not hold.
    let run: { first: number; slots: Slot[] } | undefined;
    const close = (): void => {
      if (run === undefined) return;
      const block: IntervalBlock = {
        meter,
        readingType: day.mapping.readingType,
        start: toInstant(day.dayStart + run.first * this.intervalMs),
        intervalSeconds: this.intervalMs / 1000,
        values: run.slots.map((slot) => slot.value),
        qualities: run.slots.map((slot) => this.qualitiesOf(slot)),
        source: this.source,
      };
      if (run.slots.some((slot) => slot.status !== null)) block.sourceStatuses = run.slots.map((slot) => slot.status);
      output.blocks.push(block);
      run = undefined;
    };
    for (const slot of slots) {
      if (run !== undefined && run.first + run.slots.length !== slot.key) close();
      if (run === undefined) run = { first: slot.key, slots: [] };
      run.slots.push(slot);
    }
    close();
  }
}

function seriesKey(meterId: string, channel: string): string {
  return `${meterId}\u0000${channel}`;
}

/** Maps a whole set of records at once (tests, small files): the blocks, reads and counts. */
export function mapRecords(template: Template, records: Iterable<Mv90Record>): MappedReadings & MappingCounts {
  const assembler = new ReadingAssembler(template, Number.MAX_SAFE_INTEGER);
  const output = emptyOutput();
  const collect = (mapped: MappedReadings): void => {
    output.blocks.push(...mapped.blocks);
    output.reads.push(...mapped.reads);
  };
  for (const record of records) collect(assembler.add(record));
  collect(assembler.flush());
  return { ...output, ...assembler.counts };
}
