/**
 * The 3.0 callbacks a head-end sends to the hub's CB_Server after the hub's Initiate… calls
 * (multispeak.md §7, §10): CDStateChangedNotification (void: a Fault is its only error channel)
 * and CDStatesChangedNotification become `connect_disconnect.completed`, matched to the command
 * by transactionID; ReadingChangedNotification becomes `register_read.received` (and completes
 * an on-demand read). An unknown transactionID, or one naming a request the callback does not
 * answer (a reading naming a connect/disconnect), is answered with an errorObject (a Fault for
 * the void operation) and nothing is completed or, for state changes, published. Without a
 * transactionID a notification is unsolicited: readings are published as they are, a state
 * change as `connect_disconnect.state_reported`.
 */
import { EventType, newEvent, type CloudEvent } from '../../../canonical/index.js';
import { InputError, type AdapterLog } from '../../contract.js';
import { readCdStateChange, readMeterRead, registerReadsOfMeterRead, resultOfCdStateChange, switchStateReportOfCdStateChange } from '../v3/index.js';
import { childNamed, childrenNamed, childText, errorObjectsResultXml, type ErrorObjectV3, type XmlElement } from '../xml/index.js';
import type { CallbackResult, OutboundRequest, OutboundRequests } from './correlation.js';
import { OperationRefused, type OperationAnswer, type OperationHandler, type OperationRequest } from './types.js';

export interface CallbackOptions {
  readonly publish: (events: readonly CloudEvent[]) => Promise<void>;
  readonly sourceOf: (partner: string) => string;
  readonly requests: OutboundRequests;
  readonly log: AdapterLog;
  readonly timeZoneOf?: (partner: string) => string | undefined;
}

function errorOf(request: OperationRequest, objectID: string | undefined, message: string, nounType: string): ErrorObjectV3 {
  return { objectID, errorString: message, nounType, eventTime: request.receivedAt.toISOString() };
}

/**
 * The hub's request a callback answers. A transactionID naming none, or naming a request of
 * another kind (a reading callback naming a connect/disconnect), is `unknown`: its content
 * cannot complete that request, and `reason` says why.
 */
export async function requestOf(
  request: OperationRequest,
  options: Pick<CallbackOptions, 'requests' | 'log'>,
  answers: readonly string[],
): Promise<{ transactionId?: string; outbound?: OutboundRequest; unknown: boolean; reason?: string }> {
  const transactionId = childText(request.body, 'transactionID');
  if (transactionId === undefined) return { unknown: false };
  const outbound = await options.requests.find(request.partner.name, transactionId);
  if (outbound === undefined) {
    options.log.warn({ partner: request.partner.name, operation: request.operation, transactionId }, 'MultiSpeak callback names a transactionID the hub never sent');
    return { transactionId, unknown: true, reason: `transactionID ${JSON.stringify(transactionId)} is not a request the hub sent` };
  }
  if (!answers.includes(outbound.operation)) {
    options.log.warn({ partner: request.partner.name, operation: request.operation, transactionId, requested: outbound.operation }, 'MultiSpeak callback names a request of another kind');
    return { transactionId, unknown: true, reason: `transactionID ${JSON.stringify(transactionId)} names the hub's ${outbound.operation}, which ${request.operation} does not answer` };
  }
  return { transactionId, outbound, unknown: false };
}

/** The hub's Initiates each callback answers (multispeak.md §7). */
const CONNECT_DISCONNECT = ['InitiateConnectDisconnect'] as const;
const METER_READS = ['InitiateMeterReadByMeterNumber'] as const;

/**
 * State changes sent without a transactionID: the switch reporting on its own (a local operation,
 * a prepayment disconnect). Each becomes `connect_disconnect.state_reported`, so the connection
 * state follows it; an unreadable one is an errorObject (a Fault for the singular operation).
 */
async function unsolicitedStateChanges(request: OperationRequest, elements: readonly XmlElement[], singular: boolean, options: CallbackOptions): Promise<OperationAnswer> {
  const source = options.sourceOf(request.partner.name);
  const events: CloudEvent[] = [];
  const errors: ErrorObjectV3[] = [];
  elements.forEach((element, index) => {
    const path = singular ? request.operation : `${request.operation}/stateChanges/CDStateChange[${index + 1}]`;
    const meterNo = childText(element, 'meterNo') ?? childText(element, 'meterID');
    try {
      const { record } = readCdStateChange(element, path);
      const report = switchStateReportOfCdStateChange(record, { reportedAt: request.receivedAt.toISOString(), path });
      events.push(newEvent(EventType.SwitchStateReported, report, { source, time: request.receivedAt, ...(meterNo === undefined ? {} : { subject: meterNo }) }));
    } catch (error) {
      if (!(error instanceof InputError) || singular) throw error;
      errors.push(errorOf(request, meterNo, error.message, 'CDStateChange'));
    }
  });
  await options.publish(events);
  return { content: singular ? '' : errorObjectsResultXml(`${request.operation}Result`, errors) };
}

