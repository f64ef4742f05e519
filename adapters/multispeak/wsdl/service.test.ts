import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../contract.js';
import { attribute, childrenNamed, parseXml, type XmlElement } from '../xml/index.js';
import { serviceWsdl, WSDL_OPERATIONS, type WsdlVersion } from './index.js';

const XS = 'http://www.w3.org/2001/XMLSchema';
const LOCATION = 'https://hub.example.org/multispeak/v3/MR_Server';

/** The operations each endpoint must describe, as the hub serves them (multispeak.md §6, §7). */
const EXPECTED: Record<WsdlVersion, Record<string, string[]>> = {
  '3.0': {
    MR_Server: [
      'PingURL',
      'GetMethods',
      'GetLatestReadingByMeterNo',
      'GetReadingsByMeterNo',
      'GetReadingsByDate',
      'GetLatestReadings',
      'InitiateMeterReadByMeterNumber',
      'MeterAddNotification',
      'MeterChangedNotification',
      'MeterRemoveNotification',
      'MeterExchangeNotification',
      'ServiceLocationChangedNotification',
      'CustomerChangedNotification',
    ],
    CD_Server: ['PingURL', 'GetMethods', 'GetCDSupportedMeters', 'GetCDMeterState', 'InitiateConnectDisconnect', 'InitiateCDStateRequest'],
    OD_Server: ['PingURL', 'GetMethods', 'InitiateOutageDetectionEventRequest', 'GetOutagedODDevices'],
    CB_Server: ['PingURL', 'GetMethods', 'ReadingChangedNotification', 'CDStateChangedNotification', 'CDStatesChangedNotification', 'MeterEventNotification'],
    OA_Server: ['PingURL', 'GetMethods', 'ODEventNotification'],
  },
  '5.0': {
    MR_Server: ['PingURL', 'GetMethods', 'GetMeterReadingsByMeterIDs', 'GetLatestMeterReadingsByMeterIDs', 'InitiateMeterReadingsByMeterIDs'],
    CD_Server: ['PingURL', 'GetMethods', 'InitiateConnectDisconnect', 'InitiateCDStateRequest'],
    OD_Server: ['PingURL', 'GetMethods', 'InitiateOutageDetectionEventRequests'],
    NOT_Server: ['PingURL', 'GetMethods', 'MeterReadingsNotification', 'CDStatesChangedNotification', 'CDStateNotification', 'EndDeviceEventsNotification', 'EndDeviceStatesNotification', 'ODEventNotification'],
  },
};

const SOAP_ACTION: Record<WsdlVersion, string> = { '3.0': 'http://www.multispeak.org/Version_3.0', '5.0': 'http://www.multispeak.org/Version_5.0_Release' };
const HEADERS: Record<WsdlVersion, { input: string; output: string }> = {
  '3.0': { input: 'MultiSpeakMsgHeader', output: 'MultiSpeakMsgHeader' },
  '5.0': { input: 'MultiSpeakRequestMsgHeader', output: 'MultiSpeakResponseMsgHeader' },
};

function named(parent: XmlElement | undefined, child: string, name: string): XmlElement {
  const found = childrenNamed(parent, child).find((element) => attribute(element, 'name') === name);
  if (found === undefined) throw new Error(`no ${child} named ${name}`);
  return found;
}

function localPart(qname: string | undefined): string | undefined {
  return qname?.slice(qname.indexOf(':') + 1);
}

function schemaOf(definitions: XmlElement, namespace: string): XmlElement | undefined {
  return childrenNamed(childrenNamed(definitions, 'types')[0], 'schema').find((schema) => attribute(schema, 'targetNamespace') === namespace);
}

const cases = Object.entries(EXPECTED).flatMap(([version, endpoints]) =>
  Object.entries(endpoints).map(([endpoint, operations]) => ({ version: version === '3.0' ? ('3.0' as const) : ('5.0' as const), endpoint, operations })),
);

