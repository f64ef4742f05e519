import { describe, expect, it } from 'vitest';
import { ConnectDisconnectCommandSchema, ConnectDisconnectResultSchema, SwitchStateReportedSchema, EndDeviceEventSchema, OutageDetectedSchema, OutageRestoredSchema } from '../../../canonical/index.js';
import {
  actionOfLoadActionCode3,
  loadActionCode3OfState,
  rcdState3OfState,
  reasonCode3OfReason,
  stateOfLoadActionCode3,
  stateOfRcdState3,
} from '../mapping-connect-disconnect.js';
import { inputErrorOf } from '../testing/errors.js';
import { fixtureTree } from '../testing/tree.js';
import { childNamed, childrenNamed, descendant } from '../xml/element.js';
import {
  cdStateChangeOfResult,
  cdStateOfSwitchState,
  commandOfConnectDisconnectEvent,
  connectDisconnectEventOfCommand,
  resultOfCdStateChange,
  switchStateOfCdState,
  switchStateReportOfCdStateChange,
} from './mapping-connect-disconnect.js';
import { endDeviceEventOfInstance, eventInstanceOfEndDeviceEvent } from './mapping-meter-event.js';
import { eventCodeOfOutageEventType, outageDetectionEventsOf, outageEventTypeOfCode, outageReportOf } from './mapping-outage.js';
import { readCdState, readCdStateChange, readConnectDisconnectEvent } from './read-connect-disconnect.js';
import { readEventInstance, readOutageDetectionEvent } from './read-outage.js';
import { LOAD_ACTION_CODES, OUTAGE_EVENT_TYPES, RCD_STATES, type OutageDetectionEvent } from './records.js';

const MRID = '0190a0e1-0000-7000-8000-000000000001';
const cd = fixtureTree('v3-connect-disconnect.xml');
const outages = fixtureTree('v3-outage.xml');
const meter1001 = { name: '1001', nameType: 'multispeak:meterNo' };
const [disconnect, arm] = childrenNamed(childNamed(cd, 'cdEvents'), 'connectDisconnectEvent').map((element) => readConnectDisconnectEvent(element).record);
const [powerOff, powerOn] = childrenNamed(childNamed(outages, 'ODEvents'), 'outageDetectionEvent').map((element) => readOutageDetectionEvent(element).record);
const [tamper, demandReset] = childrenNamed(descendant(outages, 'events', 'eventInstances'), 'eventInstance').map((element) => readEventInstance(element).record);
if (disconnect === undefined || arm === undefined || powerOff === undefined || powerOn === undefined || tamper === undefined || demandReset === undefined) {
  throw new Error('fixtures v3-connect-disconnect.xml / v3-outage.xml are incomplete');
}

describe('3.0 loadActionCode and RCDState ⇄ canonical action and switch state', () => {
  it('every 3.0 loadActionCode is an action, a state, or an InputError; none is dropped', () => {
    const table = LOAD_ACTION_CODES.map((code) => {
      const attempt = <T>(run: () => T): T | string => {
        try {
          return run();
        } catch (error) {
          return error instanceof Error ? 'error' : 'bug';
        }
      };
      return [code, attempt(() => actionOfLoadActionCode3(code)), attempt(() => stateOfLoadActionCode3(code))];
    });
    expect(table).toEqual([
      ['Connect', 'connect', 'connected'],
      ['Disconnect', 'disconnect', 'disconnected'],
      ['InitiatePowerLimitation', 'error', 'error'],
      ['Open', 'error', 'disconnected'],
      ['Closed', 'error', 'connected'],
      ['Armed', 'error', 'armed'],
      ['Unknown', 'error', 'unknown'],
      ['Arm', 'arm', 'armed'],
      ['Enable', 'error', 'error'],
      ['Disable', 'error', 'error'],
      ['Enabled', 'error', 'error'],
      ['Disabled', 'error', 'error'],
    ]);
    expect(inputErrorOf(() => actionOfLoadActionCode3('InitiatePowerLimitation', 'cdEvents/connectDisconnectEvent[2]/loadActionCode')).message).toBe(
      'cdEvents/connectDisconnectEvent[2]/loadActionCode: InitiatePowerLimitation has no canonical connect/disconnect action',
    );
  });

  it('RCDState both ways; states back to loadActionCode as a state or as a change', () => {
    expect(RCD_STATES.map((state) => (['Enabled', 'Disabled', 'InTransition'].includes(state) ? 'error' : stateOfRcdState3(state)))).toEqual(['disconnected', 'connected', 'armed', 'unknown', 'error', 'error', 'error']);
    expect(inputErrorOf(() => stateOfRcdState3('InTransition')).message).toBe('RCDState: InTransition has no canonical switch state');
    for (const state of ['connected', 'disconnected', 'armed', 'unknown'] as const) {
      expect(stateOfRcdState3(rcdState3OfState(state))).toBe(state);
      expect(stateOfLoadActionCode3(loadActionCode3OfState(state, 'state'))).toBe(state);
      expect(stateOfLoadActionCode3(loadActionCode3OfState(state, 'change'))).toBe(state);
    }
    expect(loadActionCode3OfState('connected', 'state')).toBe('Closed');
    expect(reasonCode3OfReason('ppmBalanceNegative')).toBeUndefined();
  });
});

