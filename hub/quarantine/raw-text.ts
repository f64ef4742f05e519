/**
 * How a quarantined record's raw text is kept: its UTF-8 bytes, exactly, up to RAW_LIMIT_BYTES.
 * A longer record (a whole XML document, a runaway line without a newline) is cut on a character
 * boundary; the reader gets the kept part followed by a marker that names both sizes, and
 * `rawTruncated` says so without parsing the marker. Pure: no I/O.
 */

/** 64 KiB: room for any sane line or message, and 1,000 rows per INSERT stay under 64 MiB. */
export const RAW_LIMIT_BYTES = 65_536;

export interface StoredRaw {
  /** The UTF-8 bytes kept (at most RAW_LIMIT_BYTES). */
  readonly bytes: Uint8Array;
  /** The size of the whole record in UTF-8 bytes. */
  readonly totalBytes: number;
}

/** True for a UTF-8 continuation byte (10xxxxxx): cutting before it would split a character. */
function isContinuationByte(byte: number | undefined): boolean {
  return byte !== undefined && (byte & 0xc0) === 0x80;
}

export function encodeRaw(raw: string, limit: number = RAW_LIMIT_BYTES): StoredRaw {
  const bytes = Buffer.from(raw, 'utf8');
  if (bytes.length <= limit) return { bytes, totalBytes: bytes.length };
  let cut = limit;
  while (cut > 0 && isContinuationByte(bytes[cut])) cut -= 1;
  return { bytes: bytes.subarray(0, cut), totalBytes: bytes.length };
}

export function truncationMarker(keptBytes: number, totalBytes: number): string {
  return `\n[busbar: raw text cut after ${keptBytes} of ${totalBytes} bytes]`;
}

/** ignoreBOM keeps a leading U+FEFF: the first line of a file comes back as it was received. */
export function decodeRaw(bytes: Uint8Array, totalBytes: number): { raw: string; rawTruncated: boolean } {
  const kept = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const rawTruncated = totalBytes > bytes.length;
  return { raw: rawTruncated ? kept + truncationMarker(bytes.length, totalBytes) : kept, rawTruncated };
}