describe('serviceWsdl: every operation of every endpoint', () => {
  it('WSDL_OPERATIONS lists exactly the operations the hub serves', () => {
    expect(WSDL_OPERATIONS).toEqual(EXPECTED);
  });

  it.each(cases)('$version $endpoint: soapAction, messages, header bindings and elements for each operation', ({ version, endpoint, operations }) => {
    const definitions = parseXml(serviceWsdl({ version, endpoint, operations, location: LOCATION }));
    const target = attribute(definitions, 'targetNamespace');
    expect(target).toBe(version === '3.0' ? 'http://www.multispeak.org/Version_3.0' : `http://www.multispeak.org/V5.0/wsdl/${endpoint}`);
    const portType = named(definitions, 'portType', `${endpoint}Soap`);
    const binding = named(definitions, 'binding', `${endpoint}Soap`);
    // SOAP 1.1 only: one binding, in the WSDL SOAP 1.1 namespace.
    expect(childrenNamed(definitions, 'binding')).toHaveLength(1);
    expect(childrenNamed(binding, 'binding')[0]?.namespace).toBe('http://schemas.xmlsoap.org/wsdl/soap/');
    const operationElements = schemaOf(definitions, target ?? '');
    expect(childrenNamed(portType, 'operation').map((op) => attribute(op, 'name'))).toEqual(operations);
    for (const name of operations) {
      const portOperation = named(portType, 'operation', name);
      for (const [direction, suffix, element] of [
        ['input', 'SoapIn', name],
        ['output', 'SoapOut', `${name}Response`],
      ] as const) {
        const message = localPart(attribute(childrenNamed(portOperation, direction)[0], 'message'));
        expect(message).toBe(`${name}${suffix}`);
        const part = childrenNamed(named(definitions, 'message', message ?? ''), 'part')[0];
        expect(localPart(attribute(part, 'element'))).toBe(element);
        expect(named(operationElements, 'element', element).namespace).toBe(XS);
      }
      const bound = named(binding, 'operation', name);
      expect(attribute(childrenNamed(bound, 'operation')[0], 'soapAction')).toBe(`${SOAP_ACTION[version]}/${name}`);
      expect(attribute(childrenNamed(bound, 'operation')[0], 'style')).toBe('document');
      for (const direction of ['input', 'output'] as const) {
        const io = childrenNamed(bound, direction)[0];
        expect(attribute(childrenNamed(io, 'body')[0], 'use')).toBe('literal');
        const header = childrenNamed(io, 'header')[0];
        expect(attribute(header, 'part')).toBe(HEADERS[version][direction]);
        const headerPart = childrenNamed(named(definitions, 'message', localPart(attribute(header, 'message')) ?? ''), 'part')[0];
        expect(localPart(attribute(headerPart, 'element'))).toBe(HEADERS[version][direction]);
      }
    }
    const address = childrenNamed(childrenNamed(named(definitions, 'service', endpoint), 'port')[0], 'address')[0];
    expect(attribute(address, 'location')).toBe(LOCATION);
  });

  it('describes only the types the chosen operations reach', () => {
    const ping = serviceWsdl({ version: '3.0', endpoint: 'MR_Server', operations: ['PingURL'], location: LOCATION });
    const reads = serviceWsdl({ version: '3.0', endpoint: 'MR_Server', operations: ['PingURL', 'GetLatestReadingByMeterNo'], location: LOCATION });
    expect(ping).not.toContain('name="meterRead"');
    expect(ping).toContain('name="MultiSpeakMsgHeader"');
    expect(reads).toContain('name="meterRead"');
    expect(reads).not.toContain('name="serviceLocation"');
  });

  it('large objects and the 5.0 headers end with a lax wildcard, so fields the hub does not describe pass', () => {
    const lastParticle = (definitions: XmlElement, namespace: string, type: string): XmlElement | undefined => {
      const declared = named(schemaOf(definitions, namespace), 'complexType', type);
      // Derived types carry their sequence inside complexContent/extension.
      const holder = childrenNamed(childrenNamed(childrenNamed(declared, 'complexContent')[0], 'extension')[0], 'sequence')[0] ?? childrenNamed(declared, 'sequence')[0];
      return holder?.children[holder.children.length - 1];
    };
    const v3 = parseXml(serviceWsdl({ version: '3.0', endpoint: 'MR_Server', operations: WSDL_OPERATIONS['3.0']['MR_Server'] ?? [], location: LOCATION }));
    for (const type of ['meterRead', 'meter', 'serviceLocation', 'customer', 'meterExchange']) {
      const last = lastParticle(v3, 'http://www.multispeak.org/Version_3.0', type);
      expect([type, last?.name, attribute(last, 'processContents'), attribute(last, 'maxOccurs')]).toEqual([type, 'any', 'lax', 'unbounded']);
    }
    const v5 = parseXml(serviceWsdl({ version: '5.0', endpoint: 'NOT_Server', operations: WSDL_OPERATIONS['5.0']['NOT_Server'] ?? [], location: LOCATION }));
    for (const [namespace, type] of [
      ['http://www.multispeak.org/V5.0', 'meterReading'],
      ['http://www.multispeak.org/V5.0', 'CDStateChange'],
      ['http://www.multispeak.org/V5.0', 'endDeviceEvent'],
      ['http://www.multispeak.org/V5.0/ws/request', 'MultiSpeakRequestMsgHeader'],
      ['http://www.multispeak.org/V5.0/ws/response', 'MultiSpeakResponseMsgHeader'],
    ] as const) {
      const last = lastParticle(v5, namespace, type);
      expect([type, last?.name, attribute(last, 'processContents')]).toEqual([type, 'any', 'lax']);
    }
  });

  it('3.0 declares the header with its attributes and anyAttribute; 5.0 headers are in ws/request and ws/response', () => {
    const v3 = parseXml(serviceWsdl({ version: '3.0', endpoint: 'CB_Server', operations: ['PingURL'], location: LOCATION }));
    const header = named(schemaOf(v3, 'http://www.multispeak.org/Version_3.0'), 'complexType', 'MultiSpeakMsgHeader');
    expect(childrenNamed(header, 'attribute').map((element) => attribute(element, 'name'))).toEqual(
      expect.arrayContaining(['Version', 'UserID', 'Pwd', 'AppName', 'AppVersion', 'Company', 'ObjectsRemaining', 'LastSent', 'RegistrationID', 'TimeStamp']),
    );
    expect(childrenNamed(header, 'anyAttribute')).toHaveLength(1);
    const v5 = parseXml(serviceWsdl({ version: '5.0', endpoint: 'NOT_Server', operations: ['PingURL'], location: LOCATION }));
    expect(named(schemaOf(v5, 'http://www.multispeak.org/V5.0/ws/request'), 'element', 'MultiSpeakRequestMsgHeader')).toBeDefined();
    expect(named(schemaOf(v5, 'http://www.multispeak.org/V5.0/ws/response'), 'element', 'MultiSpeakResponseMsgHeader')).toBeDefined();
    // The Caller's children live in commonTypes, so the schema that declares them must be there.
    expect(named(schemaOf(v5, 'http://www.multispeak.org/V5.0/commonTypes'), 'complexType', 'Caller')).toBeDefined();
  });
});

