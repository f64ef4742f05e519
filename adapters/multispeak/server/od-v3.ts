/**
 * The 3.0 OD_Server the hub hosts for an OMS (multispeak.md §7, §10), outage detection carried
 * out by the hub's head-end:
 *
 * - `InitiateOutageDetectionEventRequest` (`meterNos/string`[*], `requestDate`, `responseURL`,
 *   `transactionID`, `expirationTime`): answered at once with one errorObject per meter the hub
 *   does not know (§5: the others are still processed). For the known meters the hub records the
 *   partner's request (before anything is published or answered: the result may come back fast)
 *   and publishes one `outage_detection.requested`, correlated by the partner's transactionID,
 *   expiring at the partner's deadline; the head-end's outage reports caused by it go back to the
 *   partner's responseURL as ODEventNotification (hub/multispeak/outage-callbacks.ts). The
 *   responseURL must be one the partner's configuration allows (SSRF guard), the transactionID
 *   must be new.
 * - `GetOutagedODDevices`: the meters out now as `outageDetectionDevice`s (type Meter, status
 *   OutofService), in meter-number order. The 3.0 operation has no `lastReceived`, so the whole
 *   list is streamed, read from the store a page at a time.
 */
import { EventType, newEvent, type CloudEvent } from '../../../canonical/index.js';
import { dateTimeOf, ReadScope } from '../mapping-primitives.js';
import { writeOutageDetectionDevice } from '../v3/index.js';
import { childText, errorObjectsResultXml } from '../xml/index.js';
import { recordInitiate, initiateTerms, type CallbackPolicy, type InboundRequests } from './inbound.js';
import { requestedMeterNos } from './mr-initiate-v3.js';
import { meterNoReference } from './mr-v3.js';
import type { MeterReadingSource, ServerLimits } from './ports.js';
import { OperationRefused, type OperationAnswer, type OperationHandler } from './types.js';

/** The meters out of service now, as the hub knows them from the outage reports on the bus. */
export interface OutageStates {
  /** Meter numbers of the meters out after `after` (all from the first), at most `limit`, in meter-number order. */
  outagedMeters(after: string | undefined, limit: number): Promise<readonly string[]>;
}

export interface OutageDetectionServerOptions {
  /** Which meters the hub knows (an unknown meter's latest reads are undefined). */
  readonly readings: Pick<MeterReadingSource, 'latestReads'>;
  readonly outages: OutageStates;
  readonly limits: Pick<ServerLimits, 'maxMetersPerRequest' | 'pageSize'>;
  readonly publish: (events: readonly CloudEvent[]) => Promise<void>;
  readonly sourceOf: (partner: string) => string;
  readonly inbound: InboundRequests;
  readonly callbacks: CallbackPolicy;
  readonly timeZoneOf?: (partner: string) => string | undefined;
}

/** The devices-out list, fetched from the store a page at a time while it is written. */
async function* outagedDeviceItems(outages: OutageStates, pageSize: number): AsyncGenerator<string> {
  let after: string | undefined;
  for (;;) {
    const meterNos = await outages.outagedMeters(after, pageSize);
    for (const meterNo of meterNos) {
      yield writeOutageDetectionDevice({ objectID: meterNo, extensions: [], outageDetectDeviceType: 'Meter', meterNo, outageDetectDeviceStatus: 'OutofService' });
    }
    if (meterNos.length < pageSize) return;
    after = meterNos[meterNos.length - 1];
  }
}

export function outageDetectionOperationsV3(options: OutageDetectionServerOptions): Record<string, OperationHandler> {
  return {
    async InitiateOutageDetectionEventRequest(request): Promise<OperationAnswer> {
      const terms = initiateTerms(request, options.callbacks);
      const requestDate = childText(request.body, 'requestDate');
      if (requestDate === undefined) throw new OperationRefused(`${request.operation}/requestDate is required`, '1');
      dateTimeOf(requestDate, new ReadScope(`${request.operation}/requestDate`, { timeZone: options.timeZoneOf?.(request.partner.name) }));
      const { meterNos, errors } = requestedMeterNos(request, options.limits.maxMetersPerRequest, 'asked for');
      const latest = await options.readings.latestReads(meterNos.map(meterNoReference));
      const eventTime = request.receivedAt.toISOString();
      const known: string[] = [];
      meterNos.forEach((meterNo, index) => {
        if (latest[index] === undefined) errors.push({ objectID: meterNo, errorString: `meter ${JSON.stringify(meterNo)} is not known`, nounType: 'meter', eventTime });
        else known.push(meterNo);
      });

      if (known.length > 0) {
        const event = newEvent(
          EventType.OutageDetectionRequested,
          { meters: known.map(meterNoReference), expiresAt: terms.deadline.toISOString() },
          { source: options.sourceOf(request.partner.name), time: request.receivedAt, correlationid: terms.transactionId },
        );
        // Recorded before anything is published or answered: the head-end may answer fast.
        await recordInitiate(options.inbound, request, terms, known, { requestId: event.id });
        await options.publish([event]);
      }
      return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
    },
    async GetOutagedODDevices(): Promise<OperationAnswer> {
      return { content: { open: '<GetOutagedODDevicesResult>', items: outagedDeviceItems(options.outages, options.limits.pageSize), close: '</GetOutagedODDevicesResult>' } };
    },
  };
}
