/**
 * The one rule both drivers follow for turning PostgreSQL values into JS values, so the same SQL
 * yields the same rows on `pg` and on PGlite (left alone, `count(*)` is a string on one and a
 * number on the other, and PGlite turns large int8 into a JS bigint).
 *
 * - int8 (bigint, `count(*)`, bigserial) and numeric: strings, never a lossy JS number; money
 *   and meter ids stay exact. Cast with `::int` when a number is wanted.
 * - timestamptz: Date (an instant; both drivers already agree).
 * - date, timestamp without time zone, interval: PostgreSQL's own text (`2024-03-10`,
 *   `2024-03-10 02:30:00`, `1 day 02:00:00`): they are not instants, and making them a Date
 *   would depend on the process time zone.
 * - arrays of those: arrays of the same.
 * - bytea: Uint8Array (pg's Buffer is copied into a plain Uint8Array).
 * - int2/int4/float4/float8/oid: number; bool: boolean; json/jsonb: parsed; text/uuid: string.
 *
 * Both sessions run with TimeZone=UTC so that `::text` of a timestamptz reads the same too.
 */

/** PostgreSQL type OIDs (pg_type.oid, stable across versions). */
export const PG_TYPE = {
  bytea: 17,
  int8: 20,
  int8Array: 1016,
  date: 1082,
  dateArray: 1182,
  timestamp: 1114,
  timestampArray: 1115,
  interval: 1186,
  intervalArray: 1187,
  numeric: 1700,
  numericArray: 1231,
} as const;

/** Types whose PostgreSQL text is returned unchanged. */
export const TEXT_AS_IS: readonly number[] = [PG_TYPE.int8, PG_TYPE.numeric, PG_TYPE.date, PG_TYPE.timestamp, PG_TYPE.interval];

/** Arrays whose elements are returned as PostgreSQL text (array of strings). */
export const TEXT_ARRAYS: readonly number[] = [
  PG_TYPE.int8Array,
  PG_TYPE.numericArray,
  PG_TYPE.dateArray,
  PG_TYPE.timestampArray,
  PG_TYPE.intervalArray,
];

export const SESSION_TIME_ZONE = 'UTC';
