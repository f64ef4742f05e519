/**
 * Pure: PostgreSQL array literals for the store's vectors. The store sends each day's vector as
 * one text parameter cast to numeric[] / text[], so a statement writing 1,000 days needs a fixed
 * handful of parameters (`unnest` over arrays of literals) instead of one per value, and both
 * drivers (pg and PGlite) see plain text. Syntax: PostgreSQL manual §8.15.6 (array input).
 */

/** `{1.25,NULL,0.9}`: decimal strings need no quoting; null is the SQL NULL element. */
export function numericArrayLiteral(values: readonly (string | null)[]): string {
  let text = '{';
  for (let index = 0; index < values.length; index++) {
    if (index > 0) text += ',';
    text += values[index] ?? 'NULL';
  }
  return `${text}}`;
}

/** Every element double-quoted (commas and spaces are then data), `"` and `\` escaped. */
export function textArrayLiteral(items: readonly (string | null)[]): string {
  let text = '{';
  for (let index = 0; index < items.length; index++) {
    if (index > 0) text += ',';
    const item = items[index] ?? null;
    text += item === null ? 'NULL' : `"${item.replace(/[\\"]/g, (char) => `\\${char}`)}"`;
  }
  return `${text}}`;
}

/**
 * Qualities per interval as one text each: the CIM codes joined by ',' (codes are digits and
 * dots, cim.md §4), NULL for none. PostgreSQL arrays must be rectangular, so text[][] could not
 * hold a varying number of codes per interval.
 */
export function encodeQualities(qualities: readonly (readonly string[])[]): (string | null)[] {
  return qualities.map((codes) => (codes.length === 0 ? null : codes.join(',')));
}

export function decodeQualities(encoded: readonly (string | null)[]): string[][] {
  return encoded.map((text) => (text === null || text === '' ? [] : text.split(',')));
}