describe('3.0 connect/disconnect objects ⇄ canonical command, result, switch state', () => {
  it('golden: a connectDisconnectEvent becomes a disconnect command for meter 1001', () => {
    const mapped = commandOfConnectDisconnectEvent(disconnect, { expiresAt: '2024-05-01T15:00:00.000Z' });
    expect(mapped.command).toEqual({
      action: 'disconnect',
      meter: meter1001,
      usagePoint: { name: 'SL-2001', nameType: 'multispeak:servLoc' },
      account: { name: 'AC-3001', nameType: 'multispeak:accountNumber' },
      reason: 'nonPayment',
      expiresAt: '2024-05-01T15:00:00.000Z',
    });
    expect(mapped.unmapped).toEqual(['connectDisconnectEvent/custID = C-4001: no place in a canonical command', 'connectDisconnectEvent/amountDue = 182.40: no place in a canonical command']);
    expect(ConnectDisconnectCommandSchema.safeParse(mapped.command).success).toBe(true);
  });

  it('command back to 3.0 and round trip at the canonical level', () => {
    const { command } = commandOfConnectDisconnectEvent(disconnect);
    const written = connectDisconnectEventOfCommand(command, 'CD-1');
    expect(written).toEqual({ objectID: 'CD-1', verb: 'New', extensions: [], servLoc: 'SL-2001', accountNumber: 'AC-3001', loadActionCode: 'Disconnect', reasonCode: 'NonPayment', meterNo: '1001' });
    expect(commandOfConnectDisconnectEvent(written).command).toEqual(command);
    expect(commandOfConnectDisconnectEvent(arm).command).toEqual({ action: 'arm', meter: { name: '1003', nameType: 'multispeak:meterNo' } });
  });

  it('a CDStateChange completes the command; a state the action does not aim at is a failure', () => {
    const change = readCdStateChange(childrenNamed(childNamed(cd, 'stateChanges'), 'CDStateChange')[0] ?? fail()).record;
    const result = resultOfCdStateChange(change, { requestId: 'req-1', action: 'disconnect', completedAt: '2024-05-01T14:05:00.000Z' });
    expect(result).toEqual({ requestId: 'req-1', action: 'disconnect', meter: meter1001, outcome: 'succeeded', state: 'disconnected', completedAt: '2024-05-01T14:05:00.000Z' });
    expect(ConnectDisconnectResultSchema.safeParse(result).success).toBe(true);
    expect(resultOfCdStateChange(change, { requestId: 'req-1', action: 'connect', completedAt: '2024-05-01T14:05:00.000Z' })).toMatchObject({
      outcome: 'failed',
      failureReason: 'the switch reported disconnected after connect',
    });
  });

  it('the singular CDStateChangedNotification and its errorString; a result back to a CDStateChange', () => {
    const singular = readCdStateChange(childNamed(cd, 'CDStateChangedNotification') ?? fail()).record;
    expect(resultOfCdStateChange(singular, { requestId: 'req-2', completedAt: '2024-05-01T14:07:00.000Z' })).toMatchObject({ action: 'connect', state: 'connected', outcome: 'succeeded' });
    const failed = resultOfCdStateChange({ ...singular, errorString: 'meter not responding' }, { requestId: 'req-2', action: 'connect', completedAt: '2024-05-01T14:07:00.000Z' });
    expect(failed).toMatchObject({ outcome: 'failed', failureReason: 'meter not responding' });
    expect(cdStateChangeOfResult(failed, 'CD-2')).toEqual({ objectID: 'CD-2', errorString: 'meter not responding', extensions: [], meterNo: '1003', stateChange: 'Connect' });
    expect(inputErrorOf(() => resultOfCdStateChange({ extensions: [], meterNo: '1', stateChange: 'Unknown' }, { requestId: 'r', completedAt: '2024-05-01T14:07:00.000Z' })).message).toBe(
      "CDStateChange/stateChange: Unknown does not say which action completed; the command's action is needed",
    );
  });

  it('a state change no command asked for is the switch state the meter reports, at the time it came', () => {
    const singular = readCdStateChange(childNamed(cd, 'CDStateChangedNotification') ?? fail()).record;
    const report = switchStateReportOfCdStateChange(singular, { reportedAt: '2024-05-01T14:07:00.000Z' });
    expect(report).toEqual({ meter: { name: '1003', nameType: 'multispeak:meterNo' }, state: 'connected', reportedAt: '2024-05-01T14:07:00.000Z' });
    expect(SwitchStateReportedSchema.safeParse(report).success).toBe(true);
    expect(switchStateReportOfCdStateChange({ extensions: [], meterNo: '1', stateChange: 'Open' }, { reportedAt: '2024-05-01T14:07:00.000Z' }).state).toBe('disconnected');
    expect(inputErrorOf(() => switchStateReportOfCdStateChange({ extensions: [], meterNo: '1' }, { reportedAt: '2024-05-01T14:07:00.000Z', path: 'X' })).message).toBe('X/stateChange: is required to report a switch state');
    expect(inputErrorOf(() => switchStateReportOfCdStateChange({ extensions: [], stateChange: 'Open' }, { reportedAt: '2024-05-01T14:07:00.000Z' })).message).toContain('meterNo');
  });

  it('CDState ⇄ switch state', () => {
    const [opened] = childrenNamed(childNamed(cd, 'states'), 'CDState').map((element) => readCdState(element).record);
    if (opened === undefined) throw new Error('fixture has no CDState');
    const state = switchStateOfCdState(opened);
    expect(state).toEqual({ meter: meter1001, state: 'disconnected' });
    expect(cdStateOfSwitchState(state)).toEqual({ objectID: '1001', extensions: [], meterNo: '1001', RCDState: 'Opened' });
    expect(inputErrorOf(() => switchStateOfCdState({ extensions: [], meterNo: '1', RCDState: 'Enabled' }, 'states/CDState[3]')).message).toBe('states/CDState[3]/RCDState: Enabled has no canonical switch state');
  });
});

