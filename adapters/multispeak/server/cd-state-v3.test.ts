import { describe, expect, it } from 'vitest';
import type { Reference } from '../../../canonical/index.js';
import { childNamed, childrenNamed, childText, MULTISPEAK_30, parseEnvelope, parseXml } from '../xml/index.js';
import { cdStateOperationsV3, rcdStateOf } from './cd-state-v3.js';
import { connectDisconnectOperationsV3, type ConnectionState, type SwitchedMeter, type SwitchStates } from './cd-v3.js';
import type { InboundRequest } from './inbound.js';
import type { PartnerCallback } from './mr-initiate-v3.js';
import { OperationRefused, type OperationAnswer, type OperationRequest } from './types.js';

const RECEIVED_AT = new Date('2024-05-01T14:10:00Z');

function requestOf(operation: string, inner: string): OperationRequest {
  const envelope = parseEnvelope(
    `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Header><MultiSpeakMsgHeader xmlns="${MULTISPEAK_30}" UserID="cis" Pwd="x"/></soap:Header>` +
      `<soap:Body><${operation} xmlns="${MULTISPEAK_30}">${inner}</${operation}></soap:Body></soap:Envelope>`,
  );
  return { version: '3.0', endpoint: 'CD_Server', operation, body: envelope.body, envelope, partner: { name: 'cis', version: '3.0' }, receivedAt: RECEIVED_AT };
}

const initiateBody = (states: string) => `<states>${states}</states><responseURL>https://cis.example.org/CB_Server</responseURL><transactionID>T-1</transactionID><expirationTime>60</expirationTime>`;

function setup(states: ReadonlyMap<string, ConnectionState | null>, meters: readonly SwitchedMeter[] = []) {
  const looked: Reference[] = [];
  const pages: { after: string | undefined; limit: number }[] = [];
  const recorded: InboundRequest[] = [];
  const sent: PartnerCallback[] = [];
  const switchStates: SwitchStates = {
    connectionStateOf: async (meter) => {
      looked.push(meter);
      return meter.name === undefined || !states.has(meter.name) ? undefined : (states.get(meter.name) ?? null);
    },
    switchedMetersPage: async (after, limit) => {
      pages.push({ after, limit });
      return { meters, remaining: 7 };
    },
  };
  const operations = cdStateOperationsV3({
    switchStates,
    limits: { pageSize: 2, maxMetersPerRequest: 3 },
    inbound: { record: async (request) => void recorded.push(request) },
    callbacks: { allowedPrefixes: () => ['https://cis.example.org/'] },
    deferred: { later: (callback) => void sent.push(callback) },
  });
  const meterState = connectDisconnectOperationsV3({ switchStates, publish: async () => undefined, sourceOf: () => 'cis', inbound: { record: async () => undefined }, callbacks: { allowedPrefixes: () => [] } });
  return { operations, meterState, looked, pages, recorded, sent };
}

function contentText(answer: OperationAnswer): string {
  if (typeof answer.content !== 'string') throw new Error('expected a whole answer');
  return answer.content;
}

async function streamedText(answer: OperationAnswer): Promise<string> {
  if (typeof answer.content === 'string') throw new Error('expected a streamed answer');
  let text = answer.content.open;
  for await (const item of answer.content.items) text += item;
  return text + answer.content.close;
}

