import { describe, expect, it } from 'vitest';
import type { EndDeviceEvent } from '../../canonical/index.js';
import { parseTestXml } from '../../adapters/multispeak/testing/tree.js';
import { childNamed, childrenNamed, childText } from '../../adapters/multispeak/xml/index.js';
import { endDeviceStatesContent, noResponseOf, odEventNotificationContent } from './outage-callbacks.js';
import type { MultiSpeakTransaction } from './transactions.js';

const silentMeter: EndDeviceEvent = {
  mRID: '0190a0e1-0000-7000-8000-0000000050e1',
  eventType: '3.0.0.0',
  createdDateTime: '2024-05-02T11:30:00.000Z',
  meter: { name: '2004', nameType: 'multispeak:meterNo' },
  issuerID: 'hes5',
  details: [{ name: 'deviceState', value: 'NoResponse' }],
};

const request5: MultiSpeakTransaction = {
  id: '1',
  partner: 'oms5',
  direction: 'inbound',
  version: '5.0',
  operation: 'InitiateOutageDetectionEventRequests',
  transactionId: 'OMS5-1',
  objectIds: ['2004'],
  deadline: new Date('2099-01-01T00:00:00Z'),
  state: 'pending',
  createdAt: new Date('2024-05-02T11:29:00Z'),
  updatedAt: new Date('2024-05-02T11:29:00Z'),
  outcome: { objects: {} },
  callbackCount: 0,
  context: { requestId: 'req-1', meterGuids: { '2004': '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b' } },
};

describe('a ping a meter did not answer, passed on to the partner', () => {
  it('is a device event saying NoResponse (3.0 outageEventType, 5.0 deviceState) that names a meter by number; other device events are not', () => {
    expect(noResponseOf(silentMeter)).toEqual({ kind: 'noResponse', meterNo: '2004', at: '2024-05-02T11:30:00.000Z' });
    expect(noResponseOf({ ...silentMeter, details: [{ name: 'outageEventType', value: 'NoResponse' }] })?.meterNo).toBe('2004');
    expect(noResponseOf({ ...silentMeter, details: [{ name: 'meterEvent', value: 'Tamper' }] })).toBeUndefined();
    expect(noResponseOf({ ...silentMeter, meter: { mRID: '0190a0e1-0000-7000-8000-0000000050e2' } })).toBeUndefined();
  });

  it('3.0: an outageDetectionEvent of type NoResponse for the meter, with the partner\'s transactionID', () => {
    const answer = noResponseOf(silentMeter);
    if (answer === undefined) throw new Error('expected a NoResponse');
    const body = parseTestXml(`<ODEventNotification xmlns="http://www.multispeak.org/Version_3.0">${odEventNotificationContent(answer, 'evt-9', ['2004'], 'OMS-1')}</ODEventNotification>`);
    const [event] = childrenNamed(childNamed(body, 'ODEvents'), 'outageDetectionEvent');
    expect([event?.attributes.get('objectID'), childText(event, 'outageEventType'), childText(event, 'eventTime'), childText(childNamed(event, 'outageLocation'), 'meterNo')]).toEqual(['evt-9/2004', 'NoResponse', '2024-05-02T11:30:00Z', '2004']);
    expect(childText(body, 'transactionID')).toBe('OMS-1');
  });

  it('5.0: an endDeviceState NoResponse naming the meter as the partner did (its GUID echoed)', () => {
    const answer = noResponseOf(silentMeter);
    if (answer === undefined) throw new Error('expected a NoResponse');
    const body = parseTestXml(`<EndDeviceStatesNotification xmlns="http://www.multispeak.org/V5.0/wsdl/NOT_Server">${endDeviceStatesContent(answer, 'evt-9', ['2004'], request5)}</EndDeviceStatesNotification>`);
    const [state] = childrenNamed(childNamed(body, 'ArrayOfEndDeviceState'), 'endDeviceState');
    const reference = childNamed(state, 'deviceReference');
    expect([state?.attributes.get('referableID'), childText(state, 'deviceState'), reference?.attributes.get('primaryIdentifierValue'), reference?.text]).toEqual([
      'evt-9/2004',
      'NoResponse',
      '2004',
      '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b',
    ]);
    expect(childText(body, 'transactionID')).toBe('OMS5-1');
  });
});
