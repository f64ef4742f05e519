/**
 * The hub process: opens the database, runs migrations, creates the bus, starts the outbox relay
 * and the HTTP server, in that order (each needs the one before), and stops them in reverse:
 * HTTP intake first, then consumers drain, the outbox flushes, the bus and the database close.
 */
import { createBus as createBusDefault, type BusOptions } from '../bus/create.js';
import type { Bus, SubscribeOptions, Subscription } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import { migrate as migrateDefault } from '../db/migrate.js';
import { openDatabase as openDatabaseDefault } from '../db/open.js';
import { resolveTokens } from '../config/credentials.js';
import { redactConfig } from '../config/redact.js';
import type { Config } from '../config/schema.js';
import { buildHttpServer } from '../http/server.js';
import { callbackUrlOf, createMultiSpeakServer, outageCallbackUrlOf } from '../multispeak/server.js';
import { resolvePeers } from '../multispeak/credentials.js';
import { subscribeOutboundCommands } from '../multispeak/outbound.js';
import { subscribeInboundCallbacks } from '../multispeak/inbound-callbacks.js';
import { subscribeOutageCallbacks } from '../multispeak/outage-callbacks.js';
import { subscribeOutageState } from '../multispeak/outage-state.js';
import { startExpiryTimer, type ExpiryTimer } from '../multispeak/expiry-sweep.js';
import { createMultiSpeakClient, type PeerConfig } from '../../adapters/multispeak/client/index.js';
import { watchDropFolder, type DropFolderWatcher } from '../ingest/drop-folder.js';
import type { Logger } from '../log.js';
import { OutboxRelay } from '../outbox/relay.js';
import { ensureAdminToken } from './admin-token.js';
import { lockDataFolder } from './data-lock.js';
import { subscribeCoreConsumers } from './cores.js';
import { busOptionsFrom, coreSubscribeOptions, databaseOptionsFrom } from './options.js';
import { resolve } from 'node:path';
import { instrumentBus, instrumentRelayPublisher } from './instrumented-bus.js';
import { createMetrics, type HubMetrics } from './metrics.js';
import { startEstimationTimer, type EstimationTimer } from './estimation-timer.js';
import { runShutdown, type ShutdownReport, type ShutdownStep } from './shutdown.js';

/** Seams for tests; production uses the real transports. */
export interface HubDependencies {
  openDatabase(options: { url?: string; dataDir: string }, log: Logger): Promise<Database>;
  migrate(db: Database, log: Logger): Promise<{ applied: readonly string[] }>;
  createBus(options: BusOptions, log: Logger): Promise<Bus>;
}

export interface StartHubOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  version?: string;
  dependencies?: Partial<HubDependencies>;
}

export interface HubHandle {
  /** Where the HTTP server listens, e.g. `http://127.0.0.1:8080` (the real port when 0 was asked). */
  readonly url: string;
  /** The bus, counted in the hub's metrics; subscribe and publish through this one. */
  readonly bus: Bus;
  readonly db: Database;
  readonly relay: OutboxRelay;
  readonly metrics: HubMetrics;
  /** Retry and concurrency settings from the config, for components that subscribe. */
  readonly subscribeOptions: SubscribeOptions;
  /** One per source with a dropFolder, polling until stop. */
  readonly dropFolders: readonly DropFolderWatcher[];
  /** The estimation sweep on its timer; undefined when mdm.estimation.sweepMinutes is 0. */
  readonly estimation: EstimationTimer | undefined;
  /** Registers a subscription to be closed (drained) at shutdown, before the bus closes. */
  track(subscription: Subscription): void;
  /** Graceful stop, bounded by shutdown.timeoutMs; safe to call more than once. */
  stop(reason?: string): Promise<ShutdownReport>;
}

const DEFAULTS: HubDependencies = { openDatabase: openDatabaseDefault, migrate: migrateDefault, createBus: createBusDefault };

/** Closes what was opened when a later start-up step fails, then rethrows. */
async function undo(log: Logger, closers: ReadonlyArray<() => Promise<unknown>>): Promise<void> {
  for (const close of [...closers].reverse()) {
    try {
      await close();
    } catch (error) {
      log.warn({ err: error }, 'cleanup after a failed start did not complete');
    }
  }
}