describe('3.0 outageDetectionEvent ⇄ canonical Outage / EndDeviceEvent (cim.md §5, §9)', () => {
  it('outageEventType ⇄ CIM codes: Outage/PowerOff power down, Restoration/PowerOn power up, others none', () => {
    expect(OUTAGE_EVENT_TYPES.map((type) => [type, eventCodeOfOutageEventType(type)])).toEqual([
      ['Instantaneous', undefined],
      ['Outage', '3.26.0.47'],
      ['Restoration', '3.26.0.216'],
      ['NoResponse', undefined],
      ['Inferred', undefined],
      ['PowerOn', '3.26.0.216'],
      ['PowerOff', '3.26.0.47'],
    ]);
    expect(outageEventTypeOfCode('3.26.0.47')).toBe('Outage');
    expect(outageEventTypeOfCode('3.26.136.47', { powerDown: ['3.26.0.47', '3.26.136.47'], powerUp: ['3.26.0.216'] })).toBe('Outage');
    expect(inputErrorOf(() => outageEventTypeOfCode('3.12.0.257')).message).toBe('event 3.12.0.257 is neither a power down nor a power up; it has no outageEventType');
  });

  it('golden: a meter last gasp is an outage start at the exact instant, with the power down code', () => {
    const report = outageReportOf(powerOff);
    expect(report).toEqual({
      kind: 'outageDetected',
      outage: {
        meters: [meter1001],
        usagePoints: [{ name: 'SL-2001', nameType: 'multispeak:servLoc' }],
        detectedBy: 'meter',
        endDeviceEventType: '3.26.0.47',
        startedAt: '2024-05-01T08:12:07.000Z',
      },
    });
    if (report.kind === 'outageDetected') expect(OutageDetectedSchema.safeParse(report.outage).success).toBe(true);
    const restored = outageReportOf(powerOn);
    expect(restored).toEqual({ kind: 'outageRestored', outage: { meters: [meter1001], usagePoints: [], detectedBy: 'meter', endDeviceEventType: '3.26.0.216', restoredAt: '2024-05-01T09:40:00.000Z' } });
    if (restored.kind === 'outageRestored') expect(OutageRestoredSchema.safeParse(restored.outage).success).toBe(true);
  });

  it('back to 3.0 and round trip at the canonical level', () => {
    for (const event of [powerOff, powerOn]) {
      const report = outageReportOf(event);
      if (report.kind === 'endDeviceEvent') throw new Error('expected an outage');
      const written = outageDetectionEventsOf(report);
      expect(written).toHaveLength(1);
      expect(outageReportOf(written[0] ?? fail())).toEqual(report);
    }
    const report = outageReportOf(powerOff);
    if (report.kind === 'outageDetected') {
      expect(outageDetectionEventsOf(report)).toEqual([
        { extensions: [], eventTime: '2024-05-01T08:12:07.000Z', outageEventType: 'Outage', outageDetectDeviceType: 'Meter', outageLocation: { servLoc: 'SL-2001', meterNo: '1001' } },
      ]);
    }
  });

  it('a call and an inferred outage; momentaries and non-responses are device events with the unmapped code', () => {
    const base: OutageDetectionEvent = { extensions: [], eventTime: '2024-05-01T08:00:00.000Z', outageLocation: { servLoc: 'SL-2001' } };
    expect(outageReportOf({ ...base, outageEventType: 'Outage', outageDetectDeviceType: 'Call' })).toMatchObject({ kind: 'outageDetected', outage: { detectedBy: 'customerCall', meters: [] } });
    expect(outageReportOf({ ...base, outageEventType: 'Inferred' })).toMatchObject({ kind: 'outageDetected', outage: { detectedBy: 'inferred' } });
    const momentary = outageReportOf({ ...base, objectID: 'OD-7', outageEventType: 'Instantaneous', outageLocation: { meterNo: '1001' } }, { issuerID: 'headEndA' });
    expect(momentary).toEqual({
      kind: 'endDeviceEvent',
      event: { eventType: '3.0.0.0', createdDateTime: '2024-05-01T08:00:00.000Z', meter: meter1001, issuerID: 'headEndA', issuerTrackingID: 'OD-7', details: [{ name: 'outageEventType', value: 'Instantaneous' }] },
    });
    if (momentary.kind === 'endDeviceEvent') expect(EndDeviceEventSchema.safeParse({ mRID: MRID, ...momentary.event }).success).toBe(true);
  });

  it('an outage event without type, time or scope is refused', () => {
    expect(inputErrorOf(() => outageReportOf({ extensions: [], eventTime: '2024-05-01T08:00:00.000Z' })).message).toBe('outageDetectionEvent/outageEventType: is required to map an outage event');
    expect(inputErrorOf(() => outageReportOf({ extensions: [], outageEventType: 'Outage', eventTime: '2024-05-01T08:00:00.000Z' }, { path: 'ODEvents/outageDetectionEvent[3]' })).message).toBe(
      'ODEvents/outageDetectionEvent[3]/outageLocation: names no meter or service location: the report has no scope',
    );
  });
});

