/** `busbar import <adapter> <files…> --source <name>`: import files through the hub's pipeline, then print a summary. */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { ConfigError } from '../../../canonical/errors.js';
import { importFiles, importSource, totalsOf, type FileOutcome, type FileProgress, type ImportTotals } from '../../ingest/import-files.js';
import { resolve } from 'node:path';
import { loadCliConfig, toolLogger } from '../context.js';
import { EXIT_FAILURE, formatError } from '../errors.js';
import { openImportPipeline } from '../import-pipeline.js';
import type { CliIo, GlobalOptions } from '../io.js';

interface ImportFlags {
  source: string;
  force?: boolean;
}

const seconds = (value: number): string => value.toFixed(2);

export function outcomeLine(outcome: FileOutcome): string {
  switch (outcome.status) {
    case 'imported':
    case 'aborted': {
      const s = outcome.summary;
      const verb = outcome.status === 'imported' ? 'imported' : 'stopped';
      return `${verb} ${outcome.path}: ${s.records} records, ${s.blocks} blocks, ${s.registerReads} register reads, ${s.readings} readings, ` +
        `${s.quarantined} quarantined, ${s.duplicates} duplicates in ${seconds(s.seconds)} s`;
    }
    case 'skipped':
      return `skipped ${outcome.path}: already imported at ${outcome.importedAt.toISOString()} (from ${outcome.importedFrom}); --force imports it again`;
    case 'failed':
      return `failed ${outcome.path}: ${formatError(outcome.error, false).replace(/^error: /, '')}`;
  }
}

export function totalsLines(totals: ImportTotals, coreQuarantined: number | undefined): string[] {
  return [
    `files: ${totals.files} (${totals.imported} imported, ${totals.skipped} skipped, ${totals.failed} failed)`,
    `records: ${totals.records}`,
    `blocks: ${totals.blocks}`,
    `register reads: ${totals.registerReads}`,
    `readings: ${totals.readings}`,
    `quarantined: ${totals.quarantined}${coreQuarantined === undefined ? '' : ` by the adapter, ${coreQuarantined} by the cores (unknown meters or usage points)`}`,
    `duplicates: ${totals.duplicates}`,
    `seconds: ${seconds(totals.seconds)}`,
  ];
}

/** A bar per file on a terminal: bytes hashed, then bytes imported. */
function progressBar(io: CliIo): { onProgress?: (progress: FileProgress) => void; stop(): void } {
  const terminal = io.terminal;
  if (terminal === undefined) return { stop: () => {} };
  const bar = new SingleBar({
    stream: terminal,
    format: '{phase} {file} [{bar}] {percentage}% {value}/{total} bytes',
    hideCursor: true,
    clearOnComplete: true,
  });
  let current = '';
  return {
    onProgress(progress) {
      const key = `${progress.path}\u0000${progress.phase}`;
      if (key !== current) {
        if (current !== '') bar.stop();
        current = key;
        bar.start(Math.max(progress.totalBytes, 1), 0, { file: progress.path, phase: progress.phase });
      }
      bar.update(Math.min(progress.bytesRead, progress.totalBytes), { phase: progress.phase });
    },
    stop: () => {
      if (current !== '') bar.stop();
      current = '';
    },
  };
}

export function registerImportCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('import')
    .description('Import CMEP or MV-90 files of a configured source (sources.<name>), then print a summary; a file already imported is skipped.')
    .argument('<adapter>', 'the file adapter, cmep or mv90: must be the source\'s adapter')
    .argument('<files...>', 'files to import, in order (oldest delivery first)')
    .requiredOption('-s, --source <name>', 'the configured source the files come from')
    .option('-f, --force', 'import again files already imported (the stored readings do not change)')
    .action(async (adapter: string, files: string[], flags: ImportFlags, command: Command) => {
      const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const source = config.sources[flags.source];
      if (source === undefined) throw new ConfigError(`sources.${flags.source}`, `a configured source (--source ${flags.source})`);
      if (source.adapter !== adapter) throw new ConfigError(`sources.${flags.source}.adapter`, `"${adapter}" as given on the command line`, source.adapter);
      const log = toolLogger();
      const pipeline = await openImportPipeline(config, flags.source, io.cwd, log);
      const bar = progressBar(io);
      const started = new Date();
      let outcomes: FileOutcome[];
      let coreQuarantined: number | undefined;
      try {
        outcomes = await importFiles(pipeline.deps, flags.source, files.map((file) => resolve(io.cwd, file)), {
          ...(flags.force === true ? { force: true } : {}),
          ...(bar.onProgress === undefined ? {} : { onProgress: bar.onProgress }),
        });
        bar.stop();
        await pipeline.settle();
        if (pipeline.consumersInProcess) {
          // This process holds the data folder, so every quarantine row since the start is this import's.
          const { rows } = await pipeline.db.query<{ count: string }>(
            'SELECT count(*) AS count FROM hub.quarantine WHERE recorded_at >= $1 AND source <> $2',
            [started, importSource(adapter, flags.source)],
          );
          coreQuarantined = Number(rows[0]?.count ?? 0);
        }
      } finally {
        bar.stop();
        await pipeline.close();
      }
      for (const outcome of outcomes) (outcome.status === 'failed' ? io.err : io.out)(outcomeLine(outcome));
      for (const line of totalsLines(totalsOf(outcomes), coreQuarantined)) io.out(line);
      if (!pipeline.consumersInProcess) io.out(`published to ${pipeline.bus.transport}: the running hub stores the readings`);
      if (outcomes.some((outcome) => outcome.status === 'failed' || outcome.status === 'aborted')) setExitCode(EXIT_FAILURE);
    });
}