export async function startHub(config: Config, log: Logger, options: StartHubOptions = {}): Promise<HubHandle> {
  const deps: HubDependencies = { ...DEFAULTS, ...options.dependencies };
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  log.info({ config: redactConfig(config) }, 'starting busbar hub');

  // Credentials first: a missing token variable should stop start-up before anything opens.
  const configured = resolveTokens(config, env, cwd);
  const peers = config.multispeak.enabled ? resolvePeers(config.multispeak, env, cwd) : new Map<string, PeerConfig>();
  const tokens = configured.length > 0 ? configured : [await ensureAdminToken(config.database.dataDir, log, cwd)];

  const closers: Array<() => Promise<unknown>> = [];
  try {
    // PGlite has no lock of its own: two processes in one data folder would corrupt it.
    const lock = await lockDataFolder(config.database.dataDir, cwd, 'busbar start', config.database.url === undefined);
    closers.push(() => lock.release());
    const db = await deps.openDatabase(databaseOptionsFrom(config, cwd), log);
    closers.push(() => db.close());
    const report = await deps.migrate(db, log);
    log.info({ applied: report.applied.length }, 'database migrated');

    const metrics = createMetrics();
    const rawBus = await deps.createBus(busOptionsFrom(config), log);
    closers.push(() => rawBus.close());
    const bus = instrumentBus(rawBus, metrics, config.bus.retry.maxRetries);

    const relay = new OutboxRelay(db, instrumentRelayPublisher(bus, metrics), log, { pollIntervalMs: config.outbox.pollMs });
    relay.start();
    closers.push(() => relay.stop());

    const subscriptions = new Set<Subscription>();
    const subscribeOptions = coreSubscribeOptions(config, db.kind);
    for (const subscription of await subscribeCoreConsumers({ bus, db, relay, log }, subscribeOptions)) subscriptions.add(subscription);
    closers.push(() => Promise.all([...subscriptions].map((subscription) => subscription.close())));

    const multispeak = config.multispeak.enabled ? createMultiSpeakServer({ config: config.multispeak, db, bus, log, peers, env, cwd }) : undefined;
    // The head-end that carries out canonical commands, and the sweep that expires its silence.
    const headEnd = config.multispeak.enabled && config.multispeak.headEnd !== undefined ? peers.get(config.multispeak.headEnd) : undefined;
    const responseUrl = headEnd === undefined ? undefined : callbackUrlOf(config.multispeak, headEnd.version);
    if (headEnd !== undefined && responseUrl !== undefined) {
      const client = createMultiSpeakClient(headEnd, { log });
      const expirySeconds = config.multispeak.partners[headEnd.name]?.outbound?.expirySeconds ?? 600;
      const outageResponseUrl = outageCallbackUrlOf(config.multispeak, headEnd.version);
      subscriptions.add(await subscribeOutboundCommands({ bus, db, log, client, partner: headEnd.name, responseUrl, expirySeconds, ...(outageResponseUrl === undefined ? {} : { outageResponseUrl }) }));
    }
    if (config.multispeak.enabled) {
      const identity = { company: config.multispeak.company, appName: config.multispeak.appName };
      subscriptions.add(await subscribeInboundCallbacks({ bus, db, log, peers, identity }));
      subscriptions.add(await subscribeOutageCallbacks({ bus, db, log, peers, identity }));
      // What GetOutagedODDevices answers: every outage report on the bus, whoever made it.
      subscriptions.add(await subscribeOutageState({ bus, db, log }));
    }
    const expiry: ExpiryTimer | undefined = config.multispeak.enabled ? startExpiryTimer({ db, log, relay }, config.multispeak.sweepSeconds * 1000) : undefined;
    closers.push(async () => expiry?.stop());
    const app = await buildHttpServer({ http: config.http, bus, db, log, tokens, metrics, version: options.version ?? '0.0.0', ...(multispeak === undefined ? {} : { multispeak }) });
    closers.push(() => app.close());
    const url = await app.listen({ host: config.http.host, port: config.http.port });
    log.info({ url, transport: bus.transport, database: db.kind }, 'busbar hub started');

    const dropFolders: DropFolderWatcher[] = [];
    for (const [name, source] of Object.entries(config.sources)) {
      if (source.dropFolder === undefined) continue;
      dropFolders.push(watchDropFolder({ config, bus, db, log, relay }, name, resolve(cwd, source.dropFolder), source.pollSeconds * 1000));
    }
    closers.push(() => Promise.all(dropFolders.map((watcher) => watcher.stop())));

    // The meter data core's estimation sweep: intervals too recent at import are estimated once due.
    const { sweepMinutes } = config.mdm.estimation;
    const estimation: EstimationTimer | undefined = sweepMinutes > 0 ? startEstimationTimer({ db, log, metrics }, { intervalMs: sweepMinutes * 60_000 }) : undefined;
    closers.push(async () => estimation?.stop());

    let stopping: Promise<ShutdownReport> | undefined;
    const steps: ShutdownStep[] = [
      { name: 'close HTTP server', run: () => app.close() },
      // The partners' Initiates were answered; their callbacks still need the database.
      { name: 'send pending MultiSpeak callbacks', run: async () => multispeak?.callbacks.drain() },
      // Before the consumers drain: an import stops publishing, then what it published is processed.
      { name: 'stop drop folders', run: () => Promise.all(dropFolders.map((watcher) => watcher.stop())) },
      { name: 'stop estimation sweep', run: async () => estimation?.stop() },
      { name: 'stop MultiSpeak expiry sweep', run: async () => expiry?.stop() },
      { name: 'drain bus subscriptions', run: () => Promise.all([...subscriptions].map((subscription) => subscription.close())) },
      { name: 'flush outbox relay', run: async () => log.info({ published: await relay.flush() }, 'outbox flushed') },
      { name: 'stop outbox relay', run: () => relay.stop() },
      { name: 'close bus', run: () => bus.close() },
      { name: 'close database', run: () => db.close() },
      { name: 'release data folder', run: () => lock.release() },
    ];

    return {
      url,
      bus,
      db,
      relay,
      metrics,
      subscribeOptions,
      dropFolders,
      estimation,
      track: (subscription) => void subscriptions.add(subscription),
      stop: (reason = 'stop requested') => {
        stopping ??= (async () => {
          log.info({ reason, timeoutMs: config.shutdown.timeoutMs }, 'stopping busbar hub');
          const result = await runShutdown(steps, config.shutdown.timeoutMs, log);
          log.info({ clean: result.clean, failed: result.failed }, 'busbar hub stopped');
          return result;
        })();
        return stopping;
      },
    };
  } catch (error) {
    await undo(log, closers);
    throw error;
  }
}
