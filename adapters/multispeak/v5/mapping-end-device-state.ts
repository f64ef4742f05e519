/**
 * Pure: a 5.0 `endDeviceState` (EndDeviceStatesNotification, the answer a 5.0 head-end gives to
 * InitiateOutageDetectionEventRequests, multispeak.md §7) as a canonical outage report, the 5.0
 * counterpart of the 3.0 outageDetectionEvent mapping (v3/mapping-outage.ts).
 *
 * Decisions where MultiSpeak 5.0 is silent:
 * - `Outaged` ("currently experiencing an outage condition") is the meter with its power off:
 *   `outage.detected` at the state's timeStamp, power down 3.26.0.47, detected by the meter.
 * - `InService` ("in service and functioning correctly") is the meter with its power on:
 *   `outage.restored` at the timeStamp, power up 3.26.0.216. A pinged meter that has power answers
 *   so, as a 3.0 head-end answers PowerOn; the outage core closes nothing that is not open.
 * - Every other state (`NoResponse`, `Unknown`, `OutofService`, `Defective`, `StartingUp`,
 *   `ShuttingDown`, `Other`) says nothing certain about the supply: a device event with the
 *   unmapped-event code 3.0.0.0 and the state in its details, as 3.0 NoResponse is kept.
 * - The meter is `deviceReference`'s primaryIdentifierValue (the meter number), else its GUID.
 */
import type { Reference } from '../../../canonical/index.js';
import { EndDeviceEventCodes } from '../../../canonical/index.js';
import { MultiSpeakNameType, namedReference } from '../mapping-names.js';
import { ReadScope } from '../mapping-primitives.js';
import { UNMAPPED_METER_EVENT, type OutageReport } from '../v3/index.js';
import { isGuid } from './read-identifiers.js';
import type { EndDeviceState } from './records.js';

/** The meter an endDeviceState is about: its meter number, else its GUID. */
export function meterOfEndDeviceState(state: EndDeviceState, path = 'endDeviceState'): Reference {
  const reference = state.deviceReference;
  return (
    namedReference(reference.primaryIdentifierValue, MultiSpeakNameType.MeterNumber) ??
    (reference.guid === undefined ? undefined : { name: reference.guid, nameType: isGuid(reference.guid) ? MultiSpeakNameType.MeterGuid : MultiSpeakNameType.MeterNumber }) ??
    new ReadScope(path).at('deviceReference').fail('names no device: neither a primaryIdentifierValue nor a GUID')
  );
}

export function outageReportOfEndDeviceState(state: EndDeviceState, options: { readonly path?: string; readonly issuerID?: string } = {}): OutageReport {
  const meter = meterOfEndDeviceState(state, options.path);
  const kind = state.deviceState.value;
  if (kind === 'Outaged') return { kind: 'outageDetected', outage: { meters: [meter], usagePoints: [], detectedBy: 'meter', endDeviceEventType: EndDeviceEventCodes.POWER_DOWN, startedAt: state.timeStamp } };
  if (kind === 'InService') return { kind: 'outageRestored', outage: { meters: [meter], usagePoints: [], detectedBy: 'meter', endDeviceEventType: EndDeviceEventCodes.POWER_UP, restoredAt: state.timeStamp } };
  const details = [
    { name: 'deviceState', value: kind },
    ...(state.deviceState.otherKind === undefined ? [] : [{ name: 'otherKind', value: state.deviceState.otherKind }]),
    ...(state.eventDescription === undefined ? [] : [{ name: 'eventDescription', value: state.eventDescription }]),
  ];
  return {
    kind: 'endDeviceEvent',
    event: {
      eventType: UNMAPPED_METER_EVENT,
      createdDateTime: state.timeStamp,
      meter,
      ...(state.eventReason === undefined ? {} : { reason: state.eventReason }),
      ...(options.issuerID === undefined ? {} : { issuerID: options.issuerID }),
      ...(state.referableID === undefined ? {} : { issuerTrackingID: state.referableID }),
      details,
    },
  };
}
