import { describe, expect, it } from 'vitest';
import type { Reference } from '../../../canonical/index.js';
import { replyText, resultOf, testDispatcher, v5Request, V5_NAMESPACES } from '../testing/v5-endpoints.js';
import { attribute, childNamed, childrenNamed, childText, parseXml } from '../xml/index.js';
import { cdStateNotificationContent, cdStateOfConnection, cdStateOperationsV5 } from './cd-state-v5.js';
import type { ConnectionState } from './cd-v3.js';
import { defineEndpoint } from './endpoint.js';
import type { InboundRequest } from './inbound.js';
import type { PartnerCallback } from './mr-initiate-v3.js';

const CIS = { name: 'cis5', userId: 'cis5', password: 'cis5-secret' };
const CALLBACK = 'https://cis.example.org/NOT_Server';
const GUID = '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b';

/** The connection state of each meter's usage point, by meter name; absent: an unknown meter. */
const STATES = new Map<string, ConnectionState | null>([
  ['2001', 'connected'],
  ['2002', 'physicallyDisconnected'],
  ['2003', 'logicallyDisconnected'],
  ['2004', null],
  [GUID, 'physicallyDisconnected'],
]);

function setup() {
  const recorded: InboundRequest[] = [];
  const owed: PartnerCallback[] = [];
  const looked: Reference[] = [];
  const endpoint = defineEndpoint(
    '5.0',
    'CD_Server',
    cdStateOperationsV5({
      switchStates: {
        connectionStateOf: async (meter) => {
          looked.push(meter);
          return STATES.get(meter.name ?? '');
        },
      },
      limits: { maxMetersPerRequest: 10 },
      inbound: { record: async (request) => void recorded.push(request) },
      callbacks: { allowedPrefixes: (partner) => (partner === 'cis5' ? ['https://cis.example.org/'] : []) },
      deferred: { later: (callback) => void owed.push(callback) },
    }),
  );
  const dispatcher = testDispatcher(CIS);
  const initiate = (meterIDs: string, tail: string) =>
    dispatcher.dispatch({
      endpoint,
      body: v5Request(`<cd:InitiateCDStateRequest xmlns:cd="${V5_NAMESPACES.CD}"><cd:ArrayOfMeterID>${meterIDs}</cd:ArrayOfMeterID>${tail}</cd:InitiateCDStateRequest>`, { systemID: 'cis5', password: CIS.password }),
    });
  return { recorded, owed, looked, initiate };
}

const meterID = (name: string) => `<arr:meterID meterName="${name}"/>`;
const tail = (transactionId: string, responseUrl = CALLBACK) =>
  `<cd:responseURL>${responseUrl}</cd:responseURL><cd:transactionID>${transactionId}</cd:transactionID><cd:expirationTime>2024-05-01T15:10:00Z</cd:expirationTime>`;

