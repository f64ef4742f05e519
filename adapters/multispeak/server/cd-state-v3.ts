/**
 * The 3.0 CD_Server's switch-state operations (multispeak.md §7, §8, §10, §11), answered from the
 * connection states the meter data core keeps (SwitchStates).
 *
 * InitiateCDStateRequest: the partner names meters (`states/CDState`, by `meterNo`, else
 * `meterID`) and where to send their states; the hub answers at once with one errorObject per
 * CDState it cannot answer (an unknown meter, no meter named, a meter named twice), records the
 * request (before the answer leaves) and hands `CDStatesNotification` (`states/CDState` with the
 * meter's `RCDState`, and the partner's transactionID) to `DeferredCallbacks`, which sends it to the
 * partner's CB_Server once the answer is on its way. The states are the ones GetCDMeterState
 * answers, written as RCDState: connected → Closed, physicallyDisconnected → Opened,
 * logicallyDisconnected → Closed (the supply is on; the business state is not the switch's), a
 * meter that serves no usage point → Unknown.
 *
 * GetCDSupportedMeters: the canonical Meter carries no remote-switch flag, and MultiSpeak's own
 * `meterConnectionStatus` lands on the usage point's connection state (v3/mapping-meter.ts), so
 * the hub's evidence of a switch is that connection state: the supported meters are those serving
 * a usage point now (the store keeps a connection state on every usage point: from the CIS's
 * master data, then from each connect/disconnect result, mdm/connection-state.ts). A meter that
 * serves no usage point has no switch state and is not listed. The page is ordered by meter
 * number and continued with `lastReceived`, `ObjectsRemaining`/`LastSent` in the response header,
 * as GetLatestReadings pages (§11); each meter carries its `meterConnectionStatus`.
 */
import { InputError } from '../../contract.js';
import type { Reference } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference } from '../mapping-names.js';
import { meterOfCanonical, readCdState, statusOfConnectionState, writeCdState, writeMeter, type CdState, type RcdState } from '../v3/index.js';
import { childNamed, childrenNamed, childText, errorObjectsResultXml, escapeText, type ErrorObjectV3 } from '../xml/index.js';
import type { ConnectionState, SwitchedMeter, SwitchStates } from './cd-v3.js';
import { recordInitiate, initiateTerms, type CallbackPolicy, type InboundRequests } from './inbound.js';
import type { DeferredCallbacks } from './mr-initiate-v3.js';
import type { ServerLimits } from './ports.js';
import { OperationRefused, type OperationAnswer, type OperationHandler } from './types.js';

/** RCDState of a usage point connection state; the same switch position GetCDMeterState answers (Closed / Open). */
export const RCD_STATE_OF_CONNECTION: Readonly<Record<ConnectionState, RcdState>> = {
  connected: 'Closed',
  physicallyDisconnected: 'Opened',
  logicallyDisconnected: 'Closed',
};

export function rcdStateOf(state: ConnectionState | null): RcdState {
  return state === null ? 'Unknown' : RCD_STATE_OF_CONNECTION[state];
}

export interface CdStateOperationsOptions {
  readonly switchStates: SwitchStates;
  readonly limits: Pick<ServerLimits, 'pageSize' | 'maxMetersPerRequest'>;
  readonly inbound: InboundRequests;
  readonly callbacks: CallbackPolicy;
  readonly deferred: DeferredCallbacks;
}

/** `states` + `transactionID` of a CDStatesNotification (CB_Server, 3.0), in request order. */
export function cdStatesContent(states: readonly CdState[], transactionId: string): string {
  const items = states.map((state) => writeCdState(state)).join('');
  return `${items === '' ? '<states/>' : `<states>${items}</states>`}<transactionID>${escapeText(transactionId)}</transactionID>`;
}

