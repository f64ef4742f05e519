/**
 * The hub pipeline `busbar import` runs in its own process. With the memory bus and PGlite the
 * bus and the database exist only inside one process, so the command is that process: it opens
 * the database, migrates, starts the bus, the outbox relay and the core consumers (no HTTP),
 * imports, waits until the consumers processed everything and the outbox is empty, and closes.
 * With RabbitMQ the running hub's consumers store the readings, so the command only publishes
 * (the bus resolves after publisher confirms) and records quarantine and imported files.
 */
import type { Bus, Subscription } from '../bus/bus.js';
import { createBus } from '../bus/create.js';
import { MemoryBus } from '../bus/memory.js';
import type { Config } from '../config/schema.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import type { IngestDependencies } from '../ingest/import-files.js';
import type { Logger } from '../log.js';
import { OutboxRelay } from '../outbox/relay.js';
import { subscribeCoreConsumers } from '../runtime/cores.js';
import { DataFolderLockedError, lockDataFolder, type DataLock } from '../runtime/data-lock.js';
import { busOptionsFrom, coreSubscribeOptions, databaseOptionsFrom } from '../runtime/options.js';

export interface ImportPipeline {
  readonly deps: IngestDependencies;
  readonly bus: Bus;
  readonly db: Database;
  /** Whether the core consumers run here (memory bus) or in the running hub (RabbitMQ). */
  readonly consumersInProcess: boolean;
  /** Memory bus: until the consumers are idle and the outbox is empty. RabbitMQ: until the outbox is published. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** Why the folder is busy and what to do instead: the hub imports from a drop folder. */
function explainLocked(error: DataFolderLockedError, config: Config, sourceName: string): Error {
  const folder = config.sources[sourceName]?.dropFolder;
  const instead = folder === undefined
    ? `stop the hub first, or give source ${sourceName} a dropFolder (sources.${sourceName}.dropFolder) and drop the files there for the running hub to import`
    : `stop the hub first, or copy the files into ${folder} (the drop folder of source ${sourceName}): the running hub imports them`;
  return new Error(`${error.message}: the hub's embedded PGlite database can be opened by one process only; ${instead}`, { cause: error });
}

export async function openImportPipeline(config: Config, sourceName: string, cwd: string, log: Logger): Promise<ImportPipeline> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async (): Promise<void> => {
    for (const closer of closers.reverse()) await closer();
  };
  let lock: DataLock;
  try {
    lock = await lockDataFolder(config.database.dataDir, cwd, 'busbar import', config.database.url === undefined);
  } catch (error) {
    throw error instanceof DataFolderLockedError ? explainLocked(error, config, sourceName) : error;
  }
  closers.push(() => lock.release());
  try {
    const db = await openDatabase(databaseOptionsFrom(config, cwd), log);
    closers.push(() => db.close());
    await migrate(db, log);
    const bus = await createBus(busOptionsFrom(config), log);
    closers.push(() => bus.close());
    const relay = new OutboxRelay(db, bus, log, { pollIntervalMs: config.outbox.pollMs });
    relay.start();
    closers.push(() => relay.stop());
    const memoryBus = bus instanceof MemoryBus ? bus : undefined;
    const subscriptions: Subscription[] = [];
    if (memoryBus !== undefined) {
      subscriptions.push(...(await subscribeCoreConsumers({ bus, db, relay, log }, coreSubscribeOptions(config, db.kind))));
      closers.push(() => Promise.all(subscriptions.map((subscription) => subscription.close())));
    }
    return {
      deps: { config, bus, db, log, relay },
      bus,
      db,
      consumersInProcess: memoryBus !== undefined,
      async settle() {
        // Consumers enqueue events (reading.quarantined …) in the outbox; once published they
        // may be consumed in turn, so alternate until both are empty.
        for (;;) {
          await memoryBus?.whenIdle();
          if ((await relay.flush()) === 0) break;
        }
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
