/**
 * Time in CMEP (cmep.md §7–§8): the `MMDDHHMM` interval, calendar stepping, and turning a
 * source's wall-clock stamps into UTC instants. Luxon is used only to learn a zone's offsets;
 * the answers are cached per wall minute, so a file of millions of triplets asks luxon a few
 * hundred times.
 */
import { IANAZone } from 'luxon';
import { daysFromCivil, daysInMonth } from './fields.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const HOUR_SLOTS = 256;
const DAY_MS = 86_400_000;
const UTC_NAMES: ReadonlySet<string> = new Set(['UTC', 'Etc/UTC', 'Etc/UCT', 'UCT', 'Zulu', 'Etc/Zulu', 'GMT', 'Etc/GMT']);

/** A CMEP time interval: calendar months and days, or clock minutes (never both). */
export interface CmepInterval {
  readonly months: number;
  readonly days: number;
  readonly minutes: number;
  /** The field as received, for audit and for the writer's round trip. */
  readonly raw: string;
}

export type IntervalParse =
  | { readonly ok: true; readonly interval: CmepInterval | undefined; readonly warning?: string }
  | { readonly ok: false; readonly reason: string };

function twoDigits(text: string, start: number): number {
  const high = text.charCodeAt(start) - 48;
  const low = text.charCodeAt(start + 1) - 48;
  return high < 0 || high > 9 || low < 0 || low > 9 ? -1 : high * 10 + low;
}

/** CMEP v1.20 §8: shorter than an hour divides the hour; shorter than a day repeats at midnight. */
function checkClockMinutes(minutes: number, raw: string): string | undefined {
  if (minutes < 60 && 60 % minutes !== 0) return `interval ${raw} (${minutes} min) does not divide the hour`;
  if (minutes < 1440 && 1440 % minutes !== 0) return `interval ${raw} (${minutes} min) does not repeat at midnight`;
  return undefined;
}

/**
 * CMEP v1.20 §8 `MMDDHHMM`. Empty (or all zeros) is the zero interval, returned as undefined.
 * With `lenientMinutes`, 1–4 digits are read as a plain minute count (cmep.md §8, §13).
 */
export function parseInterval(text: string, lenientMinutes: boolean): IntervalParse {
  if (text.length === 0) return { ok: true, interval: undefined };
  if (text.length === 8) {
    const months = twoDigits(text, 0);
    const days = twoDigits(text, 2);
    const hours = twoDigits(text, 4);
    const minutes = twoDigits(text, 6);
    if (months < 0 || days < 0 || hours < 0 || minutes < 0) return { ok: false, reason: `interval ${JSON.stringify(text)} is not MMDDHHMM` };
    if (hours > 23 || minutes > 59) return { ok: false, reason: `interval ${text} has hours > 23 or minutes > 59` };
    const clock = hours * 60 + minutes;
    if (months === 0 && days === 0 && clock === 0) return { ok: true, interval: undefined };
    if ((months > 0 || days > 0) && clock > 0) return { ok: false, reason: `interval ${text} mixes calendar days/months with hours/minutes` };
    if (clock > 0) {
      const problem = checkClockMinutes(clock, text);
      if (problem !== undefined) return { ok: false, reason: problem };
    }
    return { ok: true, interval: { months, days, minutes: clock, raw: text } };
  }
  if (lenientMinutes && text.length <= 4 && /^\d+$/.test(text)) {
    const minutes = Number(text);
    if (minutes === 0) return { ok: true, interval: undefined };
    if (minutes >= 1440) return { ok: false, reason: `interval ${text}: a plain minute count must be under a day` };
    const problem = checkClockMinutes(minutes, text);
    if (problem !== undefined) return { ok: false, reason: problem };
    return { ok: true, interval: { months: 0, days: 0, minutes, raw: text }, warning: `interval ${text} read as ${minutes} minutes (lenient)` };
  }
  return { ok: false, reason: `interval ${JSON.stringify(text)} is not MMDDHHMM` };
}

/** The length of a clock interval in seconds, or undefined for a calendar (month/day) interval. */
export function clockSeconds(interval: CmepInterval): number | undefined {
  return interval.months === 0 && interval.days === 0 ? interval.minutes * 60 : undefined;
}

/** The length of a day interval in seconds (days only), or undefined. */
export function fixedSeconds(interval: CmepInterval): number | undefined {
  if (interval.months > 0) return undefined;
  return interval.days > 0 ? interval.days * 86_400 : interval.minutes * 60;
}