/** One supported meter as a 3.0 `meter`; a stored meter 3.0 cannot carry is named with the reason (mspObject errorString). */
function supportedMeterXml(switched: SwitchedMeter): string {
  try {
    return writeMeter(meterOfCanonical(switched.meter, { meterNo: switched.meterNo, connectionState: switched.connectionState }));
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return writeMeter({ objectID: switched.meterNo, meterNo: switched.meterNo, errorString: error.message, extensions: [], sealNumbers: [], meterConnectionStatus: statusOfConnectionState(switched.connectionState) });
  }
}

interface NamedState {
  /** The name the partner used: the object's key in the recorded request. */
  readonly key: string;
  readonly meter: Reference;
  readonly state: CdState;
}

export function cdStateOperationsV3(options: CdStateOperationsOptions): Record<string, OperationHandler> {
  return {
    async InitiateCDStateRequest(request): Promise<OperationAnswer> {
      const terms = initiateTerms(request, options.callbacks);
      const eventTime = request.receivedAt.toISOString();
      const errors: ErrorObjectV3[] = [];
      const asked: NamedState[] = [];
      const seen = new Set<string>();
      const elements = childrenNamed(childNamed(request.body, 'states'), 'CDState');
      if (elements.length === 0) throw new OperationRefused(`${request.operation}/states names no CDState`, '1');
      const limit = options.limits.maxMetersPerRequest;
      if (elements.length > limit) throw new OperationRefused(`${request.operation}/states names ${elements.length} meters; at most ${limit} per request`, '3');
      elements.forEach((element, index) => {
        const path = `${request.operation}/states/CDState[${index + 1}]`;
        try {
          const { record } = readCdState(element, path);
          const meter = namedReference(record.meterNo, MultiSpeakNameType.MeterNumber) ?? namedReference(record.meterID, MultiSpeakNameType.MeterId);
          const key = meter?.name;
          if (meter === undefined || key === undefined) throw new InputError(`${path}: meterNo (or meterID) is required to name the meter`);
          if (seen.has(key)) throw new InputError(`${path}: meter ${key} is already in this request; it is answered once`);
          seen.add(key);
          asked.push({ key, meter, state: record });
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          errors.push({ objectID: element.attributes.get('objectID') ?? childText(element, 'meterNo') ?? childText(element, 'meterID'), errorString: error.message, nounType: 'CDState', eventTime });
        }
      });

      const answered: CdState[] = [];
      const keys: string[] = [];
      for (const { key, meter, state } of asked) {
        const connection = await options.switchStates.connectionStateOf(meter);
        if (connection === undefined) {
          errors.push({ objectID: state.objectID ?? key, errorString: `meter ${JSON.stringify(key)} is not known`, nounType: 'CDState', eventTime });
          continue;
        }
        keys.push(key);
        answered.push({ objectID: state.objectID, meterNo: state.meterNo, meterID: state.meterID, serviceType: state.serviceType, extensions: [], RCDState: rcdStateOf(connection) });
      }

      if (answered.length > 0) {
        const objectIds = keys;
        // Recorded before the answer leaves: the callback may reach the partner before the answer does.
        await recordInitiate(options.inbound, request, terms, objectIds);
        options.deferred.later({
          partner: request.partner.name,
          transactionId: terms.transactionId,
          responseUrl: terms.responseUrl,
          operation: 'CDStatesNotification',
          content: cdStatesContent(answered, terms.transactionId),
          objectIds,
        });
      }
      return { content: errorObjectsResultXml(`${request.operation}Result`, errors) };
    },
    async GetCDSupportedMeters(request): Promise<OperationAnswer> {
      const page = await options.switchStates.switchedMetersPage(childText(request.body, 'lastReceived'), options.limits.pageSize);
      return {
        content: { open: '<GetCDSupportedMetersResult>', items: page.meters.map(supportedMeterXml), close: '</GetCDSupportedMetersResult>' },
        paging: { objectsRemaining: page.remaining, lastSent: page.lastSent ?? page.meters[page.meters.length - 1]?.meterNo },
      };
    },
  };
}
