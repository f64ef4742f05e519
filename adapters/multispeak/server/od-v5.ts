/**
 * The 5.0 OD_Server the hub hosts for an OMS (multispeak.md §7, §9, §10):
 * `InitiateOutageDetectionEventRequests` with an `ArrayOfMeterID`, `requestDate`, `lastReceived`,
 * `responseURL`, `transactionID` and `expirationTime` (an absolute dateTime in 5.0, §10). Like
 * the 3.0 operation (od-v3.ts) it checks the responseURL against the partner's allowed callback
 * addresses (SSRF guard), records the request before anything is published, and publishes one
 * `outage_detection.requested` for the meters it knows, correlated by the partner's
 * transactionID. The answer is the empty response of the schema; a meter the hub does not know,
 * cannot read or that is named twice is an errorObject of the response header Result (§5). The
 * outage reports that answer it go to the partner's NOT_Server as EndDeviceStatesNotification
 * with its transactionID (hub/multispeak/outage-callbacks.ts).
 *
 * The head-end and the outage reports know a meter by its meter number, so a meter must be named
 * by `meterName` (or a meter number as the meterID text, §12.4); the GUID the partner gave is
 * kept and echoed in the notification. `lastReceived` pages a partner's reads of a long answer
 * (§11); an Initiate's answer is empty, so it is not used.
 */
import { EventType, newEvent } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import { MultiSpeakNameType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import { meterReferenceOf } from '../v5/index.js';
import { meterIdOf } from '../v5/read-identifiers.js';
import { childNamed, childrenNamed, type ResultErrorObject } from '../xml/index.js';
import { recordInitiate, initiateTerms } from './inbound.js';
import { meterNoReference } from './mr-v3.js';
import type { OutageDetectionServerOptions } from './od-v3.js';
import { batchResult, ObjectErrorCode, objectError } from './result-v5.js';
import { OperationRefused, type OperationAnswer, type OperationHandler } from './types.js';

export type OutageDetectionServerV5Options = Omit<OutageDetectionServerOptions, 'outages'>;

/** What the callback needs, stored with the request: the request event's id and the GUIDs the partner named meters by. */
export interface OutageDetectionContextV5 {
  readonly requestId: string;
  readonly meterGuids: Record<string, string>;
}

export function outageDetectionOperationsV5(options: OutageDetectionServerV5Options): Record<string, OperationHandler> {
  return {
    async InitiateOutageDetectionEventRequests(request): Promise<OperationAnswer> {
      const elements = childrenNamed(childNamed(request.body, 'ArrayOfMeterID'), 'meterID');
      if (elements.length === 0) throw new OperationRefused(`${request.operation}/ArrayOfMeterID names no meterID`, '1');
      const limit = options.limits.maxMetersPerRequest;
      if (elements.length > limit) throw new OperationRefused(`${request.operation}: ${elements.length} meters asked for; at most ${limit} per request`, '3');
      const terms = initiateTerms(request, options.callbacks);
      const errors: ResultErrorObject[] = [];
      const meterGuids: Record<string, string> = {};
      const meterNos: string[] = [];
      elements.forEach((element, index) => {
        const path = `${request.operation}/ArrayOfMeterID/meterID[${index + 1}]`;
        let name: string | undefined;
        try {
          const meterID = meterIdOf(element, new ReadScope(path));
          const reference = meterReferenceOf(meterID, path);
          name = reference.name;
          if (reference.nameType !== MultiSpeakNameType.MeterNumber || reference.name === undefined) {
            throw new InputError(`${path}: names the meter by GUID only; name it by meterName, the number the head-end knows it by`, { field: path });
          }
          if (meterNos.includes(reference.name)) {
            errors.push(objectError(ObjectErrorCode.RepeatedMeter, 'meterID', reference.name, `${path}: meter ${reference.name} is already in this request; it is asked for once`, request.receivedAt));
            return;
          }
          meterNos.push(reference.name);
          if (meterID.guid !== undefined && meterID.guid !== reference.name) meterGuids[reference.name] = meterID.guid;
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          errors.push(objectError(ObjectErrorCode.Unreadable, 'meterID', name, error.message, request.receivedAt));
        }
      });

      const latest = meterNos.length === 0 ? [] : await options.readings.latestReads(meterNos.map(meterNoReference));
      const known = meterNos.filter((meterNo, index) => {
        if (latest[index] !== undefined) return true;
        errors.push(objectError(ObjectErrorCode.UnknownMeter, 'meterID', meterNo, `meter ${JSON.stringify(meterNo)} is not known`, request.receivedAt));
        return false;
      });

      if (known.length > 0) {
        const event = newEvent(
          EventType.OutageDetectionRequested,
          { meters: known.map(meterNoReference), expiresAt: terms.deadline.toISOString() },
          { source: options.sourceOf(request.partner.name), time: request.receivedAt, correlationid: terms.transactionId },
        );
        const context: OutageDetectionContextV5 = { requestId: event.id, meterGuids: Object.fromEntries(Object.entries(meterGuids).filter(([meterNo]) => known.includes(meterNo))) };
        // Recorded before anything is published or answered: the head-end may answer fast.
        await recordInitiate(options.inbound, request, terms, known, { ...context });
        await options.publish([event]);
      }
      const result = batchResult(errors, known.length > 0, `${elements.length - known.length} of ${elements.length} meters could not be taken`);
      return { content: '', ...(result === undefined ? {} : { result }) };
    },
  };
}
