import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { QualityCodes } from '../quality.js';
import { ReadingTypeCodes } from '../reading-type.js';
import { sampleEventData } from '../testing/samples.js';
import { EVENT_TYPE_NAMES, EventType } from './names.js';
import { dataschemaOf, newEvent, parseDataschema, validateEvent } from './validate.js';

const source = '/adapters/cmep/feedA';
const block = sampleEventData[EventType.IntervalBlockReceived];

function blockEvent() {
  return newEvent(EventType.IntervalBlockReceived, block, { source, subject: 'up-123', time: '2024-01-01T01:00:00Z', correlationid: 'file-20240102-0815' });
}

describe('newEvent', () => {
  it('wraps valid data in an envelope with type, dataschema and a UUIDv7 id', () => {
    const event = blockEvent();
    expect(event.type).toBe('interval_block.received');
    expect(event.dataschema).toBe('busbar:schema/interval_block.received/v1');
    expect(event.specversion).toBe('1.0');
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    expect(event.data.values).toEqual(['1.25', '1.10', null, '0.95']);
  });

  it('rejects an invalid payload with the event name and the field path', () => {
    const call = () => newEvent(EventType.IntervalBlockReceived, { ...block, values: ['1.25', '1.10', null, '0,95'] }, { source });
    expect(call).toThrow(InputError);
    expect(call).toThrow(/^interval_block\.received: data\.values\.3: expected decimal string$/);
  });

  it('rejects a bad envelope attribute chosen by the producer', () => {
    expect(() => newEvent(EventType.IntervalBlockReceived, block, { source, time: '2024-01-01T01:00:00' })).toThrow(/time/);
  });
});

describe('validateEvent', () => {
  it.each(EVENT_TYPE_NAMES)('%s round-trips through JSON unchanged', (type) => {
    const event = newEvent(type, sampleEventData[type], { source: '/test', time: '2024-05-01T00:00:00Z' });
    const wire: unknown = JSON.parse(JSON.stringify(event));
    expect(validateEvent(wire)).toEqual(event);
  });

  it('narrows the data by type', () => {
    const wire: unknown = structuredClone(blockEvent());
    const received = validateEvent(wire);
    if (received.type !== EventType.IntervalBlockReceived) throw new Error(`unexpected ${received.type}`);
    expect(received.data.intervalSeconds).toBe(900);
    expect(received.data.qualities[1]).toEqual([QualityCodes.ESTIMATED]);
  });

  it('rejects an invalid payload naming the field', () => {
    const event = structuredClone(blockEvent());
    Reflect.set(event.data.values, 3, 0.95);
    expect(() => validateEvent(event)).toThrow('interval_block.received: data.values.3: expected decimal string');
    try {
      validateEvent(event);
    } catch (error) {
      expect(error instanceof InputError ? error.location.field : undefined).toBe('data.values.3');
    }
  });

  it('rejects an unknown type and an unknown schema version', () => {
    const event = structuredClone(blockEvent());
    expect(() => validateEvent({ ...event, type: 'interval_block.deleted' })).toThrow(/unknown event type/);
    expect(() => validateEvent({ ...event, dataschema: 'busbar:schema/interval_block.received/v2' })).toThrow(
      /interval_block\.received: unknown dataschema version v2/,
    );
    expect(() => validateEvent({ ...event, dataschema: 'busbar:schema/payment.received/v1' })).toThrow(/another event type/);
    expect(() => validateEvent({ ...event, dataschema: 'https://example.com/schema' })).toThrow(InputError);
  });

  it('takes an absent dataschema as the current version', () => {
    const event = structuredClone(blockEvent());
    delete event.dataschema;
    expect(validateEvent(event).type).toBe(EventType.IntervalBlockReceived);
  });

  it('rejects an envelope problem before looking at data', () => {
    const event = structuredClone(blockEvent());
    expect(() => validateEvent({ ...event, time: '2024-01-01T01:00:00' })).toThrow(/invalid CloudEvent: time/);
    expect(() => validateEvent({ ...event, correlation_id: 'x' })).toThrow(/extension attribute "correlation_id"/);
    const { source: _dropped, ...withoutSource } = event;
    expect(() => validateEvent(withoutSource)).toThrow(/invalid CloudEvent: source/);
  });

  it('rejects unknown payload fields (strict schemas catch producer typos)', () => {
    const event = structuredClone(blockEvent());
    Reflect.set(event.data, 'intervalSecond', 900);
    expect(() => validateEvent(event)).toThrow(/data: Unrecognized key/);
  });

  it('checks an interval block against its ReadingType', () => {
    const event = structuredClone(newEvent(EventType.IntervalBlockReceived, { ...block, readingType: ReadingTypeCodes.IntervalKwhForward15Min }, { source }));
    event.data.intervalSeconds = 3600;
    expect(() => validateEvent(event)).toThrow(/data\.intervalSeconds: 3600 s contradicts the ReadingType measuring period of 900 s/);
  });
});

describe('dataschema URIs', () => {
  it('format and parse', () => {
    expect(dataschemaOf(EventType.PaymentReceived)).toBe('busbar:schema/payment.received/v1');
    expect(parseDataschema('busbar:schema/payment.received/v12')).toEqual({ type: 'payment.received', version: 12 });
    expect(() => parseDataschema('busbar:schema/payment.received/v0')).toThrow(InputError);
  });
});
