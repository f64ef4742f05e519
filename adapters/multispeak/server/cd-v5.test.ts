import { describe, expect, it } from 'vitest';
import { EventType, type CloudEvent } from '../../../canonical/index.js';
import { replyText, resultOf, testDispatcher, v5Request, V5_NAMESPACES } from '../testing/v5-endpoints.js';
import { connectDisconnectOperationsV5 } from './cd-v5.js';
import { defineEndpoint } from './endpoint.js';
import type { InboundRequest } from './inbound.js';

const CIS = { name: 'cis5', userId: 'cis5', password: 'cis5-secret' };
const CALLBACK = 'https://cis.example.org/NOT_Server';

function setup() {
  const published: CloudEvent[] = [];
  const recorded: InboundRequest[] = [];
  const endpoint = defineEndpoint(
    '5.0',
    'CD_Server',
    connectDisconnectOperationsV5({
      publish: async (events) => void published.push(...events),
      sourceOf: (partner) => `/adapters/multispeak/${partner}`,
      inbound: { record: async (request) => void recorded.push(request) },
      callbacks: { allowedPrefixes: (partner) => (partner === 'cis5' ? ['https://cis.example.org/'] : []) },
    }),
  );
  const dispatcher = testDispatcher(CIS);
  const initiate = (events: string, tail: string) =>
    dispatcher.dispatch({
      endpoint,
      body: v5Request(`<cd:InitiateConnectDisconnect xmlns:cd="${V5_NAMESPACES.CD}"><cd:ArrayOfConnectDisconnectEvent>${events}</cd:ArrayOfConnectDisconnectEvent>${tail}</cd:InitiateConnectDisconnect>`, { systemID: 'cis5', password: CIS.password }),
    });
  return { published, recorded, initiate };
}

const disconnect1005 =
  `<arr:connectDisconnectEvent referableID="E-1"><msp:timeStamp>2024-05-01T14:00:00Z</msp:timeStamp>` +
  `<msp:accountID><com:objectGUID>6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b</com:objectGUID><com:primaryIdentifier identifierName="accountNumber">AC-3001</com:primaryIdentifier></msp:accountID>` +
  `<msp:CDDeviceIdentifier><msp:meterID meterName="1005"/></msp:CDDeviceIdentifier><msp:loadActionCode>Disconnect</msp:loadActionCode><msp:CDReasonCode>NonPayment</msp:CDReasonCode></arr:connectDisconnectEvent>`;
const withoutAction = `<arr:connectDisconnectEvent referableID="E-2"><msp:timeStamp>2024-05-01T14:00:00Z</msp:timeStamp><msp:CDDeviceIdentifier><msp:meterID meterName="1006"/></msp:CDDeviceIdentifier></arr:connectDisconnectEvent>`;
const tail = (transactionId: string, responseUrl = CALLBACK, expirationTime = '2024-05-01T15:10:00Z') =>
  `<cd:responseURL>${responseUrl}</cd:responseURL><cd:transactionID>${transactionId}</cd:transactionID><cd:expirationTime>${expirationTime}</cd:expirationTime><cd:readingRequested>true</cd:readingRequested>`;

