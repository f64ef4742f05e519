/**
 * Pure: the expiry of a MultiSpeak Initiate… call (multispeak.md §10) as a deadline, and back.
 * Each version says it differently: 3.0 sends `expirationTime`, a float the WSDL text reads as
 * seconds (some partners mean minutes or milliseconds, so the unit is set per partner); 4.1 sends
 * `expTime`, a float with a `units` attribute; 5.0 sends `expirationTime` as an absolute
 * dateTime. After the deadline the callee gives up and the caller expects no callback, so both
 * sides of the hub keep the deadline with the transaction.
 *
 * Reading is lenient where traffic is sloppy (trimmed text, `+30`, `1.5`, `1E2`, an enumeration
 * in the wrong case, a dateTime without offset) and strict where a guess would be wrong: text
 * that is no number, a duration of zero or less, a deadline that has already passed. An
 * absurdly long expiry is cut to `maxSeconds` and flagged, so one partner cannot keep
 * transactions open for years.
 */
import { dateTimeOf, enumOf, ReadScope } from './mapping-primitives.js';
import type { MultiSpeakVersion } from './xml/namespaces.js';

/** The unit a partner's 3.0 `expirationTime` is in; the 3.0 WSDL text says seconds. */
export type ExpirationUnit = 'seconds' | 'minutes' | 'milliseconds';

/**
 * The 4.1 `units` values that convert to a duration, spelled as the schema's `timeUnits`
 * enumeration (multispeak.md §8, "4.1 differences": `Milliseconds`…`Years`).
 */
export const TIME_UNITS = ['Milliseconds', 'Seconds', 'Minutes', 'Hours', 'Days', 'Weeks', 'Months', 'Years'] as const;
export type TimeUnit = (typeof TIME_UNITS)[number];

/** The same enumeration's escape values: they name no duration, so the partner's default unit applies. */
const UNSPECIFIED_UNITS = ['Unknown', 'Other'] as const;

export type ExpiryInput =
  /** 3.0 `expirationTime` text: a float in the partner's unit. */
  | { readonly version: '3.0'; readonly expirationTime: string; readonly path?: string }
  /** 4.1 `expTime` text and its `units` attribute (absent when the sender left it out). */
  | { readonly version: '4.1'; readonly expTime: string; readonly units?: string; readonly path?: string }
  /** 5.0 `expirationTime` text: an xs:dateTime. */
  | { readonly version: '5.0'; readonly expirationTime: string; readonly path?: string };

export interface ExpiryOptions {
  /** The partner's 3.0 unit, also used for a 4.1 `expTime` without usable `units`. Default seconds. */
  readonly unit?: ExpirationUnit;
  /** The longest expiry accepted; a longer one is cut to this and flagged. Default 7 days. */
  readonly maxSeconds?: number;
}

export interface Deadline {
  readonly deadline: Date;
  /** Leniencies applied, each naming the element (`InitiateConnectDisconnect/expirationTime: …`). */
  readonly warnings: string[];
}

export const DEFAULT_MAX_EXPIRY_SECONDS = 7 * 24 * 60 * 60;

const SECOND = 1_000;
const DAY = 86_400 * SECOND;
/** Months and years have no fixed length; the Gregorian mean is used (a default cap of 7 days makes either moot). */
const YEAR = 365.2425 * DAY;

const MILLIS_PER_TIME_UNIT: Readonly<Record<TimeUnit, number>> = {
  Milliseconds: 1,
  Seconds: SECOND,
  Minutes: 60 * SECOND,
  Hours: 3_600 * SECOND,
  Days: DAY,
  Weeks: 7 * DAY,
  Months: YEAR / 12,
  Years: YEAR,
};

const MILLIS_PER_EXPIRATION_UNIT: Readonly<Record<ExpirationUnit, number>> = {
  milliseconds: 1,
  seconds: SECOND,
  minutes: 60 * SECOND,
};

// xs:float without INF/NaN: an expiry has to be a finite amount of time.
const XS_FLOAT = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const HAS_OFFSET = /(Z|[+-]\d{2}:\d{2})$/;

function maxMillisOf(options: ExpiryOptions): number {
  const maxSeconds = options.maxSeconds ?? DEFAULT_MAX_EXPIRY_SECONDS;
  if (!Number.isFinite(maxSeconds) || maxSeconds <= 0) {
    throw new RangeError(`deadlineOf: maxSeconds must be a positive number of seconds, got ${maxSeconds}`);
  }
  return maxSeconds * SECOND;
}

function requireReceivedAt(receivedAt: Date): number {
  const millis = receivedAt.getTime();
  if (Number.isNaN(millis)) throw new RangeError('deadlineOf: receivedAt is not a valid Date');
  return millis;
}

/** A float text as a positive amount; anything else is an InputError naming the element. */
function amountOf(raw: string, scope: ReadScope): number {
  const text = raw.trim();
  if (text === '') return scope.fail('is required but absent or empty', raw);
  if (!XS_FLOAT.test(text)) return scope.fail(`expected a number (xs:float), got ${JSON.stringify(raw)}`, raw);
  const amount = Number(text);
  if (!(amount > 0)) return scope.fail(`must be greater than zero, got ${JSON.stringify(raw)}`, raw);
  return amount;
}

