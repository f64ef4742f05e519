import { describe, expect, it } from 'vitest';
import { inputErrorOf } from '../testing/errors.js';
import { el, fixtureTree, parseTestXml } from '../testing/tree.js';
import { childrenNamed, descendant, type XmlElement } from '../xml/element.js';
import { endDeviceEventTypeRefsOf, readCdState, readCdStateChange, readConnectDisconnectEvent, readEndDeviceEvent } from './read-events.js';
import { writeCdState, writeCdStateChange, writeConnectDisconnectEvent, writeEndDeviceEvent } from './write-events.js';

const body = fixtureTree('v5-events.xml');
const items = (...path: string[]): XmlElement[] => {
  const container = descendant(body, ...path.slice(0, -1));
  return childrenNamed(container, path[path.length - 1] ?? '');
};
const cdEvents = items('InitiateConnectDisconnect', 'ArrayOfConnectDisconnectEvent', 'connectDisconnectEvent');
const stateChanges = items('CDStatesChangedNotification', 'ArrayOfCDStateChange', 'CDStateChange');
const states = items('GetCDDeviceStatesResponse', 'ArrayOfCDState', 'CDState');
const list = descendant(body, 'EndDeviceEventsNotification', 'ArrayOfEndDeviceEventList', 'endDeviceEventList');
const deviceEvents = childrenNamed(descendant(list, 'endDeviceEvents'), 'endDeviceEvent');
const METER_GUID = '8d7e3b7a-0b7c-4f5e-9a41-5f0e2b7c9d10';
const nth = <T>(list: readonly T[], index: number): T => {
  const item = list[index];
  if (item === undefined) throw new Error(`fixture v5-events.xml lacks item ${index + 1}`);
  return item;
};

