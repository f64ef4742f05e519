/** `busbar migrate`: apply pending database migrations and exit. */
import type { Command } from 'commander';
import { migrate } from '../../db/migrate.js';
import { openDatabase } from '../../db/open.js';
import { databaseOptionsFrom } from '../../runtime/options.js';
import { loadCliConfig, toolLogger } from '../context.js';
import type { CliIo, GlobalOptions } from '../io.js';

export function registerMigrateCommand(program: Command, io: CliIo): void {
  program
    .command('migrate')
    .description('Apply pending database migrations (PostgreSQL when database.url is set, PGlite in dataDir otherwise) and exit.')
    .action(async (_options: object, command: Command) => {
      const { config } = loadCliConfig(command.optsWithGlobals<GlobalOptions>(), io);
      const log = toolLogger();
      const db = await openDatabase(databaseOptionsFrom(config, io.cwd), log);
      try {
        const report = await migrate(db, log);
        for (const name of report.applied) io.out(`applied ${name}`);
        io.out(`${report.applied.length} migration(s) applied, ${report.skipped} already up to date`);
      } finally {
        await db.close();
      }
    });
}
