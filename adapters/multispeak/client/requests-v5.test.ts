import { describe, expect, it } from 'vitest';
import { connectDisconnectEventOfCommand } from '../v5/index.js';
import { childNamed, parseEnvelope, type RequestHeaderInput } from '../xml/index.js';
import { soapActionOf } from './operations.js';
import { getMethodsV5, initiateConnectDisconnectV5, initiateMeterReadingsByMeterIDsV5, initiateOutageDetectionEventRequestsV5, pingUrlV5 } from './requests-v5.js';

const header: RequestHeaderInput = {
  messageID: 'm-1',
  timeStamp: '2024-05-01T10:00:00Z',
  caller: { appName: 'Busbar', company: 'ExampleCoop', systemID: 'hub', password: 's3cret!' },
};
const ENVELOPE_START = '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">';
const HEADER =
  '<soap:Header><MultiSpeakRequestMsgHeader xmlns="http://www.multispeak.org/V5.0/ws/request" xmlns:com="http://www.multispeak.org/V5.0/commonTypes" MessageID="m-1" TimeStamp="2024-05-01T10:00:00Z">' +
  '<MultiSpeakVersion><com:MajorVersion>5</com:MajorVersion><com:MinorVersion>0</com:MinorVersion><com:Build>7</com:Build></MultiSpeakVersion>' +
  '<Caller><com:AppName>Busbar</com:AppName><com:Company>ExampleCoop</com:Company><com:SystemID>hub</com:SystemID><com:Password>s3cret!</com:Password></Caller>' +
  '</MultiSpeakRequestMsgHeader></soap:Header>';
const golden = (body: string): string => `${ENVELOPE_START}${HEADER}<soap:Body>${body}</soap:Body></soap:Envelope>`;
const V5 = 'http://www.multispeak.org/V5.0';

