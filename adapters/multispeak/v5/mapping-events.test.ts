import { describe, expect, it } from 'vitest';
import { ConnectDisconnectCommandSchema, ConnectDisconnectResultSchema, SwitchStateReportedSchema, EndDeviceEventSchema, ReadingTypeCodes } from '../../../canonical/index.js';
import { actionOfLoadActionCode5, cdReasonCodeOfReason, reasonOfCdReasonCode, stateOfLoadActionCode5, stateOfRcdState5 } from '../mapping-connect-disconnect.js';
import { inputErrorOf } from '../testing/errors.js';
import { fixtureTree } from '../testing/tree.js';
import { childrenNamed, descendant, type XmlElement } from '../xml/element.js';
import { cdStateChangeOfResult, cdStateOfSwitchState, commandOfConnectDisconnectEvent, connectDisconnectEventOfCommand, resultOfCdStateChange, switchStateOfCdState, switchStateReportOfCdStateChange } from './mapping-connect-disconnect.js';
import { canonicalOfEndDeviceEvent, endDeviceEventOfCanonical } from './mapping-end-device-event.js';
import { endDeviceEventTypeRefsOf, readCdState, readCdStateChange, readConnectDisconnectEvent, readEndDeviceEvent } from './read-events.js';
import { CD_REASON_CODES, LOAD_ACTION_CODES, RCD_STATES } from './records.js';

const MRID = '0190a0e1-0000-7000-8000-000000000001';
const body = fixtureTree('v5-events.xml');
const all = (...path: string[]): XmlElement[] => childrenNamed(descendant(body, ...path.slice(0, -1)), path[path.length - 1] ?? '');
const pick = <T>(list: readonly T[], index: number): T => {
  const item = list[index];
  if (item === undefined) throw new Error(`fixture v5-events.xml lacks item ${index + 1}`);
  return item;
};
const cdEvents = all('InitiateConnectDisconnect', 'ArrayOfConnectDisconnectEvent', 'connectDisconnectEvent').map((element) => readConnectDisconnectEvent(element).record);
const changes = all('CDStatesChangedNotification', 'ArrayOfCDStateChange', 'CDStateChange').map((element) => readCdStateChange(element).record);
const states = all('GetCDDeviceStatesResponse', 'ArrayOfCDState', 'CDState').map((element) => readCdState(element).record);
const list = descendant(body, 'EndDeviceEventsNotification', 'ArrayOfEndDeviceEventList', 'endDeviceEventList');
const refs = list === undefined ? new Map() : endDeviceEventTypeRefsOf(list);
const deviceEvents = childrenNamed(descendant(list, 'endDeviceEvents'), 'endDeviceEvent').map((element) => readEndDeviceEvent(element, undefined, undefined, refs).record);
const meter1001 = { name: '1001', nameType: 'multispeak:meterNo' };

describe('5.0 enumerations ⇄ canonical connect/disconnect', () => {
  it('loadActionCode as action and as state change, RCDState, CDReasonCode: each literal maps or is an InputError', () => {
    const attempt = (run: () => unknown): unknown => {
      try {
        return run();
      } catch {
        return 'error';
      }
    };
    expect(LOAD_ACTION_CODES.map((value) => [value, attempt(() => actionOfLoadActionCode5({ value })), attempt(() => stateOfLoadActionCode5({ value }))])).toEqual([
      ['Unknown', 'error', 'unknown'],
      ['Connect', 'connect', 'connected'],
      ['Disconnect', 'disconnect', 'disconnected'],
      ['InitiatePowerLimitation', 'error', 'error'],
      ['CancelPowerLimitation', 'error', 'error'],
      ['Arm', 'arm', 'armed'],
      ['Enable', 'error', 'error'],
      ['Disable', 'error', 'error'],
      ['Other', 'error', 'error'],
    ]);
    expect(RCD_STATES.map((value) => attempt(() => stateOfRcdState5({ value })))).toEqual(['unknown', 'connected', 'disconnected', 'armed', 'error', 'error', 'error', 'error', 'error']);
    expect(CD_REASON_CODES.map((value) => reasonOfCdReasonCode({ value }))).toEqual([
      undefined,
      'ppmBalanceNegative',
      'ppmBalancePositive',
      'nonPayment',
      'serviceInactive',
      'paymentAgreement',
      'paymentReceived',
      'newCustomer',
      'serviceRestored',
      'serviceReconnected',
      'other',
    ]);
    for (const value of CD_REASON_CODES.filter((code) => code !== 'Unknown')) {
      const reason = reasonOfCdReasonCode({ value });
      if (reason !== undefined) expect(cdReasonCodeOfReason(reason)).toEqual({ value });
    }
  });
});

