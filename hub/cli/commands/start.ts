/** `busbar start`: run the hub until SIGTERM/SIGINT; `--demo` adds the demo utility (hub/demo). */
import type { Command } from 'commander';
import { runDemo, withDemoSource } from '../../demo/index.js';
import { startHub } from '../../runtime/app.js';
import { handleSignals } from '../../runtime/shutdown.js';
import { createLogger } from '../../log.js';
import { loadCliConfig } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';

export function registerStartCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('start')
    .description('Run the hub: HTTP API and probes, the bus, the outbox relay. Stops gracefully on SIGTERM/SIGINT.')
    .option('--demo', 'seed a demo utility (once per data folder) and drop a CMEP file for yesterday into its drop folder')
    .action(async (options: { demo?: boolean }, command: Command) => {
      const loaded = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const log = createLogger(loaded.config.log.level);
      log.info({ file: loaded.file ?? '(defaults and environment only)' }, 'configuration loaded');
      // The demo source must be in the configuration before the hub starts its drop-folder watchers.
      const config = options.demo === true ? withDemoSource(loaded.config, io.cwd) : loaded.config;
      const hub = await startHub(config, log, { env: io.env, cwd: io.cwd });
      const code = new Promise<number>((resolve) => {
        handleSignals(hub, log, { stopped: resolve });
      });
      if (options.demo === true) {
        try {
          await runDemo(hub, config, log, { cwd: io.cwd });
        } catch (error) {
          log.error({ err: error }, 'demo: could not seed or drop the demo file; the hub keeps running');
        }
      }
      setExitCode(await code);
    });
}
