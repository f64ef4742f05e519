/**
 * The optional CRC-16 slot (cmep.md §9). CMEP v1.20 defines the slot (`H` + 4 hex digits) but
 * not the CRC-16 variant nor the bytes it covers, so a source that verifies names its variant;
 * the bytes covered are taken to be the record up to, not including, the comma before the slot.
 */
import type { CrcAlgorithm } from './spec.js';

interface Crc16Variant {
  readonly polynomial: number;
  readonly initial: number;
  /** Reflected (LSB-first) variants process bits in the reverse order. */
  readonly reflected: boolean;
}

const VARIANTS: Readonly<Record<CrcAlgorithm, Crc16Variant>> = {
  'crc16-arc': { polynomial: 0xa001, initial: 0x0000, reflected: true },
  'crc16-xmodem': { polynomial: 0x1021, initial: 0x0000, reflected: false },
  'crc16-ccitt-false': { polynomial: 0x1021, initial: 0xffff, reflected: false },
};

/** CRC-16 of an ASCII string (each character is one byte, CMEP v1.20 §1). */
export function crc16(text: string, algorithm: CrcAlgorithm): number {
  const variant = VARIANTS[algorithm];
  let crc = variant.initial;
  for (let index = 0; index < text.length; index++) {
    const byte = text.charCodeAt(index) & 0xff;
    if (variant.reflected) {
      crc ^= byte;
      for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ variant.polynomial : crc >>> 1;
    } else {
      crc ^= byte << 8;
      for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ variant.polynomial) & 0xffff : (crc << 1) & 0xffff;
    }
  }
  return crc;
}

const CRC_SLOT = /^H[0-9A-Fa-f]{4}$/;

/** CMEP v1.20 §9: the slot is empty or `H` + 4 hex digits. */
export function isCrcSlot(text: string): boolean {
  return text.length === 0 || CRC_SLOT.test(text);
}

/** `H1A2B` for a CRC value. */
export function formatCrc(value: number): string {
  return `H${value.toString(16).toUpperCase().padStart(4, '0')}`;
}
