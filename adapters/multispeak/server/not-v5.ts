/**
 * The 5.0 NOT_Server the hub hosts: where a 5.0 head-end sends every notification (multispeak.md
 * §6, §7, §10).
 *
 * - `CDStatesChangedNotification` (`ArrayOfCDStateChange`, `transactionID`) completes the hub's
 *   InitiateConnectDisconnect as `connect_disconnect.completed`, matched by transactionID; the
 *   reading a CDStateChange may carry (`readingRequested`) is published too. An unknown
 *   transactionID publishes nothing; without one the switch reports on its own, and each state
 *   change becomes `connect_disconnect.state_reported` at its timeStamp.
 * - `MeterReadingsNotification` (`ArrayOfMeterReading`, `transactionID`) becomes
 *   `register_read.received` and `interval_block.received`, and completes an on-demand read. An
 *   unknown transactionID is reported, but the readings are still published: they are
 *   measurements, unsolicited or not.
 * - `EndDeviceEventsNotification` becomes `end_device_event.raised`. The 5.0.7 MR_Server carries
 *   events as `ArrayOfEndDeviceEventList/endDeviceEventList/endDeviceEvents/endDeviceEvent`
 *   (with the list's `endDeviceEventTypeRef` items); a flat `ArrayOfEndDeviceEvent/endDeviceEvent`
 *   is read too. Event monitoring is configured out of band in 5.0 (§7), so a transactionID here
 *   names no request of the hub and is not checked.
 *
 * - `EndDeviceStatesNotification` (`ArrayOfEndDeviceState`, `transactionID`) answers the hub's
 *   InitiateOutageDetectionEventRequests (§7: "in practice NOT EndDeviceStatesNotification"): an
 *   `Outaged` meter becomes `outage.detected`, an `InService` one `outage.restored`, any other
 *   state a device event (v5/mapping-end-device-state.ts), each with correlationid and causationid
 *   the hub's request, which the notification completes. As on the 3.0 OA_Server, an unknown
 *   transactionID publishes nothing (the hub cannot tell whose ping the partner answers); an
 *   absent one is an unsolicited report and is published.
 * - `ODEventNotification`, which the 5.0 OD_Server's WSDL text names as the answer: the V5.0.7
 *   release defines no outage detection event object, so the hub reads the one outage state
 *   object it has, `ArrayOfEndDeviceState`, exactly as EndDeviceStatesNotification; a body
 *   without one is answered with an error naming what it expected.
 *
 * Errors use the 5.0 channel (§5): the response header Result with one errorObject per object
 * refused (result-v5.ts), never a 3.0 `<Op>Result`. Children are read by local name (§12.7).
 */
import { EventType, newEvent, type CloudEvent, type IntervalBlock, type RegisterRead } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import { mridOfDeviceEvent } from '../identity.js';
import {
  canonicalOfEndDeviceEvent,
  canonicalOfMeterReading,
  endDeviceEventTypeRefsOf,
  outageReportOfEndDeviceState,
  readCdStateChange,
  readEndDeviceEvent,
  readEndDeviceState,
  readMeterReading,
  resultOfCdStateChange,
  switchStateReportOfCdStateChange,
  type EndDeviceEventTypeRefs,
} from '../v5/index.js';
import { attribute, childNamed, childrenNamed, childText, type ResultErrorObject, type XmlElement } from '../xml/index.js';
import type { CallbackOptions } from './callbacks-v3.js';
import type { CallbackResult, OutboundRequest } from './correlation.js';
import { eventOfReport } from './device-events-v3.js';
import { batchResult, ObjectErrorCode, objectError } from './result-v5.js';
import type { OperationAnswer, OperationHandler, OperationRequest } from './types.js';

/** What a notification's transactionID names: nothing, a request of the hub, or an unknown one. */
type Correlation = { readonly kind: 'none' } | { readonly kind: 'known'; readonly transactionId: string; readonly outbound: OutboundRequest } | { readonly kind: 'unknown'; readonly transactionId: string };

async function correlationOf(request: OperationRequest, options: CallbackOptions): Promise<Correlation> {
  const transactionId = childText(request.body, 'transactionID');
  if (transactionId === undefined) return { kind: 'none' };
  const outbound = await options.requests.find(request.partner.name, transactionId);
  if (outbound !== undefined) return { kind: 'known', transactionId, outbound };
  options.log.warn({ partner: request.partner.name, operation: request.operation, transactionId }, 'MultiSpeak notification names a transactionID the hub never sent');
  return { kind: 'unknown', transactionId };
}

