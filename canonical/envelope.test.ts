import { describe, expect, it } from 'vitest';
import { causedBy, createEnvelope, parseEnvelope } from './envelope.js';
import { InputError } from './errors.js';

const valid = {
  specversion: '1.0',
  id: '018d2f6a-7b1c-7c3e-9a41-5f0e2b7c9d10',
  source: '/adapters/cmep/feedA',
  type: 'interval_block.received',
  time: '2024-01-01T00:30:00Z',
  correlationid: 'file-20240102-0815',
  data: {},
};

describe('CloudEvents 1.0 envelope (cim.md §8)', () => {
  it('accepts a valid envelope with the hub extensions', () => {
    expect(parseEnvelope(valid)).toEqual(valid);
  });

  it.each(['specversion', 'id', 'source', 'type'])('rejects an envelope missing %s', (attribute) => {
    const broken: Record<string, unknown> = { ...valid };
    delete broken[attribute];
    expect(() => parseEnvelope(broken)).toThrow(new RegExp(`invalid CloudEvent: ${attribute}`));
  });

  it('rejects a time without an offset, and an impossible date', () => {
    expect(() => parseEnvelope({ ...valid, time: '2024-01-01T00:30:00' })).toThrow(/time: must be an RFC 3339 timestamp with an offset/);
    expect(() => parseEnvelope({ ...valid, time: '2024-02-30T00:30:00Z' })).toThrow(/time: must be a real date and time/);
    expect(parseEnvelope({ ...valid, time: '2024-01-01T01:30:00+01:00' }).time).toBe('2024-01-01T01:30:00+01:00');
  });

  it.each(['2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T00:60:00Z', '2024-01-01T00:00:00+24:00'])(
    'rejects the impossible time %s',
    (time) => {
      expect(() => parseEnvelope({ ...valid, time })).toThrow(/time: must be a real date and time/);
    },
  );

  it('accepts a leap day, fractional seconds and a leap second', () => {
    for (const time of ['2024-02-29T12:00:00Z', '2024-01-01T00:00:00.123456Z', '2016-12-31T23:59:60Z']) {
      expect(parseEnvelope({ ...valid, time }).time).toBe(time);
    }
  });

  it('rejects an envelope without data, a non-object, and an empty subject', () => {
    const { data: _data, ...withoutData } = valid;
    expect(() => parseEnvelope(withoutData)).toThrow(/invalid CloudEvent: data/);
    expect(() => parseEnvelope([valid])).toThrow(/expected a JSON object/);
    expect(() => parseEnvelope({ ...valid, subject: '' })).toThrow(/invalid CloudEvent: subject/);
  });

  it.each(['correlation_id', 'correlationId', 'averyveryverylongextension'])('rejects the extension name %s', (name) => {
    expect(() => parseEnvelope({ ...valid, [name]: 'x' })).toThrow(InputError);
    expect(() => parseEnvelope({ ...valid, [name]: 'x' })).toThrow(new RegExp(`extension attribute "${name}"`));
  });

  it('creates an envelope with a UUIDv7 id and carries causation forward', () => {
    const first = createEnvelope({ type: 'payment.received', source: '/core-cis', data: { n: 1 } });
    expect(first.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const second = createEnvelope({ type: 'bill.issued', source: '/core-cis', data: {}, ...causedBy(first) });
    expect(second.causationid).toBe(first.id);
    expect(second.correlationid).toBe(first.id);
    expect(parseEnvelope(JSON.parse(JSON.stringify(second)))).toEqual(second);
  });
});
