import { describe, expect, it } from 'vitest';
import { decodeRaw, encodeRaw } from './raw-text.js';

function roundTrip(raw: string, limit: number): { raw: string; rawTruncated: boolean } {
  const stored = encodeRaw(raw, limit);
  return decodeRaw(stored.bytes, stored.totalBytes);
}

describe('raw text of a quarantined record', () => {
  it('comes back unchanged up to the limit, a leading BOM included', () => {
    const raw = '\uFEFFa,"b"\r\n🔌';
    const size = Buffer.byteLength(raw, 'utf8');
    expect(roundTrip(raw, size)).toStrictEqual({ raw, rawTruncated: false });
  });

  it('is cut before a character that would straddle the limit, with a marker naming both sizes', () => {
    // 'ab' then a 4-byte emoji: a 5-byte limit falls inside the emoji.
    expect(encodeRaw('ab🔌c', 5).bytes).toStrictEqual(Buffer.from('ab'));
    expect(roundTrip('ab🔌c', 5)).toStrictEqual({ raw: 'ab\n[busbar: raw text cut after 2 of 7 bytes]', rawTruncated: true });
    expect(roundTrip('abcdefg', 6)).toStrictEqual({ raw: 'abcdef\n[busbar: raw text cut after 6 of 7 bytes]', rawTruncated: true });
  });
});
