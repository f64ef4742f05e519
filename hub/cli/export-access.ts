/**
 * How `busbar export` reaches the meter data core, on the same terms as aggregate-access.ts:
 * PostgreSQL directly when database.url is set (works whether or not the hub runs; no period
 * limit), else the running hub's REST API (GET /api/exports/cmep, streamed), since PGlite allows
 * only one process and the hub holds it. Either way the records are the same bytes.
 */
import { ConfigError } from '../../canonical/errors.js';
import type { Config } from '../config/schema.js';
import { describePostgresUrl, openPostgres } from '../db/postgres.js';
import { openCmepExport } from '../export/cmep-export.js';
import { type CmepExportInput, type CmepExportParameter, parseCmepExportInput, type ParameterProblem } from '../export/cmep-parameters.js';
import type { Logger } from '../log.js';
import { clientToken, hubUrl } from './hub-access.js';
import { HubClient } from './hub-client.js';
import type { CliIo } from './io.js';

export interface CmepRecords {
  /** MEPMD01 records, without line ends. */
  readonly lines: readonly string[];
  /** Triplets in these records. */
  readonly readings: number;
}

export interface ExportAccess {
  /** Where the command goes, for messages: `PostgreSQL db@host:5432` or `hub http://127.0.0.1:8080`. */
  readonly target: string;
  /** The export a batch at a time; a parameter the store refuses throws an Error naming it as `spell` does. */
  cmep(input: CmepExportInput, spell: (parameter: CmepExportParameter) => string): AsyncGenerator<CmepRecords, void, undefined>;
  close(): Promise<void>;
}

export type OpenExportAccess = (config: Config, io: CliIo, log: Logger) => Promise<ExportAccess>;

export function usageError(problem: ParameterProblem, spell: (parameter: CmepExportParameter) => string): Error {
  return new Error(`${spell(problem.parameter)}: ${problem.problem}`);
}

/** SQLSTATE undefined_table: the database was never migrated. */
function explainMissingTable(error: unknown, target: string): unknown {
  if (error instanceof Error && 'code' in error && error.code === '42P01') {
    return new ConfigError('database.url', `a database migrated with \`busbar migrate\` (the mdm tables are missing in ${target})`, undefined, { cause: error });
  }
  return error;
}

/** Triplets in a MEPMD01 record: fields after the 14 of the header, by three (a quoted field may hold commas). */
export function tripletsIn(line: string): number {
  let fields = 1;
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line.charCodeAt(index);
    if (char === 0x22) quoted = !quoted;
    else if (char === 0x2c && !quoted) fields++;
  }
  return Math.max(0, Math.floor((fields - 14) / 3));
}

function queryOf(input: CmepExportInput): string {
  const query = new URLSearchParams({ from: input.from, to: input.to });
  for (const usagePoint of input.usagePoints ?? []) query.append('usagePoint', usagePoint);
  for (const name of ['rateClass', 'units', 'quality', 'values', 'interval'] as const) {
    const value = input[name];
    if (value !== undefined) query.set(name, value);
  }
  return query.toString();
}

export const openExportAccess: OpenExportAccess = async (config, io, log) => {
  const url = config.database.url;
  if (url === undefined) {
    const client = new HubClient(hubUrl(config), await clientToken(config, io));
    return {
      target: `hub ${client.baseUrl}`,
      cmep: async function* (input) {
        for await (const lines of client.getLines(`/api/exports/cmep?${queryOf(input)}`)) {
          const records = lines.filter((line) => line.length > 0);
          yield { lines: records, readings: records.reduce((sum, line) => sum + tripletsIn(line), 0) };
        }
      },
      close: async () => {},
    };
  }
  const target = `PostgreSQL ${describePostgresUrl(url)}`;
  const db = await openPostgres({ url, max: 1 }, log);
  return {
    target,
    cmep: async function* (input, spell) {
      const request = parseCmepExportInput(input);
      if ('problem' in request) throw usageError(request, spell);
      try {
        const opened = await openCmepExport(db, request);
        if ('problem' in opened) throw usageError(opened, spell);
        for await (const batch of opened.batches()) yield { lines: batch.lines, readings: batch.readings };
      } catch (error) {
        throw explainMissingTable(error, target);
      }
    },
    close: () => db.close(),
  };
};
