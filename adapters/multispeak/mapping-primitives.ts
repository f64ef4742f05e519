/**
 * Pure: MultiSpeak simple values (xs:decimal, xs:float, xs:integer, xs:dateTime, xs:boolean,
 * enumerations) read out of the element tree, shared by the 3.0 and 5.0 readers. Each value is
 * addressed by the path of local names it came from (`meterRead/TOUReadings/TOUReading[2]/kWh`),
 * so an InputError names the element a partner has to fix. The leniencies of multispeak.md §12
 * (trimmed text, a fractional `posKWh`, an enumeration in the wrong case) become warnings on the
 * record instead of refusals.
 */
import { ExactDecimal, InputError, isDecimalString, parseLocalWallTime, toDecimalString, toInstant } from '../../canonical/index.js';
import { attribute, childNamed, childrenNamed, childText, type XmlElement } from './xml/element.js';

export interface ReadOptions {
  /**
   * The partner's IANA time zone, for dateTimes sent without a UTC offset (ASMX senders write
   * local time that way). Without it such a dateTime is an InputError: guessing a zone would shift
   * readings by hours without anyone noticing.
   */
  readonly timeZone?: string;
}

/** A record read from the tree, with the leniencies applied to it. */
export interface Read<T> {
  readonly record: T;
  readonly warnings: readonly string[];
}

/** Where in the tree a reader is: the path for messages, the options, the warnings so far. */
export class ReadScope {
  constructor(
    readonly path: string,
    readonly options: ReadOptions = {},
    readonly warnings: string[] = [],
  ) {}

  /** The scope of a child; `index` is 1-based, as in XPath, for repeated children. */
  at(name: string, index?: number): ReadScope {
    return new ReadScope(`${this.path}/${name}${index === undefined ? '' : `[${index}]`}`, this.options, this.warnings);
  }

  warn(message: string): void {
    this.warnings.push(`${this.path}: ${message}`);
  }

  fail(message: string, raw?: string): never {
    throw new InputError(`${this.path}: ${message}`, { field: this.path }, raw === undefined ? undefined : { raw });
  }
}

/** Runs a reader on an element as the root of a new scope and returns the record with its warnings. */
export function readRoot<T>(element: XmlElement, path: string | undefined, options: ReadOptions | undefined, reader: (element: XmlElement, scope: ReadScope) => T): Read<T> {
  const scope = new ReadScope(path ?? element.name, options);
  const record = reader(element, scope);
  return { record, warnings: scope.warnings };
}

/** The child's text, or undefined when absent or empty (trimmed, multispeak.md §12.2). */
export function readText(parent: XmlElement, name: string): string | undefined {
  return childText(parent, name);
}

/** A required child text; absence is an InputError naming the path. */
export function requireText(parent: XmlElement, name: string, scope: ReadScope): string {
  return readText(parent, name) ?? scope.at(name).fail('is required but absent or empty');
}

export function readAttribute(element: XmlElement | undefined, name: string): string | undefined {
  return attribute(element, name);
}

const XS_DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const XS_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const XS_INTEGER = /^[+-]?\d+$/;

/**
 * An xs:decimal or xs:float text as a canonical decimal string. A plain decimal is kept as sent
 * (trailing zeros carry the reading's resolution); a sign, an exponent or a bare point is
 * rewritten exactly. INF and NaN are refused: a reading has a finite value or is missing.
 */
export function decimalOf(text: string, scope: ReadScope, kind: 'xs:decimal' | 'xs:float' = 'xs:float'): string {
  if (isDecimalString(text)) return text;
  const pattern = kind === 'xs:decimal' ? XS_DECIMAL : XS_FLOAT;
  if (!pattern.test(text)) return scope.fail(`expected ${kind}, got ${JSON.stringify(text)}`, text);
  const [mantissa = '', exponent] = text.replace(/^\+/, '').split(/[eE]/);
  const plain = mantissa.endsWith('.') ? mantissa.slice(0, -1) : mantissa.startsWith('.') || mantissa.startsWith('-.') ? mantissa.replace('.', '0.') : mantissa;
  return toDecimalString(new ExactDecimal(exponent === undefined ? plain : `${plain}e${exponent}`));
}

export function readDecimal(parent: XmlElement, name: string, scope: ReadScope, kind: 'xs:decimal' | 'xs:float' = 'xs:float'): string | undefined {
  const text = readText(parent, name);
  return text === undefined ? undefined : decimalOf(text, scope.at(name), kind);
}

/**
 * An xs:integer as a decimal string. `flagFraction` is the multispeak.md §12.10 leniency for
 * 3.0 `posKWh`/`negKWh`: real senders write register reads with decimals, so a fractional value
 * is kept exactly and flagged with a warning instead of refused.
 */
export function integerOf(text: string, scope: ReadScope, flagFraction = false): string {
  if (XS_INTEGER.test(text)) return text.startsWith('+') ? text.slice(1) : text;
  if (flagFraction && XS_FLOAT.test(text)) {
    const value = decimalOf(text, scope);
    scope.warn(`declared xs:integer; fractional value ${JSON.stringify(text)} kept as ${value} (multispeak.md §12.10)`);
    return value;
  }
  return scope.fail(`expected xs:integer, got ${JSON.stringify(text)}`, text);
}

export function readInteger(parent: XmlElement, name: string, scope: ReadScope, flagFraction = false): string | undefined {
  const text = readText(parent, name);
  return text === undefined ? undefined : integerOf(text, scope.at(name), flagFraction);
}

/** A count or index (xs:integer, xs:long) as a number; beyond 2^53 it is refused. */
export function readCount(parent: XmlElement, name: string, scope: ReadScope): number | undefined {
  const text = readText(parent, name);
  if (text === undefined) return undefined;
  const value = Number(integerOf(text, scope.at(name)));
  return Number.isSafeInteger(value) ? value : scope.at(name).fail(`integer ${text} is out of range`, text);
}

