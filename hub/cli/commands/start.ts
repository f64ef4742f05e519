/** `busbar start`: run the hub until SIGTERM/SIGINT. */
import type { Command } from 'commander';
import { startHub } from '../../runtime/app.js';
import { handleSignals } from '../../runtime/shutdown.js';
import { createLogger } from '../../log.js';
import { loadCliConfig } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';

export function registerStartCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('start')
    .description('Run the hub: HTTP API and probes, the bus, the outbox relay. Stops gracefully on SIGTERM/SIGINT.')
    .action(async (_options: object, command: Command) => {
      const { config, file } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const log = createLogger(config.log.level);
      log.info({ file: file ?? '(defaults and environment only)' }, 'configuration loaded');
      const hub = await startHub(config, log, { env: io.env, cwd: io.cwd });
      const code = await new Promise<number>((resolve) => {
        handleSignals(hub, log, { stopped: resolve });
      });
      setExitCode(code);
    });
}
