/**
 * The hub calling back an OMS that asked it to ping meters (multispeak.md §10, step 3): when an
 * `outage.detected` or `outage.restored` answers the `outage_detection.requested` the OD_Server
 * published for a partner's Initiate (its correlationid is that request event's id, set by the
 * OA_Server or NOT_Server from the head-end's transactionID), the partner's responseURL gets the
 * notification of its version with its own transactionID, for the meters of its request the
 * report names, and those meters are completed in its request: 3.0 InitiateOutageDetectionEventRequest
 * → ODEventNotification, one outageDetectionEvent per meter (Outage or Restoration, eventTime,
 * outageLocation/meterNo); 5.0 InitiateOutageDetectionEventRequests → EndDeviceStatesNotification
 * on its NOT_Server (§7), one endDeviceState per meter (Outaged or InService, since when). A meter
 * the head-end reports as not answering the ping (3.0 outageEventType NoResponse, 5.0 deviceState
 * NoResponse: an `end_device_event.raised` correlated with the ping) is passed on as NoResponse
 * and recorded as failed, so the partner is not left waiting for it. A meter already answered (a
 * redelivery, or a second report for it) is not sent again. A partner that cannot be reached is
 * retried by the bus, then dead-lettered with the reason.
 */
import { EventType, validateEvent, type EndDeviceEvent, type Reference } from '../../canonical/index.js';
import { MultiSpeakNameType, nameOfType } from '../../adapters/multispeak/mapping-names.js';
import { z } from 'zod';
import type { ObjectError, PeerConfig } from '../../adapters/multispeak/client/index.js';
import { outageDetectionEventsOf, writeOutageDetectionEvent } from '../../adapters/multispeak/v3/index.js';
import { endDeviceStatesOf, writeEndDeviceState } from '../../adapters/multispeak/v5/index.js';
import { escapeText } from '../../adapters/multispeak/xml/index.js';
import type { Bus, Subscription } from '../bus/bus.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../log.js';
import { notifyPartnerV3, type NotifyTarget } from './notify.js';
import { notifyPartnerV5 } from './notify-v5.js';
import { meterNumbersOf, type OutageReportEvent } from './outage-state.js';
import { completeTransaction, findTransaction, type MultiSpeakTransaction } from './transactions.js';

export const MULTISPEAK_OUTAGE_CALLBACK_GROUP = 'multispeak-outage-callbacks';

/** The inbound operations (3.0, 5.0) whose requests this relay answers. */
export const OUTAGE_DETECTION_REQUESTS = ['InitiateOutageDetectionEventRequest', 'InitiateOutageDetectionEventRequests'] as const;

export interface OutageCallbackDeps {
  readonly bus: Pick<Bus, 'subscribe'>;
  readonly db: Database;
  readonly log: Logger;
  readonly peers: ReadonlyMap<string, PeerConfig>;
  readonly identity: { readonly company: string; readonly appName: string };
}

/** The partner's InitiateOutageDetectionEventRequest that published request event `requestId`. */
async function requestOf(db: Database, requestId: string): Promise<MultiSpeakTransaction | undefined> {
  const found = await db.query<{ partner: string; transaction_id: string }>(
    `SELECT partner, transaction_id FROM hub.multispeak_transaction
      WHERE direction = 'inbound' AND operation IN ($2, $3) AND context->>'requestId' = $1
      LIMIT 1`,
    [requestId, ...OUTAGE_DETECTION_REQUESTS],
  );
  const row = found.rows[0];
  if (row === undefined) return undefined;
  return findTransaction(db, { partner: row.partner, direction: 'inbound', transactionId: row.transaction_id });
}

/** A meter that did not answer the ping, as the head-end reported it, and when. */
export interface NoResponse {
  readonly kind: 'noResponse';
  readonly meterNo: string;
  readonly at: string;
}

/** What answers a partner's ping for some of its meters: an outage report or a meter's silence. */
export type PingAnswer = OutageReportEvent | NoResponse;

/** The NoResponse a device event stands for (3.0 outageEventType, 5.0 deviceState), if it names a meter by number. */
export function noResponseOf(event: EndDeviceEvent): NoResponse | undefined {
  const silent = event.details.some((detail) => (detail.name === 'outageEventType' || detail.name === 'deviceState') && detail.value === 'NoResponse');
  const meterNo = event.meter === undefined ? undefined : nameOfType(event.meter, MultiSpeakNameType.MeterNumber);
  return silent && meterNo !== undefined ? { kind: 'noResponse', meterNo, at: event.createdDateTime } : undefined;
}

function meterNumbersOfAnswer(answer: PingAnswer): string[] {
  return answer.kind === 'noResponse' ? [answer.meterNo] : meterNumbersOf(answer.outage);
}

/** `ODEvents` + `transactionID` of the notification: the answer's events for `meterNos` only. */
export function odEventNotificationContent(report: PingAnswer, eventId: string, meterNos: readonly string[], transactionId: string): string {
  if (report.kind === 'noResponse') {
    const silent = writeOutageDetectionEvent({
      objectID: `${eventId}/${report.meterNo}`,
      extensions: [],
      eventTime: report.at,
      outageEventType: 'NoResponse',
      outageDetectDeviceType: 'Meter',
      outageLocation: { meterNo: report.meterNo },
    });
    return `<ODEvents>${meterNos.includes(report.meterNo) ? silent : ''}</ODEvents><transactionID>${escapeText(transactionId)}</transactionID>`;
  }
  const named = (meters: readonly Reference[]): Reference[] =>
    meters.filter((meter) => {
      const meterNo = nameOfType(meter, MultiSpeakNameType.MeterNumber);
      return meterNo !== undefined && meterNos.includes(meterNo);
    });
  const events =
    report.kind === 'detected'
      ? outageDetectionEventsOf({ kind: 'outageDetected', outage: { ...report.outage, meters: named(report.outage.meters), usagePoints: [] } })
      : outageDetectionEventsOf({ kind: 'outageRestored', outage: { ...report.outage, meters: named(report.outage.meters), usagePoints: [] } });
  // The objectID names the hub's report and the meter, so the partner can tell repeats apart.
  const items = events.map((item) => writeOutageDetectionEvent({ ...item, objectID: `${eventId}/${item.outageLocation?.meterNo ?? ''}` })).join('');
  return `<ODEvents>${items}</ODEvents><transactionID>${escapeText(transactionId)}</transactionID>`;
}

