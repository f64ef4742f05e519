/**
 * A CMEP line read as bytes and text side by side: the codec finds the commas and checks the
 * numbers in the bytes (a byte load costs half a `charCodeAt`), and takes the field strings from
 * the text. The two stay aligned, one byte per character: `text[i - base]` is the character of
 * `bytes[i]` (latin1, as the transport decodes; CMEP v1.20 §1 is ASCII).
 */

const COMMA = 44;
/** Stands in for a character above U+00FF: no delimiter, blank, digit, sign or flag letter. */
const WIDE = 0x7f;

/** Fields 0…count-1 of an unquoted line, and the byte position where the next field starts. */
export interface LeadingFields {
  readonly fields: string[];
  readonly next: number;
}

/**
 * The first `count` fields of the unquoted line `bytes[from, to)`, blanks trimmed (CMEP v1.20
 * §1); the fields of a truncated record that are missing are empty.
 */
export function leadingFieldsAt(bytes: Uint8Array, from: number, to: number, text: string, base: number, count: number): LeadingFields {
  const fields = new Array<string>(count);
  let position = from;
  for (let index = 0; index < count; index++) {
    if (position > to) {
      fields[index] = ''; // §1: missing trailing fields of a truncated record are empty
      continue;
    }
    let stop = position;
    while (stop < to && bytes[stop] !== COMMA) stop++;
    const field = text.slice(position - base, stop - base);
    fields[index] = stop > position && ((bytes[position] ?? 0) <= 32 || (bytes[stop - 1] ?? 0) <= 32) ? field.trim() : field;
    position = stop + 1;
  }
  return { fields, next: position };
}

/** Turns text into bytes aligned with it, for lines that arrive as strings. */
export class LineEncoder {
  private scratch = Buffer.allocUnsafe(4096);

  /**
   * `text` as one byte per character in a reused buffer (valid until the next call): latin1 for
   * characters up to U+00FF, and a DEL byte for any above, which no rule of the codec accepts.
   */
  encode(text: string): Buffer {
    const length = text.length;
    if (this.scratch.length < length * 3) this.scratch = Buffer.allocUnsafe(Math.max(length * 3, this.scratch.length * 2));
    const scratch = this.scratch;
    // UTF-8 writes one byte per character exactly when the text is ASCII: then the bytes are final.
    if (scratch.write(text, 0, 'utf8') === length) return scratch;
    for (let index = 0; index < length; index++) {
      const code = text.charCodeAt(index);
      scratch[index] = code > 0xff ? WIDE : code;
    }
    return scratch;
  }
}
