/**
 * The 5.0 CD_Server the hub hosts for a CIS (multispeak.md §7, §9, §10): InitiateConnectDisconnect
 * with an `ArrayOfConnectDisconnectEvent`, `responseURL`, `transactionID`, `expirationTime` (an
 * absolute dateTime in 5.0, §10) and `readingRequested`. Like the 3.0 operation (cd-v3.ts) it
 * checks the responseURL against the partner's allowed callback addresses (SSRF guard), records
 * the request before anything is published, and publishes one `connect_disconnect.requested`
 * per event. The answer is the empty `InitiateConnectDisconnectResponse` of the schema; an event
 * the hub cannot take is an errorObject of the response header Result (§5). When the command
 * completes, the partner's NOT_Server gets CDStatesChangedNotification with its transactionID
 * (hub/multispeak/inbound-callbacks.ts), naming the switch as the partner named it.
 */
import { EventType, newEvent, type CloudEvent, type Reference } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import { ReadScope, readBoolean } from '../mapping-primitives.js';
import { commandOfConnectDisconnectEvent, readConnectDisconnectEvent } from '../v5/index.js';
import { attribute, childNamed, childrenNamed, type ResultErrorObject } from '../xml/index.js';
import type { ConnectDisconnectServerOptions } from './cd-v3.js';
import { recordInitiate, initiateTerms } from './inbound.js';
import { batchResult, ObjectErrorCode, objectError } from './result-v5.js';
import { OperationRefused, type OperationAnswer, type OperationHandler } from './types.js';

export type ConnectDisconnectServerV5Options = Omit<ConnectDisconnectServerOptions, 'switchStates'>;

/**
 * What the callback needs, stored with the request by meter: the command event id (`requests`,
 * the key the hub finds the request by), the switch as the partner named it and the event's
 * referableID, echoed in the CDStateChange.
 */
export interface ConnectDisconnectContextV5 {
  readonly requests: Record<string, string>;
  readonly devices: Record<string, Reference>;
  readonly referableIds: Record<string, string>;
}

export function connectDisconnectOperationsV5(options: ConnectDisconnectServerV5Options): Record<string, OperationHandler> {
  return {
    async InitiateConnectDisconnect(request): Promise<OperationAnswer> {
      const elements = childrenNamed(childNamed(request.body, 'ArrayOfConnectDisconnectEvent'), 'connectDisconnectEvent');
      if (elements.length === 0) throw new OperationRefused(`${request.operation}/ArrayOfConnectDisconnectEvent holds no connectDisconnectEvent`, '1');
      const terms = initiateTerms(request, options.callbacks);
      const readingRequested = readBoolean(request.body, 'readingRequested', new ReadScope(request.operation));
      const source = options.sourceOf(request.partner.name);
      const timeZone = options.timeZoneOf?.(request.partner.name);
      const events: CloudEvent[] = [];
      const errors: ResultErrorObject[] = [];
      const context: ConnectDisconnectContextV5 = { requests: {}, devices: {}, referableIds: {} };
      elements.forEach((element, index) => {
        const path = `${request.operation}/ArrayOfConnectDisconnectEvent/connectDisconnectEvent[${index + 1}]`;
        const referableID = attribute(element, 'referableID');
        let meter: string | undefined;
        try {
          const { record } = readConnectDisconnectEvent(element, path, timeZone === undefined ? {} : { timeZone });
          const { command } = commandOfConnectDisconnectEvent(record, { expiresAt: terms.deadline.toISOString(), path, ...(readingRequested === undefined ? {} : { readingRequested }) });
          meter = command.meter.name ?? '';
          if (context.requests[meter] !== undefined) {
            errors.push(objectError(ObjectErrorCode.RepeatedMeter, 'connectDisconnectEvent', referableID ?? meter, `${path}: meter ${meter} is already in this request; one command per meter`, request.receivedAt));
            return;
          }
          const event = newEvent(EventType.ConnectDisconnectRequested, command, { source, time: request.receivedAt, subject: meter, correlationid: terms.transactionId });
          context.requests[meter] = event.id;
          context.devices[meter] = command.meter;
          if (referableID !== undefined) context.referableIds[meter] = referableID;
          events.push(event);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          errors.push(objectError(ObjectErrorCode.Unreadable, 'connectDisconnectEvent', referableID ?? meter, error.message, request.receivedAt));
        }
      });
      if (events.length > 0) {
        // Recorded before anything is published or answered: the completion may come back fast.
        await recordInitiate(options.inbound, request, terms, Object.keys(context.requests), { ...context });
        await options.publish(events);
      }
      const result = batchResult(errors, events.length > 0, `${errors.length} of ${elements.length} connect/disconnect events could not be taken`);
      return { content: '', ...(result === undefined ? {} : { result }) };
    },
  };
}