describe('5.0 CD_Server InitiateConnectDisconnect', () => {
  it('records the request, publishes one command per event and names the refused event in the Result (golden response)', async () => {
    const { published, recorded, initiate } = setup();
    const reply = await initiate(disconnect1005 + withoutAction, tail('CIS-1'));
    expect(published).toHaveLength(1);
    const [command] = published;
    expect(command).toMatchObject({ type: EventType.ConnectDisconnectRequested, subject: '1005', correlationid: 'CIS-1', source: '/adapters/multispeak/cis5' });
    expect(command?.data).toEqual({
      action: 'disconnect',
      meter: { name: '1005', nameType: 'multispeak:meterNo' },
      account: { name: 'AC-3001', nameType: 'multispeak:accountNumber' },
      reason: 'nonPayment',
      expiresAt: '2024-05-01T15:10:00.000Z',
      readingRequested: true,
    });
    expect(recorded).toEqual([
      {
        partner: 'cis5',
        version: '5.0',
        operation: 'InitiateConnectDisconnect',
        transactionId: 'CIS-1',
        objectIds: ['1005'],
        responseUrl: CALLBACK,
        deadline: new Date('2024-05-01T15:10:00Z'),
        at: new Date('2024-05-01T14:10:00Z'),
        context: { requests: { '1005': command?.id }, devices: { '1005': { name: '1005', nameType: 'multispeak:meterNo' } }, referableIds: { '1005': 'E-1' } },
      },
    ]);
    const error = 'InitiateConnectDisconnect/ArrayOfConnectDisconnectEvent/connectDisconnectEvent[2]/loadActionCode: is required in a connect/disconnect command';
    expect(replyText(reply)).toBe(
      `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header>` +
        `<MultiSpeakResponseMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/response" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" MessageID="out-1" TimeStamp="2024-05-01T14:10:00.000Z">` +
        `<MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></MultiSpeakVersion>` +
        `<Caller><com:AppName>Busbar</com:AppName><com:Company>Coop</com:Company></Caller>` +
        `<Result><com:resultIdentifier><com:replyCodeCategory>1</com:replyCodeCategory><com:index>1</com:index></com:resultIdentifier>` +
        `<com:resultDescription>1 of 2 connect/disconnect events could not be taken</com:resultDescription><com:level>Warning</com:level>` +
        `<com:errorObjects><com:errorObject referenceID="E-2" nounType="connectDisconnectEvent"><com:errorCode><com:replyCodeCategory>1</com:replyCodeCategory><com:index>1</com:index></com:errorCode>` +
        `<com:eventTime>2024-05-01T14:10:00.000Z</com:eventTime><com:displayString>${error}</com:displayString></com:errorObject></com:errorObjects></Result>` +
        `</MultiSpeakResponseMsgHeader></soap:Header><soap:Body><InitiateConnectDisconnectResponse xmlns="${V5_NAMESPACES.CD}"/></soap:Body></soap:Envelope>`,
    );
  });

  it('a meter named twice in one request is refused the second time', async () => {
    const { published, initiate } = setup();
    const reply = await initiate(disconnect1005 + disconnect1005.replace('E-1', 'E-3'), tail('CIS-2'));
    expect(published).toHaveLength(1);
    expect(resultOf(reply).errors.map((error) => [error.referenceID, error.code])).toEqual([['E-3', '2.3']]);
  });

  it('a responseURL outside the partner\'s callback addresses is a category 7 Result; nothing is recorded or published', async () => {
    const { published, recorded, initiate } = setup();
    const reply = await initiate(disconnect1005, tail('CIS-3', 'http://169.254.169.254/latest/meta-data'));
    expect(reply.status).toBe(200);
    const result = resultOf(reply);
    expect([result.code, result.level]).toEqual(['7.0', 'Fatal']);
    expect([published, recorded]).toEqual([[], []]);
  });

  it('an expirationTime already past, an empty array and a missing transactionID are refused as a whole (category 1)', async () => {
    const { published, recorded, initiate } = setup();
    const past = await initiate(disconnect1005, tail('CIS-4', CALLBACK, '2024-05-01T14:00:00Z'));
    expect(resultOf(past).code).toBe('1.0');
    expect(replyText(past)).toContain('InitiateConnectDisconnect/expirationTime');
    expect(resultOf(await initiate('', tail('CIS-5'))).code).toBe('1.0');
    const noTransaction = await initiate(disconnect1005, `<cd:responseURL>${CALLBACK}</cd:responseURL><cd:expirationTime>2024-05-01T15:10:00Z</cd:expirationTime>`);
    expect(replyText(noTransaction)).toContain('transactionID is required');
    expect([published, recorded]).toEqual([[], []]);
  });
});
