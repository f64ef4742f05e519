/**
 * Pure: the connect/disconnect enumerations of MultiSpeak 3.0 and 5.0 ⇄ canonical
 * ConnectDisconnect action, switch state and reason (canonical/model/connect-disconnect.ts).
 *
 * 3.0 `loadActionCode` mixes commands (`Connect`, `Disconnect`, `Arm`) with states (`Open`,
 * `Closed`, `Armed`), so it is read as an action where the hub receives a command and as a state
 * where it receives a report (CDStateChange `stateChange`, GetCDMeterState). An open switch
 * carries no current: `Open`/`Opened` is disconnected, `Closed` connected. Power limitation,
 * enable/disable and `InTransition` have no canonical counterpart: InputErrors, never dropped.
 */
import type { ConnectDisconnectAction, ConnectDisconnectReason, ConnectDisconnectState } from '../../canonical/index.js';
import { InputError } from '../../canonical/index.js';
import type { LoadActionCode as LoadActionCode3, RcdState as RcdState3, ReasonCode as ReasonCode3 } from './v3/records.js';
import type { CdReasonCode, Extensible, LoadActionCode as LoadActionCode5, RcdState as RcdState5 } from './v5/records.js';

function unmappable(path: string, what: string, value: string, otherKind?: string): never {
  const shown = otherKind === undefined ? value : `${value} (otherKind ${JSON.stringify(otherKind)})`;
  throw new InputError(`${path}: ${shown} has no canonical ${what}`, { field: path }, { raw: otherKind ?? value });
}

const ACTIONS: Readonly<Partial<Record<LoadActionCode3 | LoadActionCode5, ConnectDisconnectAction>>> = { Connect: 'connect', Disconnect: 'disconnect', Arm: 'arm' };

const LOAD_ACTION_OF_ACTION: Readonly<Record<ConnectDisconnectAction, 'Connect' | 'Disconnect' | 'Arm'>> = { connect: 'Connect', disconnect: 'Disconnect', arm: 'Arm' };

/** A 3.0 loadActionCode in a command (InitiateConnectDisconnect). */
export function actionOfLoadActionCode3(code: LoadActionCode3, path = 'loadActionCode'): ConnectDisconnectAction {
  return ACTIONS[code] ?? unmappable(path, 'connect/disconnect action', code);
}

const STATES_3: Readonly<Partial<Record<LoadActionCode3, ConnectDisconnectState>>> = {
  Connect: 'connected',
  Closed: 'connected',
  Disconnect: 'disconnected',
  Open: 'disconnected',
  Arm: 'armed',
  Armed: 'armed',
  Unknown: 'unknown',
};

/** A 3.0 loadActionCode in a report (CDStateChange `stateChange`, GetCDMeterState). */
export function stateOfLoadActionCode3(code: LoadActionCode3, path = 'stateChange'): ConnectDisconnectState {
  return STATES_3[code] ?? unmappable(path, 'switch state', code);
}

export function loadActionCode3OfAction(action: ConnectDisconnectAction): LoadActionCode3 {
  return LOAD_ACTION_OF_ACTION[action];
}

/**
 * A switch state as a 3.0 loadActionCode: as a `state` (GetCDMeterState answers `Closed`,
 * `Open`, `Armed`) or as the `change` a CDStateChange reports (`Connect`, `Disconnect`, `Arm`).
 */
export function loadActionCode3OfState(state: ConnectDisconnectState, form: 'state' | 'change'): LoadActionCode3 {
  if (state === 'unknown') return 'Unknown';
  if (form === 'state') return state === 'connected' ? 'Closed' : state === 'disconnected' ? 'Open' : 'Armed';
  return state === 'connected' ? 'Connect' : state === 'disconnected' ? 'Disconnect' : 'Arm';
}

const RCD_3: Readonly<Partial<Record<RcdState3, ConnectDisconnectState>>> = { Opened: 'disconnected', Closed: 'connected', Armed: 'armed', Unknown: 'unknown' };
const RCD_3_OF_STATE: Readonly<Record<ConnectDisconnectState, RcdState3>> = { connected: 'Closed', disconnected: 'Opened', armed: 'Armed', unknown: 'Unknown' };

export function stateOfRcdState3(state: RcdState3, path = 'RCDState'): ConnectDisconnectState {
  return RCD_3[state] ?? unmappable(path, 'switch state', state);
}

export function rcdState3OfState(state: ConnectDisconnectState): RcdState3 {
  return RCD_3_OF_STATE[state];
}

