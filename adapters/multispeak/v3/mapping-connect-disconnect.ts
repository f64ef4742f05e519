/**
 * Pure: the 3.0 connect/disconnect objects ⇄ canonical ConnectDisconnect command, result and
 * switch state. A `connectDisconnectEvent` is the command (meter by `meterNo`, else the AMR
 * `meterID`; usage point by `servLoc`; account by `accountNumber`); a `CDStateChange` (or the
 * singular CDStateChangedNotification) completes the command the hub correlated through its
 * transactionID; a `CDState` is a switch state report. 3.0 has no time on a state change, so
 * the caller gives the time it was received.
 */
import type { ConnectDisconnectAction, ConnectDisconnectCommand, ConnectDisconnectResult, ConnectDisconnectState, Reference, SwitchStateReported } from '../../../canonical/index.js';
import { InputError } from '../../../canonical/index.js';
import {
  actionLeadingTo,
  actionOfLoadActionCode3,
  expectedStateOf,
  loadActionCode3OfAction,
  loadActionCode3OfState,
  rcdState3OfState,
  reasonCode3OfReason,
  reasonOfReasonCode3,
  stateOfLoadActionCode3,
  stateOfRcdState3,
} from '../mapping-connect-disconnect.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import type { CdState, CdStateChange, ConnectDisconnectEvent } from './records.js';

function meterOf(object: { meterNo?: string; meterID?: string }, scope: ReadScope): Reference {
  return (
    namedReference(object.meterNo, MultiSpeakNameType.MeterNumber) ??
    namedReference(object.meterID, MultiSpeakNameType.MeterId) ??
    scope.at('meterNo').fail('is required (or meterID) to name the meter')
  );
}

/** meterNo / meterID of a canonical meter reference, as 3.0 writes them. */
function meterFieldsOf(meter: Reference): { meterNo?: string; meterID?: string } {
  const meterNo = nameOfType(meter, MultiSpeakNameType.MeterNumber);
  const meterID = nameOfType(meter, MultiSpeakNameType.MeterId);
  if (meterNo === undefined && meterID === undefined) {
    throw new InputError(`the meter reference names no ${MultiSpeakNameType.MeterNumber} or ${MultiSpeakNameType.MeterId}; 3.0 needs one`, { field: 'meter' });
  }
  return { meterNo, meterID };
}

export interface CommandMapping {
  readonly command: ConnectDisconnectCommand;
  /** Fields the canonical command has no place for, named with their values. */
  readonly unmapped: string[];
}

/** A 3.0 connectDisconnectEvent as a canonical command; `expiresAt` comes from the Initiate's expirationTime. */
export function commandOfConnectDisconnectEvent(event: ConnectDisconnectEvent, options: { readonly expiresAt?: string; readonly path?: string } = {}): CommandMapping {
  const scope = new ReadScope(options.path ?? 'connectDisconnectEvent');
  const code = event.loadActionCode ?? scope.at('loadActionCode').fail('is required in a connect/disconnect command');
  const usagePoint = namedReference(event.servLoc, MultiSpeakNameType.ServiceLocation);
  const account = namedReference(event.accountNumber, MultiSpeakNameType.Account);
  const unmapped = (['custID', 'gridLocation', 'amountDue', 'billingTerms', 'powerLimitationValue', 'powerLimitationUnits'] as const).flatMap((field) =>
    event[field] === undefined ? [] : [`${scope.path}/${field} = ${event[field]}: no place in a canonical command`],
  );
  return {
    command: {
      action: actionOfLoadActionCode3(code, `${scope.path}/loadActionCode`),
      meter: meterOf(event, scope),
      ...(usagePoint === undefined ? {} : { usagePoint }),
      ...(account === undefined ? {} : { account }),
      ...(event.reasonCode === undefined ? {} : { reason: reasonOfReasonCode3(event.reasonCode) }),
      ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
    },
    unmapped,
  };
}

