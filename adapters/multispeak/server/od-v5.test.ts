import { describe, expect, it } from 'vitest';
import { EventType, type CloudEvent } from '../../../canonical/index.js';
import { replyText, resultOf, testDispatcher, v5Request } from '../testing/v5-endpoints.js';
import { defineEndpoint } from './endpoint.js';
import type { InboundRequest } from './inbound.js';
import { outageDetectionOperationsV5 } from './od-v5.js';

const OMS = { name: 'oms5', userId: 'oms5', password: 'oms5-secret' };
const CALLBACK = 'https://oms.example.org/NOT_Server';
const OD = 'http://www.multispeak.org/V5.0/wsdl/OD_Server';
const GUID = '6a1f0c2e-5b3d-4e7f-9a8b-1c2d3e4f5a6b';

function setup() {
  const published: CloudEvent[] = [];
  const recorded: InboundRequest[] = [];
  const endpoint = defineEndpoint(
    '5.0',
    'OD_Server',
    outageDetectionOperationsV5({
      readings: { latestReads: async (meters) => meters.map((meter) => (meter.name === '1005' || meter.name === '1006' ? [] : undefined)) },
      limits: { maxMetersPerRequest: 5, pageSize: 10 },
      publish: async (events) => void published.push(...events),
      sourceOf: (partner) => `/adapters/multispeak/${partner}`,
      inbound: { record: async (request) => void recorded.push(request) },
      callbacks: { allowedPrefixes: (partner) => (partner === 'oms5' ? ['https://oms.example.org/'] : []) },
    }),
  );
  const dispatcher = testDispatcher(OMS);
  const initiate = (meterIds: string, transactionId: string, responseUrl = CALLBACK) =>
    dispatcher.dispatch({
      endpoint,
      body: v5Request(
        `<od:InitiateOutageDetectionEventRequests xmlns:od="${OD}"><od:ArrayOfMeterID>${meterIds}</od:ArrayOfMeterID><od:requestDate>2024-05-01T14:09:00Z</od:requestDate>` +
          `<od:responseURL>${responseUrl}</od:responseURL><od:transactionID>${transactionId}</od:transactionID><od:expirationTime>2024-05-01T14:20:00Z</od:expirationTime></od:InitiateOutageDetectionEventRequests>`,
        { systemID: 'oms5', password: OMS.password },
      ),
    });
  return { published, recorded, initiate };
}

describe('5.0 OD_Server InitiateOutageDetectionEventRequests', () => {
  it('publishes one request for the known meters, records it with the GUIDs given, and names each refused meter in the Result', async () => {
    const { published, recorded, initiate } = setup();
    const reply = await initiate(
      `<arr:meterID meterName="1005">${GUID}</arr:meterID><arr:meterID meterName="1006"/><arr:meterID meterName="9999"/><arr:meterID meterName="1005"/><arr:meterID>${GUID}</arr:meterID>`,
      'OMS-1',
    );
    expect(reply.status).toBe(200);
    expect(replyText(reply)).toContain(`<InitiateOutageDetectionEventRequestsResponse xmlns="${OD}"/>`);
    expect(published).toHaveLength(1);
    const [event] = published;
    expect(event).toMatchObject({ type: EventType.OutageDetectionRequested, correlationid: 'OMS-1', source: '/adapters/multispeak/oms5' });
    expect(event?.data).toEqual({ meters: [{ name: '1005', nameType: 'multispeak:meterNo' }, { name: '1006', nameType: 'multispeak:meterNo' }], expiresAt: '2024-05-01T14:20:00.000Z' });
    expect(recorded).toEqual([
      {
        partner: 'oms5',
        version: '5.0',
        operation: 'InitiateOutageDetectionEventRequests',
        transactionId: 'OMS-1',
        objectIds: ['1005', '1006'],
        responseUrl: CALLBACK,
        deadline: new Date('2024-05-01T14:20:00Z'),
        at: new Date('2024-05-01T14:10:00Z'),
        context: { requestId: event?.id, meterGuids: { '1005': GUID } },
      },
    ]);
    const result = resultOf(reply);
    expect(result.level).toBe('Warning');
    expect(result.errors.map((error) => [error.referenceID, error.code])).toEqual([
      ['1005', '2.3'],
      [GUID, '1.1'],
      ['9999', '2.1'],
    ]);
  });

  it('unknown meters only: a Fatal Result, nothing recorded or published', async () => {
    const { published, recorded, initiate } = setup();
    const result = resultOf(await initiate('<arr:meterID meterName="9998"/><arr:meterID meterName="9999"/>', 'OMS-2'));
    expect([result.code, result.level]).toEqual(['2.1', 'Fatal']);
    expect([published, recorded]).toEqual([[], []]);
  });

  it('a responseURL outside the allow-list (category 7), no meter or too many meters (1, 3) refuse the request; nothing is recorded or published', async () => {
    const { published, recorded, initiate } = setup();
    expect(resultOf(await initiate('<arr:meterID meterName="1005"/>', 'OMS-3', 'http://169.254.169.254/latest/meta-data')).code).toBe('7.0');
    expect(resultOf(await initiate('', 'OMS-4')).code).toBe('1.0');
    expect(resultOf(await initiate('<arr:meterID meterName="1"/>'.repeat(6), 'OMS-5')).code).toBe('3.0');
    expect([published, recorded]).toEqual([[], []]);
  });
});
