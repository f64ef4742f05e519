/**
 * The hub's MultiSpeak endpoints, assembled: which operations each version and endpoint serves,
 * on which URL paths, with which partners' credentials. Built once at start-up (a partner's
 * missing password stops it there, naming the key); the HTTP routes only move bytes to it.
 */
import type { CloudEvent } from '../../canonical/index.js';
import { createDispatcher, type Dispatcher } from '../../adapters/multispeak/server/dispatch.js';
import { defineEndpoint } from '../../adapters/multispeak/server/endpoint.js';
import { readingOperationsV3 } from '../../adapters/multispeak/server/mr-v3.js';
import { readingOperationsV5 } from '../../adapters/multispeak/server/mr-v5.js';
import { notificationOperationsV3 } from '../../adapters/multispeak/server/notifications-v3.js';
import { callbackOperationsV3 } from '../../adapters/multispeak/server/callbacks-v3.js';
import { meterEventOperationsV3, outageOperationsV3 } from '../../adapters/multispeak/server/device-events-v3.js';
import { initiateReadOperationsV3 } from '../../adapters/multispeak/server/mr-initiate-v3.js';
import type { PeerConfig } from '../../adapters/multispeak/client/index.js';
import { createCallbackQueue, type CallbackQueue } from './read-callbacks.js';
import type { EndpointDefinition, EndpointName, ServedVersion } from '../../adapters/multispeak/server/types.js';
import type { MultiSpeakConfig } from '../../adapters/multispeak/spec.js';
import type { Bus } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { resolvePartnerCredentials } from './credentials.js';
import { storeReadingSource, storeSwitchStates } from './reading-source.js';
import { storeInboundRequests, storeOutboundRequests } from './correlation.js';
import { connectDisconnectOperationsV3 } from '../../adapters/multispeak/server/cd-v3.js';
import { cdStateOperationsV3 } from '../../adapters/multispeak/server/cd-state-v3.js';
import { connectDisconnectOperationsV5 } from '../../adapters/multispeak/server/cd-v5.js';
import { notificationOperationsV5 } from '../../adapters/multispeak/server/not-v5.js';
import { initiateReadOperationsV5 } from '../../adapters/multispeak/server/mr-initiate-v5.js';
import { cdStateOperationsV5 } from '../../adapters/multispeak/server/cd-state-v5.js';
import { outageDetectionOperationsV3 } from '../../adapters/multispeak/server/od-v3.js';
import { outageDetectionOperationsV5 } from '../../adapters/multispeak/server/od-v5.js';
import { outagedMeterNumbers } from './outage-state.js';

export interface MultiSpeakServer {
  readonly config: MultiSpeakConfig;
  readonly dispatcher: Dispatcher;
  /** URL path → endpoint: `<basePath>/v3/MR_Server` … and the configured further paths. */
  readonly routes: ReadonlyMap<string, EndpointDefinition>;
  /** The callbacks owed to partners after an Initiate the hub answered; drained at shutdown so none is cut off mid-send. */
  readonly callbacks: Pick<CallbackQueue, 'drain'>;
}