describe('3.0 CD_Server InitiateCDStateRequest', () => {
  it('answers each connection state with the switch position GetCDMeterState gives (Closed ⇄ Closed, Open ⇄ Opened, Unknown)', async () => {
    const states = new Map<string, ConnectionState | null>([
      ['1', 'connected'],
      ['2', 'physicallyDisconnected'],
      ['3', 'logicallyDisconnected'],
      ['4', null],
    ]);
    const { meterState } = setup(states);
    const positions: [string, string | undefined][] = [];
    for (const meterNo of states.keys()) {
      const answer = await meterState.GetCDMeterState?.(requestOf('GetCDMeterState', `<meterNo>${meterNo}</meterNo>`));
      if (answer === undefined) throw new Error('no answer');
      positions.push([parseXml(contentText(answer)).text, rcdStateOf(states.get(meterNo) ?? null)]);
    }
    expect(positions).toEqual([
      ['Closed', 'Closed'],
      ['Open', 'Opened'],
      ['Closed', 'Closed'],
      ['Unknown', 'Unknown'],
    ]);
  });

  it('looks a meter up by meterID when it has no meterNo, answers a repeated meter once, and records then queues CDStatesNotification', async () => {
    const { operations, looked, recorded, sent } = setup(new Map([['AMR-7', 'physicallyDisconnected']]));
    const answer = await operations.InitiateCDStateRequest?.(
      requestOf('InitiateCDStateRequest', initiateBody(`<CDState objectID="A"><meterID>AMR-7</meterID><serviceType>Electric</serviceType></CDState><CDState objectID="B"><meterID>AMR-7</meterID></CDState>`)),
    );
    expect(looked).toEqual([{ name: 'AMR-7', nameType: 'multispeak:meterID' }]);
    if (answer === undefined) throw new Error('no answer');
    const errors = childrenNamed(parseXml(contentText(answer)), 'errorObject');
    expect(errors.map((error) => [error.attributes.get('objectID'), error.attributes.get('nounType')])).toEqual([['B', 'CDState']]);
    expect(errors[0]?.attributes.get('errorString')).toContain('already in this request');
    expect(recorded).toMatchObject([{ partner: 'cis', operation: 'InitiateCDStateRequest', transactionId: 'T-1', objectIds: ['AMR-7'], responseUrl: 'https://cis.example.org/CB_Server', deadline: new Date('2024-05-01T14:11:00Z') }]);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ operation: 'CDStatesNotification', transactionId: 'T-1', objectIds: ['AMR-7'] });
    const notification = parseXml(`<CDStatesNotification xmlns="${MULTISPEAK_30}">${sent[0]?.content ?? ''}</CDStatesNotification>`);
    const state = childNamed(childNamed(notification, 'states'), 'CDState');
    expect([state?.attributes.get('objectID'), childText(state, 'meterID'), childText(state, 'serviceType'), childText(state, 'RCDState')]).toEqual(['A', 'AMR-7', 'Electric', 'Opened']);
    expect(childText(notification, 'transactionID')).toBe('T-1');
  });

  it('refuses more meters than one request may name, before recording anything', async () => {
    const { operations, recorded, sent } = setup(new Map([['1', 'connected']]));
    const states = ['1', '2', '3', '4'].map((meterNo) => `<CDState><meterNo>${meterNo}</meterNo></CDState>`).join('');
    const refusal = await operations.InitiateCDStateRequest?.(requestOf('InitiateCDStateRequest', initiateBody(states))).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(OperationRefused);
    expect(refusal).toMatchObject({ category: '3' });
    expect([recorded, sent]).toEqual([[], []]);
  });
});

describe('3.0 CD_Server GetCDSupportedMeters', () => {
  it('passes lastReceived and the page size on, writes each meter with its connection status, and names a meter 3.0 cannot carry', async () => {
    const meters: SwitchedMeter[] = [
      { meterNo: 'M-1', meter: { serialNumber: 'M-1', commodity: 'electric', manufacturer: 'Itron', multipliers: [], registers: [] }, connectionState: 'physicallyDisconnected' },
      { meterNo: 'M-2', meter: { serialNumber: 'M-2', commodity: 'electric', multipliers: [{ kind: 'ctRatio', value: '2.5' }], registers: [] }, connectionState: 'connected' },
    ];
    const { operations, pages } = setup(new Map(), meters);
    const answer = await operations.GetCDSupportedMeters?.(requestOf('GetCDSupportedMeters', '<lastReceived>M-0</lastReceived>'));
    if (answer === undefined) throw new Error('no answer');
    expect(pages).toEqual([{ after: 'M-0', limit: 2 }]);
    expect(answer.paging).toEqual({ objectsRemaining: 7, lastSent: 'M-2' });
    const written = childrenNamed(parseXml((await streamedText(answer)).replace('<GetCDSupportedMetersResult>', `<GetCDSupportedMetersResult xmlns="${MULTISPEAK_30}">`)), 'meter');
    expect(written.map((meter) => [meter.attributes.get('objectID'), childText(meter, 'meterNo'), childText(meter, 'meterConnectionStatus')])).toEqual([
      ['M-1', 'M-1', 'Disconnected'],
      ['M-2', 'M-2', 'Connected'],
    ]);
    expect(childText(written[0], 'manufacturer')).toBe('Itron');
    expect(written[1]?.attributes.get('errorString')).toContain('cannot be written as the 3.0 nameplate multiplier');
  });
});