describe('serviceWsdl refuses what it cannot describe', () => {
  function configError(run: () => unknown): ConfigError {
    try {
      run();
    } catch (error) {
      if (error instanceof ConfigError) return error;
      throw error;
    }
    throw new Error('no ConfigError');
  }

  it('names the operation it cannot describe', () => {
    const error = configError(() => serviceWsdl({ version: '3.0', endpoint: 'MR_Server', operations: ['PingURL', 'GetReadingsByBillingCycle'], location: LOCATION }));
    expect(error.key).toBe('operations');
    expect(error.message).toContain('"GetReadingsByBillingCycle"');
    // A 5.0 name on a 3.0 endpoint is as unknown as a made-up one.
    expect(configError(() => serviceWsdl({ version: '3.0', endpoint: 'MR_Server', operations: ['GetMeterReadingsByMeterIDs'], location: LOCATION })).message).toContain('GetMeterReadingsByMeterIDs');
  });

  it('an unknown endpoint, no operation, or a location that is not an absolute http(s) URL', () => {
    expect(configError(() => serviceWsdl({ version: '5.0', endpoint: 'CB_Server', operations: ['PingURL'], location: LOCATION })).key).toBe('endpoint');
    expect(configError(() => serviceWsdl({ version: '5.0', endpoint: 'toString', operations: ['PingURL'], location: LOCATION })).key).toBe('endpoint');
    expect(configError(() => serviceWsdl({ version: '3.0', endpoint: 'OA_Server', operations: [], location: LOCATION })).key).toBe('operations');
    expect(configError(() => serviceWsdl({ version: '3.0', endpoint: 'OA_Server', operations: ['PingURL'], location: '/multispeak/OA_Server' })).key).toBe('location');
    expect(configError(() => serviceWsdl({ version: '3.0', endpoint: 'OA_Server', operations: ['PingURL'], location: 'file:///etc/passwd' })).key).toBe('location');
  });

  it('escapes the location into the soap:address attribute', () => {
    const wsdl = serviceWsdl({ version: '3.0', endpoint: 'OA_Server', operations: ['PingURL'], location: 'https://hub.example.org/oa?a=1&b="2"' });
    const definitions = parseXml(wsdl);
    const address = childrenNamed(childrenNamed(named(definitions, 'service', 'OA_Server'), 'port')[0], 'address')[0];
    expect(attribute(address, 'location')).toBe('https://hub.example.org/oa?a=1&b="2"');
  });
});
