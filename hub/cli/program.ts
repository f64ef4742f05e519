/**
 * The `busbar` command line (commander). `runCli` returns the exit code instead of exiting, so
 * tests run the program in-process: 0 ok, 2 bad configuration, 1 anything else.
 */
import { Command, CommanderError } from 'commander';
import { registerAggregateCommand } from './commands/aggregate.js';
import { registerConfigCommand } from './commands/config.js';
import { registerDeterminantsCommand } from './commands/determinants.js';
import { registerDlqCommand } from './commands/dlq.js';
import { registerEventsCommand } from './commands/events.js';
import { registerExportCommand } from './commands/export.js';
import { registerImportCommand } from './commands/import.js';
import { registerMigrateCommand } from './commands/migrate.js';
import { registerQuarantineCommand } from './commands/quarantine.js';
import { registerStartCommand } from './commands/start.js';
import { registerVeeCommand } from './commands/vee.js';
import { EXIT_OK, exitCodeFor, formatError } from './errors.js';
import type { OpenAggregationAccess } from './aggregate-access.js';
import type { OpenDeterminantsAccess } from './determinants-access.js';
import type { OpenExportAccess } from './export-access.js';
import type { CliIo } from './io.js';
import type { OpenQuarantineAccess } from './quarantine-access.js';
import type { OpenVeeEstimationAccess, OpenVeeExceptionAccess } from './vee-access.js';

export const VERSION = '0.1.0';

/** What tests replace: how the commands reach the hub's data. Production uses the defaults. */
export interface CliDependencies {
  readonly openQuarantineAccess?: OpenQuarantineAccess;
  readonly openVeeExceptionAccess?: OpenVeeExceptionAccess;
  readonly openVeeEstimationAccess?: OpenVeeEstimationAccess;
  readonly openAggregationAccess?: OpenAggregationAccess;
  readonly openDeterminantsAccess?: OpenDeterminantsAccess;
  readonly openExportAccess?: OpenExportAccess;
}

export function createProgram(io: CliIo, setExitCode: (code: number) => void = () => {}, dependencies: CliDependencies = {}): Command {
  const program = new Command('busbar')
    .description('Busbar integration hub for electric, water and gas utilities.')
    .version(VERSION)
    .option('-c, --config <path>', 'YAML or JSON configuration file (default: ./busbar.yaml if present)')
    .showHelpAfterError()
    // Every command's --help then also lists --config.
    .configureHelp({ showGlobalOptions: true })
    // Set before adding commands: subcommands inherit both settings when created.
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text.trimEnd()), writeErr: (text) => io.err(text.trimEnd()) });
  registerStartCommand(program, io, setExitCode);
  registerMigrateCommand(program, io);
  registerDlqCommand(program, io);
  registerEventsCommand(program, io);
  registerQuarantineCommand(program, io, dependencies.openQuarantineAccess);
  registerVeeCommand(program, io, dependencies.openVeeExceptionAccess, dependencies.openVeeEstimationAccess);
  registerAggregateCommand(program, io, dependencies.openAggregationAccess);
  registerDeterminantsCommand(program, io, dependencies.openDeterminantsAccess);
  registerExportCommand(program, io, dependencies.openExportAccess);
  registerImportCommand(program, io, setExitCode);
  registerConfigCommand(program, io);
  return program;
}

/** `argv` without the node and script entries, e.g. `['dlq', 'list', '--json']`. */
export async function runCli(argv: readonly string[], io: CliIo, dependencies: CliDependencies = {}): Promise<number> {
  let exitCode = EXIT_OK;
  const program = createProgram(
    io,
    (code) => {
      exitCode = code;
    },
    dependencies,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    // Help, version and usage errors: commander already printed what it had to say.
    if (error instanceof CommanderError) return error.exitCode;
    io.err(formatError(error, io.env.BUSBAR_DEBUG === '1'));
    return exitCodeFor(error);
  }
}