/**
 * CMEP v1.20 §8: "a month step follows month lengths". Steps are counted from an anchor stamp,
 * so Jan 31 + 1, 2, 3 months is Feb 29, Mar 31, Apr 30 (clamped to the month's end, no drift).
 */
export function addCalendarSteps(anchorWallMs: number, interval: CmepInterval, steps: number): number {
  const anchor = new Date(anchorWallMs);
  const timeOfDay = anchorWallMs - Math.floor(anchorWallMs / DAY_MS) * DAY_MS;
  const monthIndex = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + interval.months * steps;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  return (daysFromCivil(year, month, day) + interval.days * steps) * DAY_MS + timeOfDay;
}

/**
 * Converts wall-clock stamps of one zone to UTC instants (cmep.md §7). A repeated fall-back hour
 * resolves to the earliest instant after the row's previous one (so its first occurrence is the
 * daylight instant, the second the standard one); a spring-forward gap resolves to NaN, which the
 * codec reports instead of shifting silently.
 */
export class WallClock {
  readonly isUtc: boolean;
  private readonly zone: IANAZone | undefined;
  /** Wall minute → offsets (minutes) whose instants are real, earliest instant first. */
  private readonly candidates = new Map<number, readonly number[]>();
  /**
   * Wall hour → its one offset (ms), direct-mapped: set only when the hour's first and last
   * minute both have that single real offset (zone transitions are months apart, so nothing
   * changes in between). Hours around a transition keep going through `offsetsOf`.
   */
  private readonly hourKeys = new Float64Array(HOUR_SLOTS).fill(Number.NaN);
  private readonly hourOffsets = new Float64Array(HOUR_SLOTS);

  constructor(readonly zoneName: string) {
    this.isUtc = UTC_NAMES.has(zoneName);
    this.zone = this.isUtc ? undefined : IANAZone.create(zoneName);
  }

  /** The instant of a wall time: the earliest real one after `after` (else the earliest); NaN in a gap. */
  resolve(wallMs: number, after: number): number {
    if (this.zone === undefined) return wallMs;
    const hour = Math.floor(wallMs / HOUR_MS);
    const slot = hour & (HOUR_SLOTS - 1);
    if (this.hourKeys[slot] === hour) return wallMs - (this.hourOffsets[slot] ?? 0);
    const offsets = this.offsetsOf(wallMs, this.zone);
    const first = offsets[0];
    if (first === undefined) return Number.NaN;
    if (offsets.length === 1) {
      this.rememberHour(hour, slot, first, this.zone);
      return wallMs - first * MINUTE_MS;
    }
    for (const offset of offsets) {
      const instant = wallMs - offset * MINUTE_MS;
      if (instant > after) return instant;
    }
    return wallMs - first * MINUTE_MS;
  }

  /** True when the wall time falls in a DST overlap (two instants). */
  isAmbiguous(wallMs: number): boolean {
    return this.zone !== undefined && this.offsetsOf(wallMs, this.zone).length > 1;
  }

  /** A gap's wall time read with the offset before the gap (where it would land), to keep stepping. */
  gapInstant(wallMs: number): number {
    return this.zone === undefined ? wallMs : wallMs - this.zone.offset(wallMs - DAY_MS) * MINUTE_MS;
  }

  /** The wall clock (as UTC-read milliseconds) of an instant. */
  toWall(instantMs: number): number {
    return this.zone === undefined ? instantMs : instantMs + this.zone.offset(instantMs) * MINUTE_MS;
  }

  private rememberHour(hour: number, slot: number, offset: number, zone: IANAZone): void {
    const opening = this.offsetsOf(hour * HOUR_MS, zone);
    const closing = this.offsetsOf(hour * HOUR_MS + HOUR_MS - MINUTE_MS, zone);
    if (opening.length !== 1 || closing.length !== 1 || opening[0] !== offset || closing[0] !== offset) return;
    this.hourKeys[slot] = hour;
    this.hourOffsets[slot] = offset * MINUTE_MS;
  }

  private offsetsOf(wallMs: number, zone: IANAZone): readonly number[] {
    const key = Math.floor(wallMs / MINUTE_MS);
    const cached = this.candidates.get(key);
    if (cached !== undefined) return cached;
    // Offsets in force a day either side cover every transition a wall time can fall into.
    const offsets = new Set([zone.offset(wallMs - DAY_MS), zone.offset(wallMs), zone.offset(wallMs + DAY_MS)]);
    const real = [...offsets]
      .filter((offset) => zone.offset(wallMs - offset * MINUTE_MS) === offset)
      .sort((a, b) => b - a);
    if (this.candidates.size > 100_000) this.candidates.clear();
    this.candidates.set(key, real);
    return real;
  }
}
