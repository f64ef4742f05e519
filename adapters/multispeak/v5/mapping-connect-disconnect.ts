/**
 * Pure: the 5.0 connect/disconnect objects ⇄ canonical ConnectDisconnect command, result and
 * switch state. A `connectDisconnectEvent` is the command (the switch by its meter or as a CD
 * device; the usage point by `servicePointID`, else by the service location's primary
 * identifier as in 3.0; the account by its primary identifier, the account number); its
 * `timeStamp` is when it was issued. A `CDStateChange` completes the command the hub correlated
 * through its transactionID, failed when it carries errorObjects, and may bring a reading; a
 * `CDState` is a switch state report.
 */
import type { ConnectDisconnectAction, ConnectDisconnectCommand, ConnectDisconnectResult, ConnectDisconnectState, Reference, SwitchStateReported } from '../../../canonical/index.js';
import {
  actionLeadingTo,
  actionOfLoadActionCode5,
  cdReasonCodeOfReason,
  expectedStateOf,
  loadActionCode5OfAction,
  loadActionCode5OfState,
  rcdState5OfState,
  reasonOfCdReasonCode,
  stateOfLoadActionCode5,
  stateOfRcdState5,
} from '../mapping-connect-disconnect.js';
import { MultiSpeakNameType, namedReference, nameOfType } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import { cdDeviceIdentifierOf, deviceReferenceOf, objectIdOfReference, objectReferenceOf } from './mapping-identifiers.js';
import { canonicalOfMeterReading, type CanonicalReadings } from './mapping-meter-reading.js';
import type { CdState, CdStateChange, ConnectDisconnectEvent, MeterReading } from './records.js';

export interface CommandMapping {
  readonly command: ConnectDisconnectCommand;
  /** The event's timeStamp: when the command was issued (the envelope's time). */
  readonly issuedAt: string;
  readonly unmapped: string[];
}

export interface CommandOptions {
  /** The Initiate's `expirationTime`. */
  readonly expiresAt?: string;
  /** The Initiate's `readingRequested`. */
  readonly readingRequested?: boolean;
  readonly path?: string;
}

export function commandOfConnectDisconnectEvent(event: ConnectDisconnectEvent, options: CommandOptions = {}): CommandMapping {
  const scope = new ReadScope(options.path ?? 'connectDisconnectEvent');
  const code = event.loadActionCode ?? scope.at('loadActionCode').fail('is required in a connect/disconnect command');
  const device = event.CDDeviceIdentifier ?? scope.at('CDDeviceIdentifier').fail('is required: it names the switch');
  const usagePoint = namedReference(event.servicePointID?.guid, MultiSpeakNameType.ServicePointGuid) ?? objectReferenceOf(event.serviceLocationID, MultiSpeakNameType.ServiceLocation);
  const account = objectReferenceOf(event.accountID, MultiSpeakNameType.Account);
  const reason = event.CDReasonCode === undefined ? undefined : reasonOfCdReasonCode(event.CDReasonCode);
  const unmapped = [
    ...(event.customerID === undefined ? [] : [`${scope.path}/customerID: no place in a canonical command`]),
    ...(['gridLocation', 'billingTerms', 'eventDescription', 'eventReason'] as const).flatMap((field) => (event[field] === undefined ? [] : [`${scope.path}/${field} = ${event[field]}: no place in a canonical command`])),
    ...(event.amountDue === undefined ? [] : [`${scope.path}/amountDue = ${event.amountDue.value}: no place in a canonical command`]),
    ...(event.powerLimitation === undefined ? [] : [`${scope.path}/powerLimitationDetails: no place in a canonical command`]),
  ];
  return {
    command: {
      action: actionOfLoadActionCode5(code, `${scope.path}/loadActionCode`),
      meter: deviceReferenceOf(device, `${scope.path}/CDDeviceIdentifier`),
      ...(usagePoint === undefined ? {} : { usagePoint }),
      ...(account === undefined ? {} : { account }),
      ...(reason === undefined ? {} : { reason }),
      ...(options.expiresAt === undefined ? {} : { expiresAt: options.expiresAt }),
      ...(options.readingRequested === undefined ? {} : { readingRequested: options.readingRequested }),
    },
    issuedAt: event.timeStamp,
    unmapped,
  };
}

