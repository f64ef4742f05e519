/**
 * The 3.0 CD_Server the hub hosts for a CIS (multispeak.md §7, §8, §10). GetCDMeterState answers
 * the connection state the meter data core keeps for the meter's usage point (Closed, Open, or
 * Unknown when the meter serves none; a Fault for an unknown meter). InitiateConnectDisconnect
 * records the partner's request, publishes one `connect_disconnect.requested` per
 * connectDisconnectEvent and answers at once with an errorObject for each event it could not take;
 * the result goes to the partner's responseURL as CDStateChangedNotification when the command
 * completes (hub/multispeak/inbound-callbacks.ts). The responseURL must be one the partner's
 * configuration allows (SSRF guard), the transactionID must be new. InitiateCDStateRequest and
 * GetCDSupportedMeters, answered from the same switch states, are in cd-state-v3.ts.
 */
import { EventType, newEvent, type CloudEvent, type Meter, type Reference } from '../../../canonical/index.js';
import { InputError } from '../../contract.js';
import { commandOfConnectDisconnectEvent, readConnectDisconnectEvent } from '../v3/index.js';
import { attribute, childNamed, childrenNamed, childText, errorObjectsResultXml, type ErrorObjectV3 } from '../xml/index.js';
import { recordInitiate, initiateTerms, type CallbackPolicy, type InboundRequests } from './inbound.js';
import { OperationRefused, type OperationAnswer, type OperationHandler } from './types.js';
import { MultiSpeakNameType } from '../mapping-names.js';

/** The usage point connection state (CIM) of the point a meter serves now; null when it serves none, undefined for an unknown meter. */
export type ConnectionState = 'connected' | 'physicallyDisconnected' | 'logicallyDisconnected';

/** A meter the hub holds a switch state for, with that state (GetCDSupportedMeters). */
export interface SwitchedMeter {
  /** The meter's number as the partner knows it. */
  readonly meterNo: string;
  /** The meter as the store holds it; its names are left out, the meter number above stands for it. */
  readonly meter: Omit<Meter, 'mRID' | 'names'>;
  readonly connectionState: ConnectionState;
}

export interface SwitchStates {
  connectionStateOf(meter: Reference): Promise<ConnectionState | null | undefined>;
  /** Meters with a switch state and a meter number after `after` (all from the first), at most `limit`, in meter-number order. */
  switchedMetersPage(after: string | undefined, limit: number): Promise<{ readonly meters: readonly SwitchedMeter[]; readonly remaining: number; readonly lastSent?: string }>;
}

/** 3.0 loadActionCode for a switch state (multispeak.md §8: Closed = supply on, Open = supply off). */
export const LOAD_ACTION_OF_STATE: Readonly<Record<ConnectionState, string>> = {
  connected: 'Closed',
  physicallyDisconnected: 'Open',
  logicallyDisconnected: 'Closed',
};

export interface ConnectDisconnectServerOptions {
  readonly switchStates: SwitchStates;
  readonly publish: (events: readonly CloudEvent[]) => Promise<void>;
  readonly sourceOf: (partner: string) => string;
  readonly inbound: InboundRequests;
  readonly callbacks: CallbackPolicy;
  readonly timeZoneOf?: (partner: string) => string | undefined;
}

export function connectDisconnectOperationsV3(options: ConnectDisconnectServerOptions): Record<string, OperationHandler> {
  return {
    async GetCDMeterState(request): Promise<OperationAnswer> {
      const meterNo = childText(request.body, 'meterNo');
      if (meterNo === undefined) throw new OperationRefused(`${request.operation}/meterNo is required`, '1');
      const state = await options.switchStates.connectionStateOf({ name: meterNo, nameType: MultiSpeakNameType.MeterNumber });
      if (state === undefined) throw new OperationRefused(`meter ${JSON.stringify(meterNo)} is not known`, '2');
      return { content: `<GetCDMeterStateResult>${state === null ? 'Unknown' : LOAD_ACTION_OF_STATE[state]}</GetCDMeterStateResult>` };
    },
    async InitiateConnectDisconnect(request): Promise<OperationAnswer> {
      const terms = initiateTerms(request, options.callbacks);
      const source = options.sourceOf(request.partner.name);
      const timeZone = options.timeZoneOf?.(request.partner.name);
      const events: CloudEvent[] = [];
      const errors: ErrorObjectV3[] = [];
      const requests: Record<string, string> = {};
      childrenNamed(childNamed(request.body, 'cdEvents'), 'connectDisconnectEvent').forEach((element, index) => {
        const path = `${request.operation}/cdEvents/connectDisconnectEvent[${index + 1}]`;
        const objectID = attribute(element, 'objectID') ?? childText(element, 'meterNo');
        try {
          const { record } = readConnectDisconnectEvent(element, path, timeZone === undefined ? {} : { timeZone });
          const { command } = commandOfConnectDisconnectEvent(record, { expiresAt: terms.deadline.toISOString(), path });
          const meterNo = record.meterNo ?? record.meterID ?? '';
          if (requests[meterNo] !== undefined) throw new InputError(`${path}: meter ${meterNo} is already in this request; one command per meter`);
          const event = newEvent(EventType.ConnectDisconnectRequested, command, { source, time: request.receivedAt, subject: meterNo, correlationid: terms.transactionId });
          requests[meterNo] = event.id;
          events.push(event);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          errors.push({ objectID, errorString: error.message, nounType: 'connectDisconnectEvent', eventTime: request.receivedAt.toISOString() });
        }
      });
      if (events.length > 0) {
        // Recorded before anything is published or answered: the completion may come back fast.
        await recordInitiate(options.inbound, request, terms, Object.keys(requests), { requests });
        await options.publish(events);
      }
      return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
    },
  };
}