export interface MultiSpeakServerDeps {
  readonly config: MultiSpeakConfig;
  readonly db: Database;
  readonly bus: Pick<Bus, 'publishBatch' | 'whenWritable'>;
  readonly log: Logger;
  /** Partners the hub calls (their outbound settings), for callbacks to them. */
  readonly peers?: ReadonlyMap<string, PeerConfig>;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

const VERSION_SEGMENT: Readonly<Record<ServedVersion, string>> = { '3.0': 'v3', '5.0': 'v5' };

export function createMultiSpeakServer(deps: MultiSpeakServerDeps): MultiSpeakServer {
  const { config } = deps;
  const partners = resolvePartnerCredentials(config, deps.env, deps.cwd);
  const timeZones = new Map(Object.entries(config.partners).map(([name, partner]) => [name, partner.timeZone]));
  const readingOptions = {
    readings: storeReadingSource(deps.db),
    limits: { pageSize: config.pageSize, maxPeriodDays: config.maxPeriodDays, maxMetersPerRequest: config.maxMetersPerRequest },
    timeZoneOf: (partner: string) => timeZones.get(partner),
  };
  const notificationOptions = {
    publish: async (events: readonly CloudEvent[]) => {
      if (events.length === 0) return;
      await deps.bus.whenWritable();
      await deps.bus.publishBatch(events);
    },
    sourceOf: (partner: string) => `/adapters/multispeak/${partner}`,
    timeZoneOf: (partner: string) => timeZones.get(partner),
  };
  const log = deps.log.child({ component: 'multispeak' });
  const adapterLog = {
    debug: (fields: Record<string, unknown>, message: string) => log.debug(fields, message),
    info: (fields: Record<string, unknown>, message: string) => log.info(fields, message),
    warn: (fields: Record<string, unknown>, message: string) => log.warn(fields, message),
    error: (fields: Record<string, unknown>, message: string) => log.error(fields, message),
  };
  const callbackPolicy = { allowedPrefixes: (partner: string) => config.partners[partner]?.responseUrls ?? [] };
  const callbackOptions = { ...notificationOptions, requests: storeOutboundRequests(deps.db), log: adapterLog };
  const readCallbacks = createCallbackQueue({ db: deps.db, log: deps.log, peers: deps.peers ?? new Map(), identity: { company: config.company, appName: config.appName } });
  const switchStates = storeSwitchStates(deps.db);
  // The 5.0 Initiates the hub answers from its store: their notifications go through the same queue.
  const initiateFromStore = { limits: readingOptions.limits, inbound: storeInboundRequests(deps.db), callbacks: callbackPolicy, deferred: readCallbacks };
  const endpoints: EndpointDefinition[] = [
    defineEndpoint('3.0', 'MR_Server', {
      ...readingOperationsV3(readingOptions),
      ...initiateReadOperationsV3({ readings: readingOptions.readings, limits: readingOptions.limits, inbound: storeInboundRequests(deps.db), callbacks: callbackPolicy, deferred: readCallbacks }),
      ...notificationOperationsV3(notificationOptions),
    }),
    defineEndpoint('5.0', 'MR_Server', { ...readingOperationsV5(readingOptions), ...initiateReadOperationsV5({ ...initiateFromStore, readings: readingOptions.readings }) }),
    defineEndpoint('3.0', 'CD_Server', {
      ...connectDisconnectOperationsV3({ ...notificationOptions, inbound: storeInboundRequests(deps.db), callbacks: callbackPolicy, switchStates }),
      ...cdStateOperationsV3({ switchStates, limits: readingOptions.limits, inbound: storeInboundRequests(deps.db), callbacks: callbackPolicy, deferred: readCallbacks }),
    }),
    defineEndpoint('3.0', 'CB_Server', { ...callbackOperationsV3(callbackOptions), ...meterEventOperationsV3(callbackOptions) }),
    defineEndpoint('3.0', 'OA_Server', outageOperationsV3(callbackOptions)),
    defineEndpoint(
      '3.0',
      'OD_Server',
      outageDetectionOperationsV3({
        ...notificationOptions,
        readings: readingOptions.readings,
        outages: { outagedMeters: (after, limit) => outagedMeterNumbers(deps.db, after, limit) },
        limits: readingOptions.limits,
        inbound: storeInboundRequests(deps.db),
        callbacks: callbackPolicy,
      }),
    ),
    defineEndpoint('5.0', 'CD_Server', {
      ...connectDisconnectOperationsV5({ ...notificationOptions, inbound: storeInboundRequests(deps.db), callbacks: callbackPolicy }),
      ...cdStateOperationsV5({ ...initiateFromStore, switchStates }),
    }),
    defineEndpoint('5.0', 'NOT_Server', notificationOperationsV5(callbackOptions)),
    defineEndpoint(
      '5.0',
      'OD_Server',
      outageDetectionOperationsV5({ ...notificationOptions, readings: readingOptions.readings, limits: readingOptions.limits, inbound: storeInboundRequests(deps.db), callbacks: callbackPolicy }),
    ),
  ];
  const byKey = new Map(endpoints.map((endpoint) => [`${endpoint.version} ${endpoint.endpoint}`, endpoint]));
  const routes = new Map<string, EndpointDefinition>();
  for (const endpoint of endpoints) routes.set(`${config.basePath}/${VERSION_SEGMENT[endpoint.version]}/${endpoint.endpoint}`, endpoint);
  for (const [path, target] of Object.entries(config.paths)) {
    const endpoint = byKey.get(`${target.version} ${target.endpoint}`);
    if (endpoint !== undefined) routes.set(path, endpoint);
  }
  const dispatcher = createDispatcher({ identity: { company: config.company, appName: config.appName }, partners, log: adapterLog });
  return { config, dispatcher, routes, callbacks: readCallbacks };
}

/** The URL a partner of `version` calls the hub back at (its responseURL). */
export function callbackUrlOf(config: MultiSpeakConfig, version: ServedVersion): string | undefined {
  if (config.callbackUrl === undefined) return undefined;
  const endpoint: EndpointName = version === '3.0' ? 'CB_Server' : 'NOT_Server';
  return `${config.callbackUrl.replace(/\/+$/, '')}${config.basePath}/${VERSION_SEGMENT[version]}/${endpoint}`;
}

/**
 * The URL a head-end of `version` sends outage detection results to (multispeak.md §6, §7: 3.0
 * ODEventNotification goes to an OA_Server; in 5.0 every notification goes to the NOT_Server).
 */
export function outageCallbackUrlOf(config: MultiSpeakConfig, version: ServedVersion): string | undefined {
  if (config.callbackUrl === undefined) return undefined;
  const endpoint: EndpointName = version === '3.0' ? 'OA_Server' : 'NOT_Server';
  return `${config.callbackUrl.replace(/\/+$/, '')}${config.basePath}/${VERSION_SEGMENT[version]}/${endpoint}`;
}