/** receivedAt + duration, at least one millisecond on, cut to the cap with a warning. */
function capped(receivedAt: number, millis: number, maxMillis: number, described: string, scope: ReadScope): Date {
  if (millis > maxMillis) {
    scope.warn(`${described} is longer than the ${maxMillis / SECOND} s the hub allows; the deadline is cut to that`);
    return new Date(receivedAt + maxMillis);
  }
  return new Date(receivedAt + Math.max(1, Math.round(millis)));
}

/** The 4.1 `units` as milliseconds per unit, and its name for messages. */
function timeUnitOf(units: string | undefined, fallback: ExpirationUnit, scope: ReadScope): { millis: number; name: string } {
  const unitScope = scope.at('@units');
  if (units === undefined || units.trim() === '') {
    unitScope.warn(`absent; read in the partner's unit (${fallback})`);
    return { millis: MILLIS_PER_EXPIRATION_UNIT[fallback], name: fallback };
  }
  const unit = enumOf(units.trim(), [...TIME_UNITS, ...UNSPECIFIED_UNITS], unitScope);
  if (unit === 'Unknown' || unit === 'Other') {
    unitScope.warn(`${JSON.stringify(unit)} names no duration; read in the partner's unit (${fallback})`);
    return { millis: MILLIS_PER_EXPIRATION_UNIT[fallback], name: fallback };
  }
  return { millis: MILLIS_PER_TIME_UNIT[unit], name: unit };
}

function absoluteDeadline(raw: string, receivedAt: number, maxMillis: number, scope: ReadScope): Date {
  const text = raw.trim();
  if (text === '') return scope.fail('is required but absent or empty', raw);
  // xs:dateTime allows no offset; the 5.0 schema means an instant, and UTC is the only reading
  // that does not depend on where the partner stands, so it is taken as UTC and flagged.
  const utcScope = new ReadScope(scope.path, { timeZone: 'UTC' }, scope.warnings);
  if (!HAS_OFFSET.test(text)) scope.warn(`dateTime ${JSON.stringify(text)} has no UTC offset; read as UTC`);
  const millis = Date.parse(dateTimeOf(text, utcScope));
  if (millis <= receivedAt) {
    return scope.fail(`${JSON.stringify(raw)} is not after the time the request was received (${new Date(receivedAt).toISOString()})`, raw);
  }
  return capped(receivedAt, millis - receivedAt, maxMillis, `expiry at ${text}`, scope);
}

/**
 * The deadline of an Initiate… received (or of a partner's answer window) at `receivedAt`.
 * Throws an InputError naming the element when the expiry is unreadable, zero or negative, or
 * (5.0) not after `receivedAt`.
 */
export function deadlineOf(input: ExpiryInput, receivedAt: Date, options: ExpiryOptions = {}): Deadline {
  const received = requireReceivedAt(receivedAt);
  const maxMillis = maxMillisOf(options);
  const fallbackUnit = options.unit ?? 'seconds';
  switch (input.version) {
    case '3.0': {
      const scope = new ReadScope(input.path ?? 'expirationTime');
      const amount = amountOf(input.expirationTime, scope);
      const deadline = capped(received, amount * MILLIS_PER_EXPIRATION_UNIT[fallbackUnit], maxMillis, `${amount} ${fallbackUnit}`, scope);
      return { deadline, warnings: scope.warnings };
    }
    case '4.1': {
      const scope = new ReadScope(input.path ?? 'expTime');
      const amount = amountOf(input.expTime, scope);
      const unit = timeUnitOf(input.units, fallbackUnit, scope);
      const deadline = capped(received, amount * unit.millis, maxMillis, `${amount} ${unit.name}`, scope);
      return { deadline, warnings: scope.warnings };
    }
    case '5.0': {
      const scope = new ReadScope(input.path ?? 'expirationTime');
      const deadline = absoluteDeadline(input.expirationTime, received, maxMillis, scope);
      return { deadline, warnings: scope.warnings };
    }
  }
}

/** A 4.1 `expTime` to send: the amount as text and its `units` attribute. */
export interface ExpTime {
  readonly expTime: string;
  readonly units: TimeUnit;
}

/**
 * The expiry to put in an outbound Initiate… whose callback the hub waits for until `deadline`:
 * 3.0 a float in the partner's unit (seconds unless `unit` says otherwise), 4.1 an `expTime` in
 * Seconds, 5.0 the deadline itself as a UTC dateTime. A deadline not after `now` is a bug of the
 * caller (a request that has already expired must not be sent), hence a RangeError.
 */
export function expirationTimeOf(deadline: Date, now: Date, version: '3.0' | '5.0', unit?: ExpirationUnit): string;
export function expirationTimeOf(deadline: Date, now: Date, version: '4.1'): ExpTime;
export function expirationTimeOf(deadline: Date, now: Date, version: MultiSpeakVersion, unit: ExpirationUnit = 'seconds'): string | ExpTime {
  const remaining = deadline.getTime() - now.getTime();
  if (!(remaining > 0)) {
    throw new RangeError(`expirationTimeOf: the deadline ${Number.isNaN(deadline.getTime()) ? 'is not a valid Date' : `${deadline.toISOString()} is not after ${now.toISOString()}`}`);
  }
  switch (version) {
    case '3.0':
      return String(remaining / MILLIS_PER_EXPIRATION_UNIT[unit]);
    case '4.1':
      return { expTime: String(remaining / SECOND), units: 'Seconds' };
    case '5.0':
      // Whole seconds without a `.000` part, as the hub's other dateTimes are written.
      return deadline.toISOString().replace(/\.000Z$/, 'Z');
  }
}