/** What the 5.0 OD_Server stored with the request (od-v5.ts): the GUIDs the partner named meters by. */
const ContextV5Schema = z.object({ meterGuids: z.record(z.string(), z.string()).optional() });

/** `ArrayOfEndDeviceState` + `transactionID` of the 5.0 notification, for `meterNos` only. */
export function endDeviceStatesContent(report: PingAnswer, eventId: string, meterNos: readonly string[], transaction: MultiSpeakTransaction): string {
  const context = ContextV5Schema.safeParse(transaction.context);
  const guids = context.success ? (context.data.meterGuids ?? {}) : {};
  if (report.kind === 'noResponse') {
    const guid = guids[report.meterNo];
    const silent = meterNos.includes(report.meterNo)
      ? writeEndDeviceState({
          referableID: `${eventId}/${report.meterNo}`,
          timeStamp: report.at,
          errors: [],
          deviceReference: { noun: 'meter', primaryIdentifierValue: report.meterNo, ...(guid === undefined ? {} : { guid }) },
          deviceState: { value: 'NoResponse' },
        })
      : '';
    return `<ArrayOfEndDeviceState>${silent}</ArrayOfEndDeviceState><transactionID>${escapeText(transaction.transactionId)}</transactionID>`;
  }
  const states = endDeviceStatesOf(report.kind === 'detected' ? { kind: 'outageDetected', outage: report.outage } : { kind: 'outageRestored', outage: report.outage }, {
    meterNos,
    guidOf: (meterNo) => guids[meterNo],
    referableIdOf: (meterNo) => `${eventId}/${meterNo}`,
  });
  return `<ArrayOfEndDeviceState>${states.map((state) => writeEndDeviceState(state)).join('')}</ArrayOfEndDeviceState><transactionID>${escapeText(transaction.transactionId)}</transactionID>`;
}

function notifyPartner(target: NotifyTarget, report: PingAnswer, eventId: string, meterNos: readonly string[], transaction: MultiSpeakTransaction, log: Logger): Promise<ObjectError[]> {
  if (transaction.version === '5.0') return notifyPartnerV5(target, 'EndDeviceStatesNotification', endDeviceStatesContent(report, eventId, meterNos, transaction), { log });
  return notifyPartnerV3(target, 'ODEventNotification', odEventNotificationContent(report, eventId, meterNos, transaction.transactionId), log);
}

export async function subscribeOutageCallbacks(deps: OutageCallbackDeps): Promise<Subscription> {
  const log = deps.log.child({ component: 'multispeak-outage-callbacks' });
  return deps.bus.subscribe(MULTISPEAK_OUTAGE_CALLBACK_GROUP, [EventType.OutageDetected, EventType.OutageRestored, EventType.EndDeviceEventRaised], async (raw) => {
    if (raw.correlationid === undefined) return; // an unsolicited report: no partner's request to answer
    const event = validateEvent(raw);
    let report: PingAnswer;
    if (event.type === EventType.OutageDetected) report = { kind: 'detected', outage: event.data };
    else if (event.type === EventType.OutageRestored) report = { kind: 'restored', outage: event.data };
    else if (event.type === EventType.EndDeviceEventRaised) {
      const silent = noResponseOf(event.data);
      if (silent === undefined) return; // another device event: not an answer to a ping
      report = silent;
    } else return;
    if (event.correlationid === undefined) return;
    const transaction = await requestOf(deps.db, event.correlationid);
    if (transaction === undefined) return; // a ping no partner of the hub asked for
    // Meters of the partner's request this report names, not yet answered (a redelivery sends nothing).
    const meterNos = meterNumbersOfAnswer(report).filter((meterNo) => transaction.objectIds.includes(meterNo) && transaction.outcome.objects[meterNo] === undefined);
    if (meterNos.length === 0) return;
    if (transaction.responseUrl === undefined) throw new Error(`inbound transaction ${transaction.transactionId} of ${transaction.partner} has no responseURL`);
    const peer = deps.peers.get(transaction.partner);
    const target = { partner: transaction.partner, url: transaction.responseUrl, identity: deps.identity, ...(peer === undefined ? {} : { peer }) };
    const errors = await notifyPartner(target, report, event.id, meterNos, transaction, log);
    if (errors.length > 0) log.warn({ partner: transaction.partner, transactionId: transaction.transactionId, errors: errors.map((error) => error.message) }, 'partner reported errors on the outage detection result');
    await completeTransaction(deps.db, {
      partner: transaction.partner,
      direction: 'inbound',
      transactionId: transaction.transactionId,
      at: new Date(),
      objectResults: meterNos.map((meterNo) =>
        report.kind === 'noResponse'
          ? { objectId: meterNo, status: 'failed' as const, detail: 'NoResponse: the meter did not answer the ping' }
          : { objectId: meterNo, status: 'succeeded' as const, detail: report.kind === 'detected' ? 'Outage' : 'Restoration' },
      ),
    });
    log.info({ partner: transaction.partner, transactionId: transaction.transactionId, meters: meterNos, kind: report.kind }, 'outage detection result sent to the partner');
  });
}
