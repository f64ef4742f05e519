/**
 * `busbar export cmep --from <date> --to <date> [--usage-point <id>]... [--rate-class <code>]
 * [--units <list>] [--quality actual|estimated|both] [--values raw|multiplied]
 * [--interval 5|15|60] [--out <file>]`: stored interval data as CMEP MEPMD01 records
 * (hub/export/cmep-export.ts), streamed to stdout or to a file that appears whole or not at all,
 * then a summary on stderr.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { EXPORT_QUALITIES, EXPORT_VALUE_MODES } from '../../../mdm/export/day-export.js';
import { CMEP_LINE_END } from '../../export/cmep-export.js';
import { type CmepExportInput, type CmepExportParameter, DEFAULT_VALUE_MODE, EXPORT_INTERVAL_MINUTES, parseCmepExportInput } from '../../export/cmep-parameters.js';
import { type AtomicFile, createAtomicFile } from '../atomic-file.js';
import { loadCliConfig, toolLogger } from '../context.js';
import { openExportAccess, type OpenExportAccess, usageError } from '../export-access.js';
import type { CliIo, GlobalOptions } from '../io.js';

interface CmepFlags {
  from: string;
  to: string;
  usagePoint?: string[];
  rateClass?: string;
  units?: string;
  quality?: string;
  values?: string;
  interval?: string;
  out?: string;
}

const FLAGS: Readonly<Record<CmepExportParameter, string>> = {
  from: '--from',
  to: '--to',
  usagePoint: '--usage-point',
  rateClass: '--rate-class',
  units: '--units',
  quality: '--quality',
  values: '--values',
  interval: '--interval',
};
const spell = (parameter: CmepExportParameter) => FLAGS[parameter];

function collect(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), text];
}

const count = (value: number) => value.toLocaleString('en-US');

/** Where the records go: a file written beside its target and renamed at the end, or stdout. */
interface RecordSink {
  write(lines: readonly string[]): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

function fileSink(file: AtomicFile): RecordSink {
  return {
    write: (lines) => (lines.length === 0 ? Promise.resolve() : file.write(lines.join(CMEP_LINE_END) + CMEP_LINE_END)),
    finish: () => file.commit(),
    abort: () => file.abort(),
  };
}

function stdoutSink(io: CliIo): RecordSink {
  return {
    // CMEP v1.20 §1: records end in CR LF; io.out adds the LF.
    write: async (lines) => {
      for (const line of lines) io.out(`${line}\r`);
    },
    finish: async () => {},
    abort: async () => {},
  };
}

/** A count on the terminal while the export runs (the total is not known in advance); nothing when stderr is not a terminal. */
function progressLine(io: CliIo): { update(readings: number): void; stop(): void } {
  const terminal = io.terminal;
  let shownAt = 0;
  return {
    update(readings) {
      if (terminal === undefined || Date.now() - shownAt < 200) return;
      shownAt = Date.now();
      terminal.write(`\rexporting: ${count(readings)} readings`);
    },
    stop() {
      if (terminal !== undefined && shownAt > 0) terminal.write('\r\u001b[K');
    },
  };
}

async function createOutFile(path: string): Promise<AtomicFile> {
  try {
    return await createAtomicFile(path);
  } catch (error) {
    throw new Error(`--out: cannot write beside ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

export function registerExportCommand(program: Command, io: CliIo, open: OpenExportAccess = openExportAccess): void {
  const exportCommand = program.command('export').description('Export stored meter data in a vendor format (CMEP MEPMD01).');
  exportCommand
    .command('cmep')
    .description(
      'Stored interval data of usage points over local days [from, to) as CMEP MEPMD01 records, to stdout or to a file that appears '
        + 'only once complete (PostgreSQL directly with database.url; the running hub\'s API with PGlite).',
    )
    .requiredOption('--from <date>', 'first local day exported, YYYY-MM-DD')
    .requiredOption('--to <date>', 'first local day not exported, YYYY-MM-DD')
    .option('--usage-point <id>', 'a usage point\'s mRID or name (repeatable); default every usage point', collect)
    .option('--rate-class <code>', 'every usage point of this rate class')
    .option('--units <list>', 'comma-separated CMEP units, e.g. KWH,KVARH; default every interval unit')
    .addOption(new Option('--quality <which>', 'actual (all but estimated, gaps as N), estimated, or both').choices(EXPORT_QUALITIES).default('both'))
    .addOption(new Option('--values <mode>', 'multiplied by the meter\'s CT/PT multiplier, or raw with the multiplier as calculation constant').choices(EXPORT_VALUE_MODES).default(DEFAULT_VALUE_MODE))
    .addOption(new Option('--interval <minutes>', 'roll up to this interval by summing (never finer than stored); default as stored').choices(EXPORT_INTERVAL_MINUTES.map(String)))
    .option('--out <file>', 'write to this file instead of stdout')
    .action(async (flags: CmepFlags, command: Command) => {
      const input: CmepExportInput = {
        from: flags.from,
        to: flags.to,
        ...(flags.usagePoint === undefined ? {} : { usagePoints: flags.usagePoint }),
        ...(flags.rateClass === undefined ? {} : { rateClass: flags.rateClass }),
        ...(flags.units === undefined ? {} : { units: flags.units }),
        ...(flags.quality === undefined ? {} : { quality: flags.quality }),
        ...(flags.values === undefined ? {} : { values: flags.values }),
        ...(flags.interval === undefined ? {} : { interval: flags.interval }),
      };
      // Bad parameters fail here, before the configuration or the data is touched.
      const parsed = parseCmepExportInput(input);
      if ('problem' in parsed) throw usageError(parsed, spell);
      const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const access = await open(config, io, toolLogger());
      const started = performance.now();
      const progress = progressLine(io);
      let sink: RecordSink | undefined;
      let readings = 0;
      let records = 0;
      try {
        const out = flags.out === undefined ? undefined : resolve(io.cwd, flags.out);
        sink = out === undefined ? stdoutSink(io) : fileSink(await createOutFile(out));
        for await (const batch of access.cmep(input, spell)) {
          await sink.write(batch.lines);
          readings += batch.readings;
          records += batch.lines.length;
          progress.update(readings);
        }
        await sink.finish();
        progress.stop();
        const seconds = (performance.now() - started) / 1000;
        io.err(`exported ${count(readings)} readings in ${count(records)} MEPMD01 records${out === undefined ? '' : ` to ${out}`} from ${access.target} in ${seconds.toFixed(2)} s`);
      } catch (error) {
        progress.stop();
        await sink?.abort();
        throw error;
      } finally {
        await access.close();
      }
    });
}