function answer(errors: readonly ResultErrorObject[], anyTaken: boolean, description: string): OperationAnswer {
  const result = batchResult(errors, anyTaken, description);
  return { content: '', ...(result === undefined ? {} : { result }) };
}

function itemsOf(body: XmlElement, array: string, item: string): XmlElement[] {
  return childrenNamed(childNamed(body, array), item);
}

/** The meter an object names, for errorObject referenceIDs: meterName, else the meterID text. */
function meterNameIn(element: XmlElement | undefined): string | undefined {
  const meterID = childNamed(element, 'meterID');
  return attribute(meterID, 'meterName') ?? (meterID?.text === '' ? undefined : meterID?.text);
}

function readingEvents(reads: readonly RegisterRead[], blocks: readonly IntervalBlock[], init: { source: string; time: Date; subject?: string; causationid?: string; correlationid?: string }): CloudEvent[] {
  return [...reads.map((read) => newEvent(EventType.RegisterReadReceived, read, init)), ...blocks.map((block) => newEvent(EventType.IntervalBlockReceived, block, init))];
}

function cdStatesChanged(options: CallbackOptions): OperationHandler {
  return async (request) => {
    const elements = itemsOf(request.body, 'ArrayOfCDStateChange', 'CDStateChange');
    const correlation = await correlationOf(request, options);
    const referenceOf = (element: XmlElement): string | undefined => attribute(element, 'referableID') ?? meterNameIn(childNamed(element, 'CDDeviceIdentifier'));
    if (correlation.kind === 'none') {
      // The switch reporting on its own (no command asked): its state, for whoever keeps connection states.
      const source = options.sourceOf(request.partner.name);
      const timeZone = options.timeZoneOf?.(request.partner.name);
      const events: CloudEvent[] = [];
      const errors: ResultErrorObject[] = [];
      elements.forEach((element, index) => {
        const path = `${request.operation}/ArrayOfCDStateChange/CDStateChange[${index + 1}]`;
        try {
          const { record } = readCdStateChange(element, path, timeZone === undefined ? {} : { timeZone });
          const report = switchStateReportOfCdStateChange(record, path);
          events.push(newEvent(EventType.SwitchStateReported, report, { source, time: request.receivedAt, subject: report.meter.name ?? '' }));
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          errors.push(objectError(ObjectErrorCode.Unreadable, 'CDStateChange', referenceOf(element), error.message, request.receivedAt));
        }
      });
      await options.publish(events);
      return answer(errors, events.length > 0, `${errors.length} errors in ${elements.length} state changes`);
    }
    if (correlation.kind === 'unknown') {
      const message = `transactionID ${JSON.stringify(correlation.transactionId)} is not a request the hub sent`;
      const errors = (elements.length === 0 ? [undefined] : elements).map((element) => objectError(ObjectErrorCode.UnknownTransaction, 'CDStateChange', element === undefined ? correlation.transactionId : referenceOf(element), message, request.receivedAt));
      return answer(errors, false, message);
    }
    const { outbound, transactionId } = correlation;
    const source = options.sourceOf(request.partner.name);
    const timeZone = options.timeZoneOf?.(request.partner.name);
    const events: CloudEvent[] = [];
    const errors: ResultErrorObject[] = [];
    const results: CallbackResult[] = [];
    elements.forEach((element, index) => {
      const path = `${request.operation}/ArrayOfCDStateChange/CDStateChange[${index + 1}]`;
      try {
        const { record } = readCdStateChange(element, path, timeZone === undefined ? {} : { timeZone });
        const mapping = resultOfCdStateChange(record, { requestId: outbound.requestId, ...(outbound.action === undefined ? {} : { action: outbound.action }), source, path });
        const meter = mapping.result.meter.name ?? '';
        const init = { source, time: request.receivedAt, subject: meter, causationid: outbound.requestId, correlationid: outbound.requestId };
        events.push(newEvent(EventType.ConnectDisconnectCompleted, mapping.result, init), ...readingEvents(mapping.reads, mapping.blocks, init));
        for (const issue of mapping.issues) errors.push(objectError(ObjectErrorCode.Unreadable, 'meterReading', meter, issue.message, request.receivedAt));
        results.push({ objectId: meter, succeeded: mapping.result.outcome === 'succeeded', ...(mapping.result.failureReason === undefined ? {} : { message: mapping.result.failureReason }) });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(objectError(ObjectErrorCode.Unreadable, 'CDStateChange', referenceOf(element), error.message, request.receivedAt));
      }
    });
    await options.publish(events);
    await options.requests.complete(request.partner.name, transactionId, results, request.receivedAt);
    return answer(errors, results.length > 0, `${errors.length} errors in ${elements.length} state changes`);
  };
}