const REASON_PAIRS_3: readonly (readonly [ReasonCode3, ConnectDisconnectReason])[] = [
  ['NonPayment', 'nonPayment'],
  ['ServiceInactive', 'serviceInactive'],
  ['PaymentAgreement', 'paymentAgreement'],
  ['PaymentReceived', 'paymentReceived'],
  ['NewCustomer', 'newCustomer'],
];
const REASONS_3 = new Map(REASON_PAIRS_3);
const REASON_CODES_3 = new Map(REASON_PAIRS_3.map(([code, reason]) => [reason, code]));

export function reasonOfReasonCode3(code: ReasonCode3): ConnectDisconnectReason {
  return REASONS_3.get(code) ?? 'other';
}

/** The 3.0 reasonCode of a reason; 3.0 has five literals, so other reasons are not sent. */
export function reasonCode3OfReason(reason: ConnectDisconnectReason): ReasonCode3 | undefined {
  return REASON_CODES_3.get(reason);
}

/** A 5.0 loadActionCode in a command (InitiateConnectDisconnect). */
export function actionOfLoadActionCode5(code: Extensible<LoadActionCode5>, path = 'loadActionCode'): ConnectDisconnectAction {
  return ACTIONS[code.value] ?? unmappable(path, 'connect/disconnect action', code.value, code.otherKind);
}

const STATES_5: Readonly<Partial<Record<LoadActionCode5, ConnectDisconnectState>>> = { Connect: 'connected', Disconnect: 'disconnected', Arm: 'armed', Unknown: 'unknown' };

/** A 5.0 CDStateChange `stateChange`: the state the change left the switch in. */
export function stateOfLoadActionCode5(code: Extensible<LoadActionCode5>, path = 'stateChange'): ConnectDisconnectState {
  return STATES_5[code.value] ?? unmappable(path, 'switch state', code.value, code.otherKind);
}

export function loadActionCode5OfAction(action: ConnectDisconnectAction): Extensible<LoadActionCode5> {
  return { value: LOAD_ACTION_OF_ACTION[action] };
}

export function loadActionCode5OfState(state: ConnectDisconnectState): Extensible<LoadActionCode5> {
  return { value: state === 'unknown' ? 'Unknown' : LOAD_ACTION_OF_ACTION[state === 'connected' ? 'connect' : state === 'disconnected' ? 'disconnect' : 'arm'] };
}

const RCD_5: Readonly<Partial<Record<RcdState5, ConnectDisconnectState>>> = { Connected: 'connected', Disconnected: 'disconnected', Armed: 'armed', Unknown: 'unknown' };
const RCD_5_OF_STATE: Readonly<Record<ConnectDisconnectState, RcdState5>> = { connected: 'Connected', disconnected: 'Disconnected', armed: 'Armed', unknown: 'Unknown' };

export function stateOfRcdState5(state: Extensible<RcdState5>, path = 'RCDState'): ConnectDisconnectState {
  return RCD_5[state.value] ?? unmappable(path, 'switch state', state.value, state.otherKind);
}

export function rcdState5OfState(state: ConnectDisconnectState): Extensible<RcdState5> {
  return { value: RCD_5_OF_STATE[state] };
}

const REASON_PAIRS_5: readonly (readonly [CdReasonCode, ConnectDisconnectReason])[] = [
  ['PPMBalanceNegative', 'ppmBalanceNegative'],
  ['PPMBalancePositive', 'ppmBalancePositive'],
  ['NonPayment', 'nonPayment'],
  ['ServiceInactive', 'serviceInactive'],
  ['PaymentAgreement', 'paymentAgreement'],
  ['PaymentReceived', 'paymentReceived'],
  ['NewCustomer', 'newCustomer'],
  ['ServiceRestored', 'serviceRestored'],
  ['ServiceReconnected', 'serviceReconnected'],
  ['Other', 'other'],
];
const REASONS_5 = new Map(REASON_PAIRS_5);
const REASON_CODES_5 = new Map(REASON_PAIRS_5.map(([code, reason]) => [reason, code]));

/** A 5.0 CDReasonCode; `Unknown` is no reason. */
export function reasonOfCdReasonCode(code: Extensible<CdReasonCode>): ConnectDisconnectReason | undefined {
  return REASONS_5.get(code.value);
}

export function cdReasonCodeOfReason(reason: ConnectDisconnectReason): Extensible<CdReasonCode> {
  return { value: REASON_CODES_5.get(reason) ?? 'Other' };
}

/** The state a successful action leaves the switch in. */
export function expectedStateOf(action: ConnectDisconnectAction): ConnectDisconnectState {
  return action === 'connect' ? 'connected' : action === 'disconnect' ? 'disconnected' : 'armed';
}

/** The action that leads to a state, when there is one. */
export function actionLeadingTo(state: ConnectDisconnectState): ConnectDisconnectAction | undefined {
  return state === 'connected' ? 'connect' : state === 'disconnected' ? 'disconnect' : state === 'armed' ? 'arm' : undefined;
}
