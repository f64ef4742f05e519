/** MEPEC01 equipment configuration (cmep.md §6): fixed fields and up to 16 (name, value) parameters. */
import { checkRecordVersion, NO_WARNINGS } from './data-header.js';
import { parseDate } from './fields.js';
import type { EquipmentRecord } from './records.js';
import { checkStructure, type CodecOptions, type LineContext } from './structure.js';

const EC01_SHAPE = { fixed: 22, perItem: 2, countIndex: 21, max: 16 } as const;

export function parseEquipment(options: CodecOptions, context: LineContext, fields: string[]): EquipmentRecord {
  const { count, crc } = checkStructure(options, context, fields, EC01_SHAPE);
  const warnings: string[] = [];
  const version = fields[1] ?? '';
  checkRecordVersion(options, context, version, warnings);
  for (const [index, name] of [[18, 'date of purchase'], [19, 'date of installation']] as const) {
    const text = fields[index] ?? '';
    if (text !== '' && Number.isNaN(parseDate(text))) context.fail(index, name, `not a CCYYMMDD date: ${JSON.stringify(text)}`);
  }
  // Vendor parameter names are kept beside the v1.20 ones, never dropped (cmep.md §6).
  const parameters: Record<string, string> = {};
  for (let index = 0; index < count; index++) {
    const name = fields[EC01_SHAPE.fixed + 2 * index] ?? '';
    if (name === '') context.fail(EC01_SHAPE.fixed + 2 * index, 'parameter name', 'empty');
    parameters[name] = fields[EC01_SHAPE.fixed + 2 * index + 1] ?? '';
  }
  const at = (index: number): string => fields[index] ?? '';
  return {
    type: 'MEPEC01', line: context.line, recordVersion: version, senderId: at(2), senderCustomerId: at(3),
    receiverId: at(4), receiverCustomerId: at(5), createdAt: at(6), recordId: at(7), operation: at(8), purpose: at(9),
    comment: at(10), commodity: at(11), activity: at(12), equipmentType: at(13), manufacturer: at(14), model: at(15),
    serialNumber: at(16), identifier: at(17), purchaseDate: at(18), installationDate: at(19), owner: at(20),
    parameters, crc, warnings: warnings.length === 0 ? NO_WARNINGS : warnings,
  };
}