describe('5.0 requests (multispeak.md §9)', () => {
  it('PingURL and GetMethods are empty elements in the endpoint namespace', () => {
    expect(pingUrlV5('CD', header).envelope).toBe(golden('<PingURL xmlns="http://www.multispeak.org/V5.0/wsdl/CD_Server"/>'));
    expect(getMethodsV5('MR', header).envelope).toBe(golden('<GetMethods xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"/>'));
  });

  it('InitiateMeterReadingsByMeterIDs: ArrayOfMeterID items in commonArrays, meter number in meterName, absolute expiry', () => {
    const request = initiateMeterReadingsByMeterIDsV5(header, [{ meterName: '1001' }, { guid: '0a1b2c3d-0000-4000-8000-000000000001' }], {
      responseURL: 'https://hub/not',
      transactionID: 'tx-6',
      expirationTime: '2024-05-01T11:00:00.000Z',
      responseMethod: 'MeterReadingsNotification',
    });
    expect(request.endpoint).toBe('MR');
    expect(request.envelope).toBe(
      golden(
        '<InitiateMeterReadingsByMeterIDs xmlns="http://www.multispeak.org/V5.0/wsdl/MR_Server"><ArrayOfMeterID>' +
          '<meterID xmlns="http://www.multispeak.org/V5.0/commonArrays" meterName="1001"/>' +
          '<meterID xmlns="http://www.multispeak.org/V5.0/commonArrays">0a1b2c3d-0000-4000-8000-000000000001</meterID>' +
          '</ArrayOfMeterID><responseURL>https://hub/not</responseURL><transactionID>tx-6</transactionID><expirationTime>2024-05-01T11:00:00Z</expirationTime>' +
          '<responseMethod>MeterReadingsNotification</responseMethod></InitiateMeterReadingsByMeterIDs>',
      ),
    );
  });

  it('InitiateOutageDetectionEventRequests: ArrayOfMeterID, requestDate, then the Initiate fields', () => {
    const request = initiateOutageDetectionEventRequestsV5(header, [{ meterName: '1001' }], {
      responseURL: 'https://hub/not',
      transactionID: 'tx-7',
      expirationTime: '2024-05-01T11:00:00Z',
      requestDate: '2024-05-01T10:00:00Z',
    });
    expect(request.endpoint).toBe('OD');
    expect(request.envelope).toBe(
      golden(
        '<InitiateOutageDetectionEventRequests xmlns="http://www.multispeak.org/V5.0/wsdl/OD_Server"><ArrayOfMeterID><meterID xmlns="http://www.multispeak.org/V5.0/commonArrays" meterName="1001"/></ArrayOfMeterID>' +
          '<requestDate>2024-05-01T10:00:00Z</requestDate><responseURL>https://hub/not</responseURL><transactionID>tx-7</transactionID><expirationTime>2024-05-01T11:00:00Z</expirationTime></InitiateOutageDetectionEventRequests>',
      ),
    );
  });

  it('InitiateConnectDisconnect: the events in commonArrays with core children, readingRequested last', () => {
    const event = connectDisconnectEventOfCommand(
      { action: 'disconnect', meter: { name: '1001', nameType: 'multispeak:meterNo' }, reason: 'nonPayment' },
      { issuedAt: '2024-05-01T10:00:00Z', referableID: 'req-1' },
    );
    const request = initiateConnectDisconnectV5(header, [event], { responseURL: 'https://hub/not', transactionID: 'tx-5', expirationTime: '2024-05-01T11:00:00Z', readingRequested: true });
    expect(request.endpoint).toBe('CD');
    expect(request.envelope).toBe(
      golden(
        '<InitiateConnectDisconnect xmlns="http://www.multispeak.org/V5.0/wsdl/CD_Server"><ArrayOfConnectDisconnectEvent>' +
          `<connectDisconnectEvent xmlns="http://www.multispeak.org/V5.0/commonArrays" referableID="req-1"><timeStamp xmlns="${V5}">2024-05-01T10:00:00Z</timeStamp>` +
          `<CDDeviceIdentifier xmlns="${V5}"><meterID meterName="1001"/></CDDeviceIdentifier><loadActionCode xmlns="${V5}">Disconnect</loadActionCode><CDReasonCode xmlns="${V5}">NonPayment</CDReasonCode></connectDisconnectEvent>` +
          '</ArrayOfConnectDisconnectEvent><responseURL>https://hub/not</responseURL><transactionID>tx-5</transactionID><expirationTime>2024-05-01T11:00:00Z</expirationTime>' +
          '<readingRequested>true</readingRequested></InitiateConnectDisconnect>',
      ),
    );
  });

  it('reads back as a 5.0 message for the endpoint, with the Caller credentials', () => {
    const envelope = parseEnvelope(initiateMeterReadingsByMeterIDsV5(header, [{ meterName: '1001' }], { responseURL: 'https://hub/not', transactionID: 't', expirationTime: '2024-05-01T11:00:00Z' }).envelope);
    expect(envelope.version).toBe('5.0');
    expect(envelope.endpointFromNamespace).toBe('MR_Server');
    expect(envelope.multiSpeakHeader).toMatchObject({ kind: 'MultiSpeakRequestMsgHeader', messageID: 'm-1', caller: { systemID: 'hub', password: 's3cret!', appName: 'Busbar' } });
    expect(childNamed(envelope.body, 'ArrayOfMeterID')?.children[0]?.namespace).toBe('http://www.multispeak.org/V5.0/commonArrays');
    expect(envelope.warnings).toEqual([]);
  });

  it('announces SOAPAction "<body namespace>/<Op>" by default, the WSDL form on request (§2)', () => {
    expect(soapActionOf('5.0', 'CD', 'InitiateConnectDisconnect')).toBe('"http://www.multispeak.org/V5.0/wsdl/CD_Server/InitiateConnectDisconnect"');
    expect(soapActionOf('5.0', 'MR', 'GetMethods', 'wsdl')).toBe('"http://www.multispeak.org/Version_5.0_Release/GetMethods"');
  });
});