/** A canonical command as a 5.0 connectDisconnectEvent (the hub calling a CD server). */
export function connectDisconnectEventOfCommand(command: ConnectDisconnectCommand, options: { readonly issuedAt: string; readonly referableID?: string }): ConnectDisconnectEvent {
  const servicePoint = nameOfType(command.usagePoint, MultiSpeakNameType.ServicePointGuid);
  const location = objectIdOfReference(command.usagePoint, MultiSpeakNameType.ServiceLocation, 'serviceLocationID');
  const account = objectIdOfReference(command.account, MultiSpeakNameType.Account, 'accountNumber');
  return {
    ...(options.referableID === undefined ? {} : { referableID: options.referableID }),
    timeStamp: options.issuedAt,
    errors: [],
    ...(account === undefined ? {} : { accountID: account }),
    ...(location === undefined ? {} : { serviceLocationID: location }),
    ...(servicePoint === undefined ? {} : { servicePointID: { guid: servicePoint } }),
    CDDeviceIdentifier: cdDeviceIdentifierOf(command.meter),
    loadActionCode: loadActionCode5OfAction(command.action),
    ...(command.reason === undefined ? {} : { CDReasonCode: cdReasonCodeOfReason(command.reason) }),
  };
}

export interface ResultMapping extends CanonicalReadings {
  readonly result: ConnectDisconnectResult;
}

export interface ResultContext {
  readonly requestId: string;
  /** The command's action; without it, the action that leads to the reported state. */
  readonly action?: ConnectDisconnectAction;
  readonly source?: string;
  readonly path?: string;
}

/** A 5.0 CDStateChange as the result of a command, with the reading it brought (if any). */
export function resultOfCdStateChange(change: CdStateChange, context: ResultContext): ResultMapping {
  const scope = new ReadScope(context.path ?? 'CDStateChange');
  const state = stateOfLoadActionCode5(change.stateChange, `${scope.path}/stateChange`);
  const action = context.action ?? actionLeadingTo(state) ?? scope.at('stateChange').fail(`${change.stateChange.value} does not say which action completed; the command's action is needed`);
  const [error] = change.errors;
  const failure =
    error === undefined ? (state === expectedStateOf(action) ? undefined : `the switch reported ${state} after ${action}`) : (error.displayString ?? error.detailedString ?? `error ${error.errorCode ?? 'without code'}`);
  const readings: CanonicalReadings =
    change.meterReading === undefined
      ? { reads: [], blocks: [], issues: [], warnings: [] }
      : canonicalOfMeterReading(change.meterReading, { source: context.source, path: `${scope.path}/meterReading`, reason: action === 'connect' ? 'serviceConnect' : action === 'disconnect' ? 'serviceDisconnect' : undefined });
  return {
    result: {
      requestId: context.requestId,
      action,
      meter: deviceReferenceOf(change.CDDeviceIdentifier, `${scope.path}/CDDeviceIdentifier`),
      outcome: failure === undefined ? 'succeeded' : 'failed',
      state,
      completedAt: change.timeStamp,
      ...(failure === undefined ? {} : { failureReason: failure }),
    },
    ...readings,
  };
}

/** A 5.0 CDStateChange no command asked for (sent without a transactionID): the switch state the device reports, at its timeStamp. */
export function switchStateReportOfCdStateChange(change: CdStateChange, path = 'CDStateChange'): SwitchStateReported {
  return {
    meter: deviceReferenceOf(change.CDDeviceIdentifier, `${path}/CDDeviceIdentifier`),
    state: stateOfLoadActionCode5(change.stateChange, `${path}/stateChange`),
    reportedAt: change.timeStamp,
  };
}

/** A canonical result as a 5.0 CDStateChange (the hub notifying as CD), with an optional reading. */
export function cdStateChangeOfResult(result: ConnectDisconnectResult, options: { readonly referableID?: string; readonly meterReading?: MeterReading } = {}): CdStateChange {
  return {
    ...(options.referableID === undefined ? {} : { referableID: options.referableID }),
    timeStamp: result.completedAt,
    errors:
      result.outcome === 'succeeded'
        ? []
        : [{ ...(options.referableID === undefined ? {} : { referenceID: options.referableID }), nounType: 'CDStateChange', eventTime: result.completedAt, displayString: result.failureReason ?? result.outcome }],
    CDDeviceIdentifier: cdDeviceIdentifierOf(result.meter),
    stateChange: loadActionCode5OfState(result.state),
    ...(options.meterReading === undefined ? {} : { meterReading: options.meterReading }),
  };
}

export interface SwitchState {
  readonly meter: Reference;
  readonly state: ConnectDisconnectState;
  readonly timeStamp?: string;
}

export function switchStateOfCdState(state: CdState, path = 'CDState'): SwitchState {
  return {
    meter: deviceReferenceOf(state.CDDeviceIdentifier, `${path}/CDDeviceIdentifier`),
    state: stateOfRcdState5(state.RCDState, `${path}/RCDState`),
    ...(state.timeStamp === undefined ? {} : { timeStamp: state.timeStamp }),
  };
}

export function cdStateOfSwitchState(state: SwitchState): CdState {
  return {
    CDDeviceIdentifier: cdDeviceIdentifierOf(state.meter),
    RCDState: rcdState5OfState(state.state),
    ...(state.timeStamp === undefined ? {} : { timeStamp: state.timeStamp }),
    errors: [],
  };
}
