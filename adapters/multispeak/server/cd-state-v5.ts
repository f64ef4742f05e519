/**
 * The 5.0 CD_Server `InitiateCDStateRequest` the hub answers from the connection states it holds
 * (multispeak.md §7, §9, §10): the partner names meters in an `ArrayOfMeterID` with a
 * `responseURL` (its NOT_Server), `transactionID` and absolute `expirationTime`. The answer is
 * the empty response element at once, each meter the hub does not know (or one named twice) an
 * errorObject of the response header Result (§5); the request is recorded before the answer
 * leaves, then the partner's NOT_Server gets `CDStateNotification` with an `ArrayOfCDState`, one
 * `CDState` per known meter (`CDDeviceIdentifier/meterID` as the partner named it, `RCDState`,
 * `timeStamp`: when the hub read the state), and the partner's transactionID.
 *
 * The state is the connection state of the usage point the meter serves (the one GetCDMeterState
 * answers in 3.0, cd-v3.ts), in the 5.0 RCDState of the remote switch: `connected` and
 * `logicallyDisconnected` (CIM: off the books, the switch still closed) are `Connected`,
 * `physicallyDisconnected` is `Disconnected`, a meter serving no usage point is `Unknown`.
 */
import type { ConnectDisconnectState } from '../../../canonical/index.js';
import { rcdState5OfState } from '../mapping-connect-disconnect.js';
import { writeCdState, type CdState, type MeterId } from '../v5/index.js';
import { escapeText } from '../xml/index.js';
import type { ConnectionState, SwitchStates } from './cd-v3.js';
import { initiateTerms } from './inbound.js';
import { distinctMeters, recordAndCallBackV5, type InitiateFromStoreOptionsV5 } from './initiate-v5.js';
import { unknownMeter } from './mr-v5.js';
import { batchResult } from './result-v5.js';
import type { OperationAnswer, OperationHandler } from './types.js';

export const CD_STATE_NOTIFICATION_V5 = 'CDStateNotification';

export interface CdStateServerV5Options extends InitiateFromStoreOptionsV5 {
  readonly switchStates: Pick<SwitchStates, 'connectionStateOf'>;
}

const SWITCH_STATE_OF_CONNECTION: Readonly<Record<ConnectionState, ConnectDisconnectState>> = {
  connected: 'connected',
  physicallyDisconnected: 'disconnected',
  logicallyDisconnected: 'connected',
};

/** The CDState of a meter whose usage point is in `connection` (null: it serves none) at `at`. */
export function cdStateOfConnection(meterID: MeterId, connection: ConnectionState | null, at: string): CdState {
  return {
    CDDeviceIdentifier: { meterID },
    RCDState: rcdState5OfState(connection === null ? 'unknown' : SWITCH_STATE_OF_CONNECTION[connection]),
    timeStamp: at,
    errors: [],
  };
}

/** `ArrayOfCDState` + `transactionID` of a CDStateNotification, states in the order given. */
export function cdStateNotificationContent(states: readonly CdState[], transactionId: string): string {
  const items = states.map((state) => writeCdState(state)).join('');
  return `${items === '' ? '<ArrayOfCDState/>' : `<ArrayOfCDState>${items}</ArrayOfCDState>`}<transactionID>${escapeText(transactionId)}</transactionID>`;
}

export function cdStateOperationsV5(options: CdStateServerV5Options): Record<string, OperationHandler> {
  return {
    async InitiateCDStateRequest(request): Promise<OperationAnswer> {
      const terms = initiateTerms(request, options.callbacks);
      const { meters, errors } = distinctMeters(request, options.limits.maxMetersPerRequest);
      const named = meters.length + errors.length;
      const at = request.receivedAt.toISOString();
      const states: CdState[] = [];
      const objectIds: string[] = [];
      for (const meter of meters) {
        const connection = await options.switchStates.connectionStateOf(meter.reference);
        if (connection === undefined) {
          errors.push(unknownMeter(meter, request.receivedAt));
          continue;
        }
        states.push(cdStateOfConnection(meter.meterID, connection, at));
        objectIds.push(meter.reference.name ?? '');
      }
      if (states.length > 0) {
        await recordAndCallBackV5(request, terms, options, { operation: CD_STATE_NOTIFICATION_V5, content: cdStateNotificationContent(states, terms.transactionId), objectIds });
      }
      const result = batchResult(errors, states.length > 0, `${errors.length} of ${named} meterIDs were not taken`);
      return { content: '', ...(result === undefined ? {} : { result }) };
    },
  };
}
