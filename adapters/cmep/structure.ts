/**
 * One CMEP line's reading context and the structural checks every record type shares: the field
 * count against the record's `count` (cmep.md §4–§6) and the optional CRC slot (§9). Errors name
 * the line and the field, so the caller can quarantine the row and carry on (§1: one line = one
 * record).
 */
import { InputError } from '../../canonical/index.js';
import { crc16, formatCrc, isCrcSlot } from './crc.js';
import { parseInteger } from './fields.js';
import type { CmepProfile } from './spec.js';

export type CodecOptions = Pick<CmepProfile, 'timeZone' | 'identityField' | 'lenient' | 'crcAlgorithm'>;

/** The reading context of one line: its number and text, for errors that name both. */
export class LineContext {
  constructor(readonly text: string, readonly line: number) {}

  fail(field: number, name: string, message: string): never {
    throw new InputError(`line ${this.line}: field ${field} (${name}): ${message}`, { line: this.line, field: `${field}:${name}` }, { raw: this.text });
  }

  failRow(message: string): never {
    throw new InputError(`line ${this.line}: ${message}`, { line: this.line }, { raw: this.text });
  }
}

/** CMEP v1.20 §9: the slot is empty or `H` + 4 hex digits, verified only when the profile names a CRC. */
export function checkCrcSlot(options: CodecOptions, context: LineContext, slot: string, field: number): string {
  if (!isCrcSlot(slot)) context.fail(field, 'crc', `expected empty or H + 4 hex digits, got ${JSON.stringify(slot)}`);
  if (options.crcAlgorithm !== undefined && slot !== '') {
    const covered = context.text.slice(0, context.text.lastIndexOf(','));
    const computed = formatCrc(crc16(covered, options.crcAlgorithm));
    if (computed.toUpperCase() !== slot.toUpperCase()) context.fail(field, 'crc', `${slot} does not match ${options.crcAlgorithm} ${computed}`);
  }
  return slot;
}

/** CMEP v1.20 §1, §5, §6: `fields == fixed + perItem·count`, or one more with a CRC slot (§9). */
export function checkStructure(
  options: CodecOptions,
  context: LineContext,
  fields: string[],
  shape: { readonly fixed: number; readonly perItem: number; readonly countIndex: number; readonly max: number },
): { count: number; crc: string | undefined } {
  const { fixed, perItem, countIndex, max } = shape;
  while (fields.length < fixed) fields.push(''); // §1: a truncated record's missing trailing fields are empty
  const countText = fields[countIndex] ?? '';
  const count = parseInteger(countText);
  if (!Number.isInteger(count) || count < 0) context.fail(countIndex, 'count', `not a non-negative integer: ${JSON.stringify(countText)}`);
  if (count > max) context.fail(countIndex, 'count', `${count} is over the maximum of ${max}`);
  const expected = fixed + perItem * count;
  if (fields.length === expected) return { count, crc: undefined };
  if (fields.length === expected + 1) return { count, crc: checkCrcSlot(options, context, fields[expected] ?? '', expected) };
  return context.failRow(`structural error: count ${count} needs ${expected} fields (or ${expected + 1} with a CRC slot), got ${fields.length}`);
}