describe('5.0 connectDisconnectEvent', () => {
  it('golden: event base, customer, account and service point ids, the switch by its meter, action, reason, amount', () => {
    const { record, warnings } = readConnectDisconnectEvent(nth(cdEvents, 0));
    expect(warnings).toEqual([]);
    expect(record).toEqual({
      referableID: 'CD-1',
      timeStamp: '2024-05-01T14:00:00.000Z',
      eventReason: 'collections run 2024-05',
      errors: [],
      customerID: { objectGUID: '0d9b1f4e-2a6c-4c1e-8f7d-3b2a1c0d9e8f', primaryIdentifier: { value: 'C-4001', identifierName: 'custID' } },
      accountID: { objectGUID: '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b', primaryIdentifier: { value: 'AC-3001', identifierName: 'accountNumber' } },
      servicePointID: { guid: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a', serviceType: 'Electric' },
      CDDeviceIdentifier: { meterID: { guid: METER_GUID, meterName: '1001' } },
      loadActionCode: { value: 'Disconnect' },
      CDReasonCode: { value: 'NonPayment' },
      amountDue: { value: '182.40', currencyCode: 'USD' },
    });
  });

  it('a switch addressed as a CD device, and Other with its otherKind', () => {
    expect(readConnectDisconnectEvent(nth(cdEvents, 1)).record).toMatchObject({
      CDDeviceIdentifier: { CDDeviceID: { objectGUID: '3c2b1a09-8f7e-4d6c-9b5a-4f3e2d1c0b9a', primaryIdentifier: { value: 'SW-88', identifierName: 'CDDeviceID' } } },
      loadActionCode: { value: 'Other', otherKind: 'Reconnect' },
      CDReasonCode: { value: 'Other', otherKind: 'Storm' },
    });
  });

  it('the mspEvent timeStamp is required; a CDDeviceIdentifier needs a meterID or a CDDeviceID', () => {
    expect(inputErrorOf(() => readConnectDisconnectEvent(el('connectDisconnectEvent', [el('loadActionCode', 'Connect')]))).message).toBe('connectDisconnectEvent/timeStamp: is required but absent or empty');
    expect(inputErrorOf(() => readConnectDisconnectEvent(el('connectDisconnectEvent', [el('timeStamp', '2024-05-01T14:00:00Z'), el('CDDeviceIdentifier', [])]))).message).toBe(
      'connectDisconnectEvent/CDDeviceIdentifier: has neither meterID nor CDDeviceID',
    );
  });
});

describe('5.0 CDStateChange and CDState', () => {
  it('golden CDStateChange with its event type and the reading taken with it', () => {
    const { record } = readCdStateChange(nth(stateChanges, 0));
    expect(record).toEqual({
      referableID: 'CD-1',
      timeStamp: '2024-05-01T14:05:00.000Z',
      errors: [],
      CDDeviceIdentifier: { meterID: { guid: METER_GUID, meterName: '1001' } },
      stateChange: { value: 'Disconnect' },
      endDeviceEventType: { endDeviceType: '3', endDeviceDomain: '31', endDeviceSubdomain: '0', eventOrAction: '68' },
      meterReading: {
        meterID: { guid: METER_GUID, meterName: '1001' },
        readingValues: [{ value: '10440', timeStamp: '2024-05-01T14:05:00.000Z', readingTypeCode: { code: '0.0.0.1.1.1.12.0.0.0.0.0.0.0.0.3.72.0', fields: {} } }],
        errors: [],
      },
    });
  });

  it('a failed change carries its errorObject; CDStates with and without timeStamp', () => {
    expect(readCdStateChange(nth(stateChanges, 1)).record.errors).toEqual([
      { referenceID: 'CD-9', nounType: 'CDStateChange', errorCode: '5.12', eventTime: '2024-05-01T14:06:00.000Z', displayString: 'switch did not operate' },
    ]);
    expect(states.map((state) => readCdState(state).record)).toEqual([
      { CDDeviceIdentifier: { meterID: { guid: METER_GUID, meterName: '1001' } }, RCDState: { value: 'Disconnected' }, timeStamp: '2024-05-01T14:05:00.000Z', errors: [] },
      { CDDeviceIdentifier: { meterID: { meterName: '1003' } }, RCDState: { value: 'InTransition' }, errors: [] },
    ]);
  });

  it('stateChange and RCDState are required and checked against the 5.0 enumerations', () => {
    const device = el('CDDeviceIdentifier', [el('meterID', { meterName: '1' })]);
    expect(inputErrorOf(() => readCdStateChange(el('CDStateChange', [el('timeStamp', '2024-05-01T14:00:00Z'), device]))).message).toBe('CDStateChange/stateChange: is required but absent');
    expect(inputErrorOf(() => readCdState(el('CDState', [device, el('RCDState', 'Opened')]))).message).toBe(
      'CDState/RCDState: unknown value "Opened"; expected one of Unknown, Connected, Disconnected, Armed, Enabled, Disabled, InTransition, PowerLimitation, Other',
    );
  });
});

describe('5.0 endDeviceEvent', () => {
  const refs = list === undefined ? new Map() : endDeviceEventTypeRefsOf(list);

  it('golden: device reference, the 4-part type as attributes, severity', () => {
    expect(readEndDeviceEvent(nth(deviceEvents, 0), undefined, undefined, refs).record).toEqual({
      referableID: 'EV-1',
      timeStamp: '2024-05-01T08:12:07.000Z',
      eventDescription: 'last gasp',
      errors: [],
      deviceReference: { guid: METER_GUID, noun: 'electricMeter', primaryIdentifierValue: '1001' },
      endDeviceEventType: { endDeviceType: '3', endDeviceDomain: '26', endDeviceSubdomain: '0', eventOrAction: '47' },
      associatedReadingValues: [],
      eventSeverity: 'major',
    });
  });

  it('a type named by endDeviceEventTypeRef resolves through the list; an unknown ref is refused', () => {
    expect(readEndDeviceEvent(nth(deviceEvents, 1), undefined, undefined, refs).record).toMatchObject({
      endDeviceEventType: { endDeviceType: '3', endDeviceDomain: '26', endDeviceSubdomain: '0', eventOrAction: '216', codeString: '3.26.0.216' },
      endDeviceEventTypeRef: 'up',
    });
    expect(inputErrorOf(() => readEndDeviceEvent(nth(deviceEvents, 1), 'endDeviceEvents/endDeviceEvent[2]')).message).toBe(
      'endDeviceEvents/endDeviceEvent[2]/endDeviceEventTypeOption/endDeviceEventTypeRef: "up" names no endDeviceEventTypeItem of the list',
    );
  });
});

describe('5.0 event writers: round trips', () => {
  it('connectDisconnectEvents, CDStateChanges, CDStates and endDeviceEvents read back unchanged', () => {
    for (const event of cdEvents) expect(readConnectDisconnectEvent(parseTestXml(writeConnectDisconnectEvent(readConnectDisconnectEvent(event).record))).record).toEqual(readConnectDisconnectEvent(event).record);
    for (const change of stateChanges) expect(readCdStateChange(parseTestXml(writeCdStateChange(readCdStateChange(change).record))).record).toEqual(readCdStateChange(change).record);
    for (const state of states) expect(readCdState(parseTestXml(writeCdState(readCdState(state).record))).record).toEqual(readCdState(state).record);
    const refs = list === undefined ? new Map() : endDeviceEventTypeRefsOf(list);
    for (const event of deviceEvents) {
      const { endDeviceEventTypeRef: _ref, ...record } = readEndDeviceEvent(event, undefined, undefined, refs).record;
      expect(readEndDeviceEvent(parseTestXml(writeEndDeviceEvent(record))).record).toEqual(record);
    }
  });

  it('objectID children are written in the commonTypes namespace', () => {
    const tree = parseTestXml(writeConnectDisconnectEvent(readConnectDisconnectEvent(nth(cdEvents, 0)).record));
    const customer = descendant(tree, 'customerID');
    expect(customer?.namespace).toBe('http://www.multispeak.org/V5.0');
    expect(customer?.children.map((child) => child.namespace)).toEqual(['http://www.multispeak.org/V5.0/commonTypes', 'http://www.multispeak.org/V5.0/commonTypes']);
  });
});