export function booleanOf(text: string, scope: ReadScope): boolean {
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  return scope.fail(`expected xs:boolean (true, false, 1, 0), got ${JSON.stringify(text)}`, text);
}

export function readBoolean(parent: XmlElement, name: string, scope: ReadScope): boolean | undefined {
  const text = readText(parent, name);
  return text === undefined ? undefined : booleanOf(text, scope.at(name));
}

// xs:dateTime: an optional offset, any number of fraction digits (ASMX writes seven).
const XS_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})([T ])(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

function daysInMonth(year: number, month: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month, 0);
  return date.getUTCDate();
}

/**
 * An xs:dateTime as a canonical UTC instant (DESIGN.md: instants are UTC). With an offset it is
 * exact; without one it is the partner's local time (`ReadOptions.timeZone`). Fraction digits
 * beyond milliseconds are dropped (ASMX's seven digits are ticks of 100 ns).
 */
export function dateTimeOf(text: string, scope: ReadScope): string {
  const match = XS_DATE_TIME.exec(text);
  if (match === null) return scope.fail(`expected xs:dateTime (YYYY-MM-DDThh:mm:ss[.s][Z|±hh:mm]), got ${JSON.stringify(text)}`, text);
  const [, yearText, monthText, dayText, separator, hourText, minuteText, secondText, fractionText = '', offset] = match;
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText);
  const endOfDay = hour === 24 && minute === 0 && second === 0 && /^0*$/.test(fractionText);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || (hour > 23 && !endOfDay) || minute > 59 || second > 59) {
    return scope.fail(`${JSON.stringify(text)} is not a real date and time`, text);
  }
  if (separator === ' ') scope.warn(`dateTime ${JSON.stringify(text)} has a space instead of "T"; read as local date and time`);
  const millis = Number(fractionText.padEnd(3, '0').slice(0, 3));
  if (offset === undefined) {
    const zone = scope.options.timeZone;
    if (zone === undefined) return scope.fail(`dateTime ${JSON.stringify(text)} has no UTC offset and no time zone is configured for the partner`, text);
    const wall = `${yearText}-${monthText}-${dayText}T${hourText}:${minuteText}:${secondText}.${String(millis).padStart(3, '0')}`;
    try {
      return parseLocalWallTime(wall, zone);
    } catch (error) {
      if (error instanceof InputError) return scope.fail(error.message, text);
      throw error;
    }
  }
  const offsetMinutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  if (Math.abs(offsetMinutes) > 14 * 60 || Number(offset.slice(4, 6)) > 59) return scope.fail(`offset ${offset} is out of range`, text);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return toInstant(date.getTime() - offsetMinutes * 60_000);
}

export function readDateTime(parent: XmlElement, name: string, scope: ReadScope): string | undefined {
  const text = readText(parent, name);
  return text === undefined ? undefined : dateTimeOf(text, scope.at(name));
}

const squeeze = (text: string): string => text.replace(/[\s_-]/g, '').toLowerCase();

/**
 * An enumeration value. The exact literal is taken as is; one that differs only in case, spaces
 * or underscores (`CLOSED`, `Power Off`) is taken with a warning; anything else is an InputError
 * listing the literals the schema allows.
 */
export function enumOf<T extends string>(text: string, values: readonly T[], scope: ReadScope): T {
  const exact = values.find((value) => value === text);
  if (exact !== undefined) return exact;
  const loose = values.find((value) => squeeze(value) === squeeze(text));
  if (loose !== undefined) {
    scope.warn(`enumeration value ${JSON.stringify(text)} read as ${JSON.stringify(loose)}`);
    return loose;
  }
  return scope.fail(`unknown value ${JSON.stringify(text)}; expected one of ${values.join(', ')}`, text);
}

export function readEnum<T extends string>(parent: XmlElement, name: string, values: readonly T[], scope: ReadScope): T | undefined {
  const text = readText(parent, name);
  return text === undefined ? undefined : enumOf(text, values, scope.at(name));
}

/** Reads `container/item`* (a missing container is an empty list), each in its own indexed scope. */
export function readList<T>(parent: XmlElement, container: string, item: string, scope: ReadScope, reader: (element: XmlElement, scope: ReadScope) => T): T[] {
  const list = childNamed(parent, container);
  if (list === undefined) return [];
  const inner = scope.at(container);
  return childrenNamed(list, item).map((element, index) => reader(element, inner.at(item, index + 1)));
}

/** One item of a batch: its record and warnings, or the InputError that refused it. */
export type ItemRead<T> = ({ readonly ok: true } & Read<T>) | { readonly ok: false; readonly error: InputError };

/**
 * Reads every `item` child of a batch container (`changedMeterReads/meterRead`…) on its own, so
 * one bad object becomes one errorObject while the others are processed (multispeak.md §5). The
 * index of each entry is its position in the container.
 */
export function readEach<T>(
  container: XmlElement | undefined,
  item: string,
  reader: (element: XmlElement, path: string, options?: ReadOptions) => Read<T>,
  options?: ReadOptions,
  path = container?.name ?? item,
): ItemRead<T>[] {
  return childrenNamed(container, item).map((element, index) => {
    try {
      return { ok: true, ...reader(element, `${path}/${item}[${index + 1}]`, options) };
    } catch (error) {
      if (error instanceof InputError) return { ok: false, error };
      throw error;
    }
  });
}

/** A canonical instant as xs:dateTime text, without a zero millisecond part (`…T10:00:00Z`). */
export function dateTimeText(instant: string | undefined): string | undefined {
  return instant?.replace(/\.0+Z$/, 'Z');
}
