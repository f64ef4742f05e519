/**
 * ReadingQuality codes: the 3-part `systemId.category.subCategory` of IEC 61968-9 Annex D
 * (ReadingQualityType), as embedded in MultiSpeak 5.0 `readingQualityCode` (cim.md §4). A reading
 * may carry several; none means normal or not assessed.
 */
import { z } from 'zod';
import { InputError } from './errors.js';

export interface QualityCodeParts {
  /** Who made the statement: 1 end device, 2 head-end, 3 MDM (Annex D systemId). */
  systemId: number;
  category: number;
  subCategory: number;
}

export interface ParsedQualityCode extends QualityCodeParts {
  readonly raw: string;
}

/** Annex D systemId values (cim.md §4; 4 and 5 are not confirmed, so they have no name here). */
export const QualitySystem = {
  NotApplicable: 0,
  EndDevice: 1,
  MeteringSystem: 2,
  MeterDataManagement: 3,
} as const;

/** Annex D categories 0–8 (cim.md §4; 9–12 are unconfirmed and kept numeric only). */
export const QualityCategory = {
  Valid: 0,
  Diagnostics: 1,
  PowerQuality: 2,
  Tamper: 3,
  DataCollection: 4,
  ReasonabilityFailed: 5,
  ValidationFailed: 6,
  Edited: 7,
  Estimated: 8,
} as const;

const QUALITY_CODE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/;

export const QualityCodeSchema = z
  .string({ error: 'expected quality code' })
  .regex(QUALITY_CODE, { error: 'expected quality code systemId.category.subCategory' });
export type QualityCode = z.infer<typeof QualityCodeSchema>;

/** Whether the text is a well-formed systemId.category.subCategory code. */
export function isQualityCode(text: string): boolean {
  return QUALITY_CODE.test(text);
}

export function parseQualityCode(code: string): ParsedQualityCode {
  const match = QUALITY_CODE.exec(code);
  if (match === null) {
    throw new InputError(`invalid ReadingQuality code ${JSON.stringify(code)}: expected systemId.category.subCategory`, { field: 'quality' }, { raw: code });
  }
  return { raw: code, systemId: Number(match[1]), category: Number(match[2]), subCategory: Number(match[3]) };
}

export function formatQualityCode(parts: QualityCodeParts): QualityCode {
  const code = `${parts.systemId}.${parts.category}.${parts.subCategory}`;
  if (!QUALITY_CODE.test(code)) throw new InputError(`cannot format ReadingQuality code from ${code}`);
  return code;
}

/** The codes of cim.md §4 by meaning. Index meanings within 3.8 and 3.7 are unconfirmed there. */
export const QualityCodes = {
  VALID_END_DEVICE: '1.0.0',
  VALID_HEAD_END: '2.0.0',
  VALIDATED: '3.0.1',
  ESTIMATED: '3.8.1',
  EDITED: '3.7.1',
  MISSING: '2.5.259',
  SUSPECT: '2.5.258',
  OUT_OF_RANGE: '2.5.256',
  SKIPPED_INTERVAL: '2.4.4',
  OVERFLOW: '2.4.1',
  DST_IN_EFFECT: '2.4.16',
  CLOCK_SET_FORWARD: '2.4.64',
  USAGE_BELOW_MINIMUM: '2.6.4',
  POWER_FAIL: '1.2.32',
  SERVICE_DISCONNECT_SWITCHING: '1.2.3',
  REVERSE_ROTATION: '1.3.4',
  CLOCK_CHANGED: '1.4.9',
} as const;

/** True when any code in the list is in the given category (any system, any index). */
export function hasQualityCategory(codes: readonly string[], category: number): boolean {
  for (const code of codes) if (categoryOf(code) === category) return true;
  return false;
}

/** Categories by code: a feed uses a handful of codes, asked about for every interval it sends. */
const categories = new Map<string, number | undefined>();
const MAX_CACHED_CODES = 10_000;

function categoryOf(code: string): number | undefined {
  if (categories.has(code)) return categories.get(code);
  const category = QUALITY_CODE.test(code) ? parseQualityCode(code).category : undefined;
  if (categories.size >= MAX_CACHED_CODES) categories.clear();
  categories.set(code, category);
  return category;
}

/**
 * NAESB ESPI QualityOfReading is a single integer from another list (0 valid, 7 manually edited,
 * 8 and 9 estimated, 10 questionable, 14 raw, 17 validated). Its numbers are never CIM codes
 * (cim.md §4, §10), so each is mapped here. Raw data gets no code: absence means not assessed.
 */
export const ESPI_QUALITY_TO_CIM: ReadonlyMap<number, readonly QualityCode[]> = new Map<number, readonly QualityCode[]>([
  [0, [QualityCodes.VALIDATED]],
  [7, [QualityCodes.EDITED]],
  [8, [QualityCodes.ESTIMATED]],
  [9, [QualityCodes.ESTIMATED]],
  [10, [QualityCodes.SUSPECT]],
  [14, []],
  [17, [QualityCodes.VALIDATED]],
]);

/** The CIM codes for an ESPI QualityOfReading value; an unmapped value is an InputError. */
export function qualityCodesFromEspi(espiQuality: number): QualityCode[] {
  const codes = ESPI_QUALITY_TO_CIM.get(espiQuality);
  if (codes === undefined) {
    throw new InputError(`ESPI QualityOfReading ${espiQuality} has no CIM mapping`, { field: 'qualityOfReading' });
  }
  return [...codes];
}