describe('3.0 eventInstance ⇄ canonical EndDeviceEvent', () => {
  it('golden: a codeString is the code; vendor text without one uses the source table, else the unmapped code', () => {
    expect(endDeviceEventOfInstance(tamper)).toEqual({
      eventType: '3.12.0.257',
      createdDateTime: '2024-05-02T11:00:00.000Z',
      meter: meter1001,
      details: [{ name: 'meterEvent', value: 'Tamper detected' }],
    });
    expect(endDeviceEventOfInstance(demandReset).eventType).toBe('3.0.0.0');
    expect(endDeviceEventOfInstance(demandReset, { eventCodes: { 'Demand Reset': '3.8.0.215' } }).eventType).toBe('3.8.0.215');
    expect(EndDeviceEventSchema.safeParse({ mRID: MRID, ...endDeviceEventOfInstance(demandReset) }).success).toBe(true);
  });

  it('back to 3.0 and round trip at the canonical level', () => {
    for (const instance of [tamper, demandReset]) {
      const event = endDeviceEventOfInstance(instance);
      expect(endDeviceEventOfInstance(eventInstanceOfEndDeviceEvent(event))).toEqual(event);
    }
    expect(eventInstanceOfEndDeviceEvent(endDeviceEventOfInstance(tamper))).toEqual({
      meterNo: '1001',
      serviceType: 'Electric',
      meterEvent: { text: 'Tamper detected', codeString: '3.12.0.257' },
      timeStamp: '2024-05-02T11:00:00.000Z',
    });
  });

  it('an instance without meter or time is refused; a bad configured code is refused', () => {
    expect(inputErrorOf(() => endDeviceEventOfInstance({ ...tamper, meterNo: undefined })).message).toBe('eventInstance/meterNo: is required (or meterID) to name the meter');
    expect(inputErrorOf(() => endDeviceEventOfInstance(demandReset, { eventCodes: { 'Demand Reset': 'reset' } })).message).toBe(
      'eventInstance/meterEvent: the configured code "reset" for "Demand Reset" is not a 4-part code',
    );
  });
});

function fail(): never {
  throw new Error('fixture element missing');
}