describe('5.0 connectDisconnectEvent ⇄ canonical command', () => {
  it('golden: disconnect meter 1001 at service point, for the account, for non-payment, issued at its timeStamp', () => {
    const mapped = commandOfConnectDisconnectEvent(pick(cdEvents, 0), { expiresAt: '2024-05-01T15:00:00.000Z', readingRequested: true });
    expect(mapped).toEqual({
      command: {
        action: 'disconnect',
        meter: meter1001,
        usagePoint: { name: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', nameType: 'multispeak:servicePointGUID' },
        account: { name: 'AC-3001', nameType: 'multispeak:accountNumber' },
        reason: 'nonPayment',
        expiresAt: '2024-05-01T15:00:00.000Z',
        readingRequested: true,
      },
      issuedAt: '2024-05-01T14:00:00.000Z',
      unmapped: [
        'connectDisconnectEvent/customerID: no place in a canonical command',
        'connectDisconnectEvent/eventReason = collections run 2024-05: no place in a canonical command',
        'connectDisconnectEvent/amountDue = 182.40: no place in a canonical command',
      ],
    });
    expect(ConnectDisconnectCommandSchema.safeParse(mapped.command).success).toBe(true);
  });

  it('back to 5.0 and round trip at the canonical level', () => {
    const { command, issuedAt } = commandOfConnectDisconnectEvent(pick(cdEvents, 0));
    const written = connectDisconnectEventOfCommand(command, { issuedAt, referableID: 'CD-1' });
    expect(written).toEqual({
      referableID: 'CD-1',
      timeStamp: '2024-05-01T14:00:00.000Z',
      errors: [],
      accountID: { primaryIdentifier: { value: 'AC-3001', identifierName: 'accountNumber' } },
      servicePointID: { guid: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' },
      CDDeviceIdentifier: { meterID: { meterName: '1001' } },
      loadActionCode: { value: 'Disconnect' },
      CDReasonCode: { value: 'NonPayment' },
    });
    expect(commandOfConnectDisconnectEvent(written).command).toEqual(command);
  });

  it('Other with its otherKind is an InputError naming both; a command without a switch is refused', () => {
    expect(inputErrorOf(() => commandOfConnectDisconnectEvent(pick(cdEvents, 1), { path: 'ArrayOfConnectDisconnectEvent/connectDisconnectEvent[2]' })).message).toBe(
      'ArrayOfConnectDisconnectEvent/connectDisconnectEvent[2]/loadActionCode: Other (otherKind "Reconnect") has no canonical connect/disconnect action',
    );
    const { CDDeviceIdentifier: _device, ...noDevice } = pick(cdEvents, 0);
    expect(inputErrorOf(() => commandOfConnectDisconnectEvent(noDevice)).message).toBe('connectDisconnectEvent/CDDeviceIdentifier: is required: it names the switch');
  });

  it('a switch addressed as a CD device keeps that name type both ways', () => {
    const device = { name: 'SW-88', nameType: 'multispeak:CDDeviceID' };
    const written = connectDisconnectEventOfCommand({ action: 'connect', meter: device }, { issuedAt: '2024-05-01T14:00:00.000Z' });
    expect(written.CDDeviceIdentifier).toEqual({ CDDeviceID: { primaryIdentifier: { value: 'SW-88', identifierName: 'CDDeviceID' } } });
    expect(commandOfConnectDisconnectEvent(written).command.meter).toEqual(device);
  });
});

describe('5.0 CDStateChange and CDState ⇄ canonical result and switch state', () => {
  it('golden: the change completes the disconnect, and its reading becomes a service-disconnect read', () => {
    const mapped = resultOfCdStateChange(pick(changes, 0), { requestId: 'req-1', action: 'disconnect' });
    expect(mapped.result).toEqual({ requestId: 'req-1', action: 'disconnect', meter: meter1001, outcome: 'succeeded', state: 'disconnected', completedAt: '2024-05-01T14:05:00.000Z' });
    expect(mapped.reads).toEqual([
      { meter: meter1001, readingType: ReadingTypeCodes.RegisterKwhForward, timeStamp: '2024-05-01T14:05:00.000Z', value: '10440', qualities: [], reason: 'serviceDisconnect' },
    ]);
    expect(ConnectDisconnectResultSchema.safeParse(mapped.result).success).toBe(true);
  });

  it('a change no command asked for is the switch state the device reports, at its timeStamp', () => {
    const report = switchStateReportOfCdStateChange(pick(changes, 0));
    expect(report).toEqual({ meter: meter1001, state: 'disconnected', reportedAt: '2024-05-01T14:05:00.000Z' });
    expect(SwitchStateReportedSchema.safeParse(report).success).toBe(true);
  });

  it('a change with errorObjects failed, with the displayString as reason; back to 5.0 and round trip', () => {
    const failed = resultOfCdStateChange(pick(changes, 1), { requestId: 'req-9', action: 'connect' }).result;
    expect(failed).toEqual({
      requestId: 'req-9',
      action: 'connect',
      meter: { name: '1003', nameType: 'multispeak:meterNo' },
      outcome: 'failed',
      state: 'connected',
      completedAt: '2024-05-01T14:06:00.000Z',
      failureReason: 'switch did not operate',
    });
    const written = cdStateChangeOfResult(failed, { referableID: 'CD-9' });
    expect(written.errors).toEqual([{ referenceID: 'CD-9', nounType: 'CDStateChange', eventTime: '2024-05-01T14:06:00.000Z', displayString: 'switch did not operate' }]);
    expect(resultOfCdStateChange(written, { requestId: 'req-9', action: 'connect' }).result).toEqual(failed);
    const succeeded = resultOfCdStateChange(pick(changes, 0), { requestId: 'req-1' }).result;
    expect(resultOfCdStateChange(cdStateChangeOfResult(succeeded), { requestId: 'req-1' }).result).toEqual(succeeded);
  });

  it('CDState ⇄ switch state; InTransition has no canonical state', () => {
    const state = switchStateOfCdState(pick(states, 0));
    expect(state).toEqual({ meter: meter1001, state: 'disconnected', timeStamp: '2024-05-01T14:05:00.000Z' });
    expect(switchStateOfCdState(cdStateOfSwitchState(state))).toEqual(state);
    expect(inputErrorOf(() => switchStateOfCdState(pick(states, 1), 'ArrayOfCDState/CDState[2]')).message).toBe('ArrayOfCDState/CDState[2]/RCDState: InTransition has no canonical switch state');
  });
});

describe('5.0 endDeviceEvent ⇄ canonical EndDeviceEvent (cim.md §5)', () => {
  it('golden: power down from the four parts, meter by its primary identifier, tracking id and severity', () => {
    const mapped = canonicalOfEndDeviceEvent(pick(deviceEvents, 0), { issuerID: 'headEndA' });
    expect(mapped.event).toEqual({
      eventType: '3.26.0.47',
      createdDateTime: '2024-05-01T08:12:07.000Z',
      meter: meter1001,
      severity: 'major',
      issuerID: 'headEndA',
      issuerTrackingID: 'EV-1',
      details: [{ name: 'eventDescription', value: 'last gasp' }],
    });
    expect(EndDeviceEventSchema.safeParse({ mRID: MRID, ...mapped.event }).success).toBe(true);
    expect(canonicalOfEndDeviceEvent(pick(deviceEvents, 1)).event.eventType).toBe('3.26.0.216');
  });

  it('back to 5.0 and round trip at the canonical level', () => {
    for (const event of deviceEvents) {
      const mapped = canonicalOfEndDeviceEvent(event).event;
      const written = endDeviceEventOfCanonical(mapped);
      expect(written.warnings).toEqual([]);
      expect(canonicalOfEndDeviceEvent(written.record).event).toEqual(mapped);
    }
    expect(endDeviceEventOfCanonical(canonicalOfEndDeviceEvent(pick(deviceEvents, 0)).event).record.endDeviceEventType).toEqual({
      endDeviceType: '3',
      endDeviceDomain: '26',
      endDeviceSubdomain: '0',
      eventOrAction: '47',
      codeString: '3.26.0.47',
    });
  });

  it('a type with neither parts nor a code string is refused; a disagreeing code string is warned about', () => {
    const event = pick(deviceEvents, 0);
    expect(inputErrorOf(() => canonicalOfEndDeviceEvent({ ...event, endDeviceEventType: { endDeviceType: '3', codeString: 'PowerFail' } })).message).toBe(
      'endDeviceEvent/endDeviceEventType: has neither four integer parts nor a 4-part codeString (got "3...", codeString "PowerFail")',
    );
    const mapped = canonicalOfEndDeviceEvent({ ...event, endDeviceEventType: { ...event.endDeviceEventType, codeString: '3.26.0.216' } });
    expect(mapped.event.eventType).toBe('3.26.0.47');
    expect(mapped.warnings).toEqual(['endDeviceEvent/endDeviceEventType: codeString 3.26.0.216 disagrees with the parts 3.26.0.47; the parts are used']);
  });
});
