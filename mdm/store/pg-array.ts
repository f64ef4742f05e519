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

/**
 * Reads PostgreSQL's text output of a one-dimensional array (manual §8.15.6): `{1.5,NULL,2}`,
 * `{"1.2.32,3.8.1",3.0.1}`. An unquoted NULL is null; a quoted element may escape `"` and `\`
 * with a backslash. Readers of millions of day rows select `interval_values::text` and split it
 * here: most arrays have no quotes at all, and one split is far cheaper than the driver's
 * character-by-character parse.
 */
export function parseArrayText(text: string): (string | null)[] {
  if (text.length < 2 || text[0] !== '{' || text[text.length - 1] !== '}') throw new Error(`not a PostgreSQL array: ${text.slice(0, 40)}`);
  if (text.length === 2) return [];
  if (!text.includes('"')) return text.slice(1, -1).split(',').map((item) => (item === 'NULL' ? null : item));
  const items: (string | null)[] = [];
  let index = 1;
  while (index < text.length - 1) {
    if (text[index] === '"') {
      let item = '';
      index++;
      while (text[index] !== '"') {
        if (index >= text.length) throw new Error(`unterminated quoted element in a PostgreSQL array: ${text.slice(0, 40)}`);
        if (text[index] === '\\') index++;
        item += text[index];
        index++;
      }
      items.push(item);
      index += 2; // the closing quote and the comma (or the closing brace)
    } else {
      const end = text.indexOf(',', index);
      const stop = end < 0 ? text.length - 1 : end;
      const item = text.slice(index, stop);
      items.push(item === 'NULL' ? null : item);
      index = stop + 1;
    }
  }
  return items;
}
