/**
 * The parameters of a MEPMD01 export as a person gives them, on the command line
 * (`busbar export cmep --from …`) or in the query string (GET /api/exports/cmep?from=…): parsed
 * and checked here once for both, each problem naming its parameter as the caller spells it.
 */
import { LocalDateSchema } from '../../canonical/time.js';
import { EXPORT_QUALITIES, EXPORT_VALUE_MODES, type ExportQuality, type ExportValueMode } from '../../mdm/export/day-export.js';
import type { ExportPopulation } from '../../mdm/export/export-data.js';
import { readingTypesOfUnits } from './cmep-units.js';

export const CMEP_EXPORT_PARAMETERS = ['from', 'to', 'usagePoint', 'rateClass', 'units', 'quality', 'values', 'interval'] as const;
export type CmepExportParameter = (typeof CMEP_EXPORT_PARAMETERS)[number];

/** Roll-up targets, in minutes. */
export const EXPORT_INTERVAL_MINUTES = [5, 15, 60] as const;

/** Values by default: multiplied, i.e. what the customer used (raw values need the constant to mean anything). */
export const DEFAULT_VALUE_MODE: ExportValueMode = 'multiplied';

/** As typed: every value a string (a repeatable parameter a list of them). */
export interface CmepExportInput {
  readonly from: string;
  readonly to: string;
  readonly usagePoints?: readonly string[];
  readonly rateClass?: string;
  /** Comma-separated CMEP units, e.g. `KWH,KVARH`; every interval unit when absent. */
  readonly units?: string;
  readonly quality?: string;
  readonly values?: string;
  /** Minutes: 5, 15 or 60. */
  readonly interval?: string;
}

export interface CmepExportRequest {
  /** Local days [fromDate, toDate). */
  readonly fromDate: string;
  readonly toDate: string;
  readonly population: ExportPopulation;
  /** The ReadingType codes the units cover, each with its unit. */
  readonly readingTypes: ReadonlyMap<string, string>;
  readonly quality: ExportQuality;
  readonly values: ExportValueMode;
  readonly intervalMinutes?: number;
}

export interface ParameterProblem {
  readonly parameter: CmepExportParameter;
  /** What is wrong, without the parameter's name: the caller writes `<name>: <problem>` in its own spelling. */
  readonly problem: string;
}

const DAY_MILLIS = 86_400_000;

function oneOf(values: readonly (string | number)[]): string {
  return `${values.slice(0, -1).join(', ')} or ${String(values[values.length - 1])}`;
}

/** `{ parameter, problem }` for the first thing wrong, else the request. `maxDays` bounds the period (the REST API's limit). */
export function parseCmepExportInput(input: CmepExportInput, options: { readonly maxDays?: number } = {}): CmepExportRequest | ParameterProblem {
  for (const parameter of ['from', 'to'] as const) {
    if (!LocalDateSchema.safeParse(input[parameter]).success) return { parameter, problem: `must be a local date YYYY-MM-DD, got ${JSON.stringify(input[parameter])}` };
  }
  if (input.to <= input.from) return { parameter: 'to', problem: `must be after from (it is the first local day not exported), got ${input.to} for from ${input.from}` };
  const days = (Date.parse(input.to) - Date.parse(input.from)) / DAY_MILLIS;
  if (options.maxDays !== undefined && days > options.maxDays) return { parameter: 'to', problem: `must be at most ${options.maxDays} days after from, got ${days} days; export in parts` };
  const usagePoints = (input.usagePoints ?? []).map((text) => text.trim()).filter((text) => text.length > 0);
  const rateClass = input.rateClass?.trim();
  if (usagePoints.length > 0 && rateClass !== undefined) return { parameter: 'rateClass', problem: 'cannot be combined with usage points: give one or the other (neither: every usage point)' };
  if (rateClass === '') return { parameter: 'rateClass', problem: 'must not be empty' };
  const population: ExportPopulation = usagePoints.length > 0 ? { kind: 'usagePoints', usagePoints } : rateClass !== undefined ? { kind: 'rateClass', rateClass } : { kind: 'all' };
  const units = input.units?.split(',').map((unit) => unit.trim().toUpperCase()).filter((unit) => unit.length > 0);
  if (units !== undefined && units.length === 0) return { parameter: 'units', problem: 'must name at least one CMEP unit, e.g. KWH' };
  const readingTypes = readingTypesOfUnits(units);
  if ('problem' in readingTypes) return { parameter: 'units', problem: readingTypes.problem };
  const quality = input.quality ?? 'both';
  if (!isOneOf(EXPORT_QUALITIES, quality)) return { parameter: 'quality', problem: `must be ${oneOf(EXPORT_QUALITIES)}, got ${JSON.stringify(quality)}` };
  const values = input.values ?? DEFAULT_VALUE_MODE;
  if (!isOneOf(EXPORT_VALUE_MODES, values)) return { parameter: 'values', problem: `must be ${oneOf(EXPORT_VALUE_MODES)}, got ${JSON.stringify(values)}` };
  let intervalMinutes: number | undefined;
  if (input.interval !== undefined) {
    intervalMinutes = Number(input.interval);
    if (!EXPORT_INTERVAL_MINUTES.some((minutes) => minutes === intervalMinutes)) {
      return { parameter: 'interval', problem: `must be ${oneOf(EXPORT_INTERVAL_MINUTES)} (minutes), got ${JSON.stringify(input.interval)}` };
    }
  }
  return { fromDate: input.from, toDate: input.to, population, readingTypes, quality, values, ...(intervalMinutes === undefined ? {} : { intervalMinutes }) };
}

function isOneOf<T extends string>(choices: readonly T[], value: string): value is T {
  return choices.some((choice) => choice === value);
}