function meterReadings(options: CallbackOptions): OperationHandler {
  return async (request) => {
    const elements = itemsOf(request.body, 'ArrayOfMeterReading', 'meterReading');
    const correlation = await correlationOf(request, options);
    const outbound = correlation.kind === 'known' ? correlation.outbound : undefined;
    const source = options.sourceOf(request.partner.name);
    const timeZone = options.timeZoneOf?.(request.partner.name);
    const events: CloudEvent[] = [];
    const errors: ResultErrorObject[] = [];
    const results: CallbackResult[] = [];
    elements.forEach((element, index) => {
      const path = `${request.operation}/ArrayOfMeterReading/meterReading[${index + 1}]`;
      const meter = meterNameIn(element);
      try {
        const { record } = readMeterReading(element, path, timeZone === undefined ? {} : { timeZone });
        const mapping = canonicalOfMeterReading(record, { source, path, ...(outbound === undefined ? {} : { reason: 'inquiry' as const }) });
        for (const issue of mapping.issues) errors.push(objectError(ObjectErrorCode.Unreadable, 'meterReading', meter, issue.message, request.receivedAt));
        events.push(
          ...readingEvents(mapping.reads, mapping.blocks, {
            source,
            time: request.receivedAt,
            ...(meter === undefined ? {} : { subject: meter }),
            ...(outbound === undefined ? {} : { causationid: outbound.requestId, correlationid: outbound.requestId }),
          }),
        );
        results.push({ objectId: meter ?? '', succeeded: mapping.reads.length + mapping.blocks.length > 0 });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(objectError(ObjectErrorCode.Unreadable, 'meterReading', meter, error.message, request.receivedAt));
        results.push({ objectId: meter ?? '', succeeded: false, message: error.message });
      }
    });
    await options.publish(events);
    if (correlation.kind === 'unknown') {
      const message = `transactionID ${JSON.stringify(correlation.transactionId)} is not a request the hub sent; the readings were taken as unsolicited`;
      errors.push(objectError(ObjectErrorCode.UnknownTransaction, 'transactionID', correlation.transactionId, message, request.receivedAt));
    } else if (correlation.kind === 'known') {
      await options.requests.complete(request.partner.name, correlation.transactionId, results, request.receivedAt);
    }
    return answer(errors, events.length > 0, `${errors.length} errors in ${elements.length} meter readings`);
  };
}

/** The events of the notification, each with the type references of its list. */
function endDeviceEventsOf(body: XmlElement, operation: string): { element: XmlElement; path: string; refs: EndDeviceEventTypeRefs | InputError }[] {
  const lists = itemsOf(body, 'ArrayOfEndDeviceEventList', 'endDeviceEventList').flatMap((list, listIndex) => {
    const listPath = `${operation}/ArrayOfEndDeviceEventList/endDeviceEventList[${listIndex + 1}]`;
    let refs: EndDeviceEventTypeRefs | InputError;
    try {
      refs = endDeviceEventTypeRefsOf(list, listPath);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      refs = error;
    }
    return itemsOf(list, 'endDeviceEvents', 'endDeviceEvent').map((element, index) => ({ element, path: `${listPath}/endDeviceEvents/endDeviceEvent[${index + 1}]`, refs }));
  });
  const flat = itemsOf(body, 'ArrayOfEndDeviceEvent', 'endDeviceEvent').map((element, index) => ({ element, path: `${operation}/ArrayOfEndDeviceEvent/endDeviceEvent[${index + 1}]`, refs: new Map() }));
  return [...lists, ...flat];
}

