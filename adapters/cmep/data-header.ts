/**
 * The header fields MEPMD01 and MEPMD02 share (cmep.md §4–§5: record version, parties, time
 * stamp, meter identity, purpose, commodity, units) and the calculation constant, checked once
 * here for both record types.
 */
import { parseDate, parseDateTime, parseFloatText } from './fields.js';
import type { CmepDataHeader } from './records.js';
import type { CodecOptions, LineContext } from './structure.js';

export const MAX_LINE = 2048;
/** A constant equal to 1 needs no decimal arithmetic (cmep.md §4). */
export const UNITY = /^\+?0*1(\.0*)?$/;
export const NO_WARNINGS: readonly string[] = Object.freeze([]);

const FIELD_NAMES_MD: readonly string[] = [
  'record type', 'record version', 'sender id', 'sender customer id', 'receiver id', 'receiver customer id',
  'time stamp', 'meter id', 'purpose', 'commodity', 'units',
];

/** cmep.md §3: the record version is informational; a non-date one is read with a warning when lenient. */
export function checkRecordVersion(options: CodecOptions, context: LineContext, version: string, warnings: string[]): void {
  if (!Number.isNaN(parseDate(version))) return;
  if (!options.lenient.nonDateRecordVersion) context.fail(1, 'record version', `not a CCYYMMDD date: ${JSON.stringify(version)}`);
  warnings.push(`record version ${JSON.stringify(version)} is not a CCYYMMDD date (read leniently)`);
}

/** The calculation constant as a decimal string; cmep.md §4: an empty constant is read as 1, and recorded. */
export function constantOf(context: LineContext, text: string, field: number): string {
  if (text === '') return '1';
  const parsed = parseFloatText(text);
  return parsed ?? context.fail(field, 'calculation constant', `not a number: ${JSON.stringify(text)}`);
}

/** The record version and time stamp last found valid: the rows of one file repeat them. */
export class HeaderMemo {
  version = '';
  createdAt = '';
}

/**
 * Checks fields 1–10 of a data record and returns the meter identity (field 7 or 5, cmep.md §13).
 * With a memo, a version or time stamp equal to the last valid one is not read again.
 */
export function checkDataHeader(options: CodecOptions, context: LineContext, fields: readonly string[], warnings: string[], memo?: HeaderMemo): string {
  const version = fields[1] ?? '';
  if (memo === undefined || version !== memo.version || version === '') {
    const before = warnings.length;
    checkRecordVersion(options, context, version, warnings);
    if (memo !== undefined && warnings.length === before) memo.version = version;
  }
  const createdAt = fields[6] ?? '';
  if (createdAt !== '' && createdAt !== memo?.createdAt) {
    if (Number.isNaN(parseDateTime(createdAt))) context.fail(6, 'time stamp', `not a CCYYMMDDHHMM date/time: ${JSON.stringify(createdAt)}`);
    if (memo !== undefined) memo.createdAt = createdAt;
  }
  const meterId = fields[options.identityField] ?? '';
  if (meterId === '') context.fail(options.identityField, FIELD_NAMES_MD[options.identityField] ?? 'meter id', 'the meter identity is empty');
  if ((fields[10] ?? '') === '') context.fail(10, 'units', 'empty');
  if (context.text.length > MAX_LINE) warnings.push(`line is ${context.text.length} characters, over the ${MAX_LINE} of CMEP v1.20 §1`);
  return meterId;
}

/** The shared header of a data record, checked (see `checkDataHeader`). */
export function dataHeaderOf(
  options: CodecOptions,
  context: LineContext,
  fields: readonly string[],
  constant: { readonly text: string; readonly defaulted: boolean },
  warnings: string[],
  crc: string | undefined,
): CmepDataHeader {
  const meterId = checkDataHeader(options, context, fields, warnings);
  return {
    line: context.line,
    recordVersion: fields[1] ?? '',
    senderId: fields[2] ?? '',
    senderCustomerId: fields[3] ?? '',
    receiverId: fields[4] ?? '',
    receiverCustomerId: fields[5] ?? '',
    createdAt: fields[6] ?? '',
    meterId,
    purpose: fields[8] ?? '',
    commodity: fields[9] ?? '',
    unit: fields[10] ?? '',
    calculationConstant: constant.text,
    constantDefaulted: constant.defaulted,
    crc,
    warnings: warnings.length === 0 ? NO_WARNINGS : warnings,
  };
}