function stateChanges(options: CallbackOptions, singular: boolean): OperationHandler {
  return async (request): Promise<OperationAnswer> => {
    const { transactionId, outbound, unknown, reason } = await requestOf(request, options, CONNECT_DISCONNECT);
    const elements = singular ? [request.body] : childrenNamed(childNamed(request.body, 'stateChanges'), 'CDStateChange');
    const errors: ErrorObjectV3[] = [];
    if (unknown) {
      const message = reason ?? 'unknown transactionID';
      if (singular) throw new OperationRefused(message, '2');
      for (const element of elements) errors.push(errorOf(request, childText(element, 'meterNo') ?? childText(element, 'meterID'), message, 'CDStateChange'));
      return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
    }
    if (outbound === undefined) return unsolicitedStateChanges(request, elements, singular, options);
    const source = options.sourceOf(request.partner.name);
    const events: CloudEvent[] = [];
    const results: CallbackResult[] = [];
    elements.forEach((element, index) => {
      const path = singular ? request.operation : `${request.operation}/stateChanges/CDStateChange[${index + 1}]`;
      const meterNo = childText(element, 'meterNo') ?? childText(element, 'meterID');
      try {
        const { record } = readCdStateChange(element, path);
        const result = resultOfCdStateChange(record, { requestId: outbound.requestId, ...(outbound.action === undefined ? {} : { action: outbound.action }), completedAt: request.receivedAt.toISOString(), path });
        events.push(newEvent(EventType.ConnectDisconnectCompleted, result, { source, time: request.receivedAt, ...(meterNo === undefined ? {} : { subject: meterNo }), causationid: outbound.requestId, correlationid: outbound.requestId }));
        results.push({ objectId: meterNo ?? '', succeeded: result.outcome === 'succeeded', ...(result.failureReason === undefined ? {} : { message: result.failureReason }) });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        if (singular) throw error;
        errors.push(errorOf(request, meterNo, error.message, 'CDStateChange'));
      }
    });
    await options.publish(events);
    if (transactionId !== undefined) await options.requests.complete(request.partner.name, transactionId, results, request.receivedAt);
    return { content: singular ? '' : errorObjectsResultXml(`${request.operation}Result`, errors) };
  };
}

function readingChanged(options: CallbackOptions): OperationHandler {
  return async (request): Promise<OperationAnswer> => {
    const { transactionId, outbound, unknown, reason } = await requestOf(request, options, METER_READS);
    const source = options.sourceOf(request.partner.name);
    const timeZone = options.timeZoneOf?.(request.partner.name);
    const events: CloudEvent[] = [];
    const errors: ErrorObjectV3[] = [];
    const results: CallbackResult[] = [];
    childrenNamed(childNamed(request.body, 'changedMeterReads'), 'meterRead').forEach((element, index) => {
      const path = `${request.operation}/changedMeterReads/meterRead[${index + 1}]`;
      const meterNo = childText(element, 'meterNo');
      try {
        const { record } = readMeterRead(element, path, timeZone === undefined ? {} : { timeZone });
        const mapping = registerReadsOfMeterRead(record, { source, path, ...(outbound === undefined ? {} : { reason: 'inquiry' as const }) });
        for (const issue of mapping.issues) errors.push(errorOf(request, meterNo, issue.message, 'meterRead'));
        for (const read of mapping.reads) events.push(newEvent(EventType.RegisterReadReceived, read, { source, time: request.receivedAt, ...(meterNo === undefined ? {} : { subject: meterNo }), ...(outbound === undefined ? {} : { causationid: outbound.requestId, correlationid: outbound.requestId }) }));
        results.push({ objectId: meterNo ?? '', succeeded: mapping.reads.length > 0 });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(errorOf(request, meterNo, error.message, 'meterRead'));
        results.push({ objectId: meterNo ?? '', succeeded: false, message: error.message });
      }
    });
    await options.publish(events);
    if (unknown) errors.push(errorOf(request, transactionId, `${reason ?? 'unknown transactionID'}; the readings were taken as unsolicited`, 'transaction'));
    else if (transactionId !== undefined) await options.requests.complete(request.partner.name, transactionId, results, request.receivedAt);
    return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
  };
}

export function callbackOperationsV3(options: CallbackOptions): Record<string, OperationHandler> {
  return {
    ReadingChangedNotification: readingChanged(options),
    CDStateChangedNotification: stateChanges(options, true),
    CDStatesChangedNotification: stateChanges(options, false),
  };
}