function endDeviceEvents(options: CallbackOptions): OperationHandler {
  return async (request) => {
    const partner = request.partner.name;
    const source = options.sourceOf(partner);
    const timeZone = options.timeZoneOf?.(partner);
    const items = endDeviceEventsOf(request.body, request.operation);
    const events: CloudEvent[] = [];
    const errors: ResultErrorObject[] = [];
    for (const { element, path, refs } of items) {
      const referenceID = attribute(element, 'referableID') ?? attribute(childNamed(element, 'deviceReference'), 'primaryIdentifierValue');
      try {
        if (refs instanceof InputError) throw refs;
        const { record } = readEndDeviceEvent(element, path, timeZone === undefined ? {} : { timeZone }, refs);
        const mapping = canonicalOfEndDeviceEvent(record, { issuerID: partner, source, path });
        const { event } = mapping;
        const meter = event.meter?.name ?? '';
        const identity = record.referableID ?? `${meter}/${event.eventType}/${event.createdDateTime}`;
        const mRID = mridOfDeviceEvent(partner, identity);
        const init = { source, time: request.receivedAt, subject: meter };
        events.push(newEvent(EventType.EndDeviceEventRaised, { ...event, mRID }, init), ...readingEvents(mapping.reads, mapping.blocks, init));
        for (const issue of mapping.issues) errors.push(objectError(ObjectErrorCode.Unreadable, 'endDeviceEvent', referenceID, issue.message, request.receivedAt));
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(objectError(ObjectErrorCode.Unreadable, 'endDeviceEvent', referenceID, error.message, request.receivedAt));
      }
    }
    await options.publish(events);
    return answer(errors, events.length > 0, `${errors.length} errors in ${items.length} end device events`);
  };
}

/** The meter an endDeviceState names, for errorObject referenceIDs and request results. */
function deviceNameIn(element: XmlElement): string | undefined {
  const reference = childNamed(element, 'deviceReference');
  return attribute(reference, 'primaryIdentifierValue') ?? (reference?.text === '' ? undefined : reference?.text);
}

function endDeviceStates(options: CallbackOptions): OperationHandler {
  return async (request) => {
    const partner = request.partner.name;
    const array = childNamed(request.body, 'ArrayOfEndDeviceState');
    if (array === undefined) {
      const message = `${request.operation} carries no ArrayOfEndDeviceState: the hub reads outage states as 5.0 endDeviceStates`;
      return answer([objectError(ObjectErrorCode.Unreadable, 'ArrayOfEndDeviceState', undefined, message, request.receivedAt)], false, message);
    }
    const elements = childrenNamed(array, 'endDeviceState');
    const correlation = await correlationOf(request, options);
    if (correlation.kind === 'unknown') {
      const message = `transactionID ${JSON.stringify(correlation.transactionId)} is not a request the hub sent; the end device states were not taken`;
      return answer([objectError(ObjectErrorCode.UnknownTransaction, 'transactionID', correlation.transactionId, message, request.receivedAt)], false, message);
    }
    const outbound = correlation.kind === 'known' ? correlation.outbound : undefined;
    const source = options.sourceOf(partner);
    const timeZone = options.timeZoneOf?.(partner);
    const events: CloudEvent[] = [];
    const errors: ResultErrorObject[] = [];
    const results: CallbackResult[] = [];
    elements.forEach((element, index) => {
      const path = `${request.operation}/ArrayOfEndDeviceState/endDeviceState[${index + 1}]`;
      const device = deviceNameIn(element);
      try {
        const { record } = readEndDeviceState(element, path, timeZone === undefined ? {} : { timeZone });
        const report = outageReportOfEndDeviceState(record, { path, issuerID: partner });
        const meter = report.kind === 'endDeviceEvent' ? report.event.meter?.name : report.outage.meters[0]?.name;
        events.push(
          eventOfReport(report, partner, {
            source,
            time: request.receivedAt,
            ...(meter === undefined ? {} : { subject: meter }),
            ...(outbound === undefined ? {} : { causationid: outbound.requestId, correlationid: outbound.requestId }),
          }),
        );
        // The hub pinged by meter number: the state naming a meter answers it.
        results.push({ objectId: meter ?? '', succeeded: true });
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        errors.push(objectError(ObjectErrorCode.Unreadable, 'endDeviceState', attribute(element, 'referableID') ?? device, error.message, request.receivedAt));
        if (device !== undefined) results.push({ objectId: device, succeeded: false, message: error.message });
      }
    });
    await options.publish(events);
    if (correlation.kind === 'known') await options.requests.complete(partner, correlation.transactionId, results, request.receivedAt);
    return answer(errors, events.length > 0, `${errors.length} errors in ${elements.length} end device states`);
  };
}

export function notificationOperationsV5(options: CallbackOptions): Record<string, OperationHandler> {
  return {
    CDStatesChangedNotification: cdStatesChanged(options),
    MeterReadingsNotification: meterReadings(options),
    EndDeviceEventsNotification: endDeviceEvents(options),
    EndDeviceStatesNotification: endDeviceStates(options),
    ODEventNotification: endDeviceStates(options),
  };
}