describe('5.0 CD_Server InitiateCDStateRequest', () => {
  it('answers the empty response with an errorObject for the unknown meter, records the request and owes a CDState per known meter', async () => {
    const { recorded, owed, initiate } = setup();
    const reply = await initiate(meterID('2001') + meterID('2002') + meterID('2003') + meterID('2004') + meterID('9999') + `<arr:meterID>${GUID}</arr:meterID>`, tail('CIS-S1'));
    const result = resultOf(reply);
    expect(result.body.name).toBe('InitiateCDStateRequestResponse');
    expect([result.code, result.level]).toEqual(['2.1', 'Warning']);
    expect(result.errors.map((error) => [error.referenceID, error.nounType, error.message])).toEqual([['9999', 'meterID', 'meter "9999" is not known']]);
    expect(replyText(reply)).toContain('1 of 6 meterIDs were not taken');
    expect(recorded.map((request) => [request.version, request.operation, request.transactionId, request.objectIds, request.responseUrl])).toEqual([
      ['5.0', 'InitiateCDStateRequest', 'CIS-S1', ['2001', '2002', '2003', '2004', GUID], CALLBACK],
    ]);
    expect(owed.map(({ content: _content, ...callback }) => callback)).toEqual([
      { version: '5.0', partner: 'cis5', transactionId: 'CIS-S1', responseUrl: CALLBACK, operation: 'CDStateNotification', objectIds: ['2001', '2002', '2003', '2004', GUID] },
    ]);
    const notification = parseXml(`<CDStateNotification xmlns="${V5_NAMESPACES.NOT}">${owed[0]?.content}</CDStateNotification>`);
    const states = childrenNamed(childNamed(notification, 'ArrayOfCDState'), 'CDState');
    expect(
      states.map((state) => {
        const id = childNamed(childNamed(state, 'CDDeviceIdentifier'), 'meterID');
        return [attribute(id, 'meterName') ?? id?.text, childText(state, 'RCDState'), childText(state, 'timeStamp')];
      }),
    ).toEqual([
      ['2001', 'Connected', '2024-05-01T14:10:00Z'],
      ['2002', 'Disconnected', '2024-05-01T14:10:00Z'],
      // Off the books, the switch still closed.
      ['2003', 'Connected', '2024-05-01T14:10:00Z'],
      // A meter serving no usage point has no switch state the hub knows.
      ['2004', 'Unknown', '2024-05-01T14:10:00Z'],
      [GUID, 'Disconnected', '2024-05-01T14:10:00Z'],
    ]);
    expect(states.every((state) => state.namespace === V5_NAMESPACES.arrays && childNamed(state, 'RCDState')?.namespace === V5_NAMESPACES.core)).toBe(true);
    expect(childText(notification, 'transactionID')).toBe('CIS-S1');
  });

  it('a repeated meter is answered once; only unknown meters record and owe nothing', async () => {
    const { recorded, owed, initiate } = setup();
    const repeated = resultOf(await initiate(meterID('2001') + meterID('2001'), tail('CIS-S2')));
    expect(repeated.errors.map((error) => [error.referenceID, error.code])).toEqual([['2001', '2.3']]);
    expect(owed.map((callback) => callback.objectIds)).toEqual([['2001']]);
    const unknown = resultOf(await initiate(meterID('9998'), tail('CIS-S3')));
    expect([unknown.code, unknown.level]).toEqual(['2.1', 'Fatal']);
    expect(recorded.map((request) => request.transactionId)).toEqual(['CIS-S2']);
    expect(owed).toHaveLength(1);
  });

  it('a responseURL outside the allow-list or an empty ArrayOfMeterID is refused as a whole; no state is looked up', async () => {
    const { recorded, owed, looked, initiate } = setup();
    expect(resultOf(await initiate(meterID('2001'), tail('CIS-S4', 'http://10.0.0.1/NOT_Server'))).code).toBe('7.0');
    expect(resultOf(await initiate('', tail('CIS-S5'))).code).toBe('1.0');
    expect([recorded, owed, looked]).toEqual([[], [], []]);
  });
});

describe('cdStateNotificationContent', () => {
  it('writes the CDStates in the commonArrays namespace, their children in the core namespace, then the transactionID', () => {
    const state = cdStateOfConnection({ meterName: '2001' }, 'connected', '2024-05-01T14:10:00.000Z');
    expect(cdStateNotificationContent([state], 'T&1')).toBe(
      `<ArrayOfCDState><CDState xmlns="${V5_NAMESPACES.arrays}"><CDDeviceIdentifier xmlns="${V5_NAMESPACES.core}"><meterID meterName="2001"/></CDDeviceIdentifier>` +
        `<RCDState xmlns="${V5_NAMESPACES.core}">Connected</RCDState><timeStamp xmlns="${V5_NAMESPACES.core}">2024-05-01T14:10:00Z</timeStamp></CDState></ArrayOfCDState><transactionID>T&amp;1</transactionID>`,
    );
  });
});