/** A canonical command as a 3.0 connectDisconnectEvent (the hub as CB calling a CD server). */
export function connectDisconnectEventOfCommand(command: ConnectDisconnectCommand, objectID?: string): ConnectDisconnectEvent {
  return {
    objectID,
    verb: 'New',
    extensions: [],
    servLoc: nameOfType(command.usagePoint, MultiSpeakNameType.ServiceLocation),
    accountNumber: nameOfType(command.account, MultiSpeakNameType.Account),
    loadActionCode: loadActionCode3OfAction(command.action),
    reasonCode: command.reason === undefined ? undefined : reasonCode3OfReason(command.reason),
    ...meterFieldsOf(command.meter),
  };
}

export interface ResultContext {
  /** The id of the command event this change completes (correlated by transactionID). */
  readonly requestId: string;
  /** The command's action; without it, the action is the one that leads to the reported state. */
  readonly action?: ConnectDisconnectAction;
  /** When the change was reported: 3.0 CDStateChange carries no time. */
  readonly completedAt: string;
  readonly path?: string;
}

/**
 * A 3.0 CDStateChange as the result of a command: succeeded when the switch reached the state
 * the action aims at and no errorString came with it, failed otherwise (with the reason).
 */
export function resultOfCdStateChange(change: CdStateChange, context: ResultContext): ConnectDisconnectResult {
  const scope = new ReadScope(context.path ?? 'CDStateChange');
  const code = change.stateChange ?? scope.at('stateChange').fail('is required to complete a connect/disconnect command');
  const state = stateOfLoadActionCode3(code, `${scope.path}/stateChange`);
  const action = context.action ?? actionLeadingTo(state) ?? scope.at('stateChange').fail(`${code} does not say which action completed; the command's action is needed`);
  const failure = change.errorString ?? (state === expectedStateOf(action) ? undefined : `the switch reported ${state} after ${action}`);
  return {
    requestId: context.requestId,
    action,
    meter: meterOf(change, scope),
    outcome: failure === undefined ? 'succeeded' : 'failed',
    state,
    completedAt: context.completedAt,
    ...(failure === undefined ? {} : { failureReason: failure }),
  };
}

/**
 * A 3.0 CDStateChange no command asked for (sent without a transactionID): the switch state the
 * meter reports, at `reportedAt` (when it was received: 3.0 carries no time on a state change).
 */
export function switchStateReportOfCdStateChange(change: CdStateChange, context: { readonly reportedAt: string; readonly path?: string }): SwitchStateReported {
  const scope = new ReadScope(context.path ?? 'CDStateChange');
  const code = change.stateChange ?? scope.at('stateChange').fail('is required to report a switch state');
  return { meter: meterOf(change, scope), state: stateOfLoadActionCode3(code, `${scope.path}/stateChange`), reportedAt: context.reportedAt };
}

/** A canonical result as a 3.0 CDStateChange (the hub as CD answering a CB). */
export function cdStateChangeOfResult(result: ConnectDisconnectResult, objectID?: string): CdStateChange {
  return {
    objectID,
    errorString: result.outcome === 'succeeded' ? undefined : (result.failureReason ?? result.outcome),
    extensions: [],
    ...meterFieldsOf(result.meter),
    stateChange: loadActionCode3OfState(result.state, 'change'),
  };
}

export interface SwitchState {
  readonly meter: Reference;
  readonly state: ConnectDisconnectState;
}

/** A 3.0 CDState as a meter's switch state. */
export function switchStateOfCdState(state: CdState, path = 'CDState'): SwitchState {
  const scope = new ReadScope(path);
  const rcd = state.RCDState ?? scope.at('RCDState').fail('is required in a CDState');
  return { meter: meterOf(state, scope), state: stateOfRcdState3(rcd, `${path}/RCDState`) };
}

export function cdStateOfSwitchState(state: SwitchState): CdState {
  const fields = meterFieldsOf(state.meter);
  return { objectID: fields.meterNo ?? fields.meterID, extensions: [], ...fields, RCDState: rcdState3OfState(state.state) };
}
