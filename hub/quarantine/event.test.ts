import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../canonical/events/validate.js';
import { readingQuarantinedEvents } from './event.js';
import { RAW_LIMIT_BYTES } from './raw-text.js';

describe('reading.quarantined events', () => {
  it('carries the record from its source at the time it was refused, valid against the catalog', () => {
    const record = {
      source: '/adapters/mv90/feedB',
      location: { file: 'b.hhf', offset: 4096 },
      reason: 'reading for unknown usage point UP-404',
      raw: 'UP-404,2024-05-02,1.5',
      quarantinedAt: '2024-05-02T08:15:03Z',
    };
    const [event] = readingQuarantinedEvents([record], { correlationid: 'import-7' });
    expect(event).toMatchObject({ type: 'reading.quarantined', source: '/adapters/mv90/feedB', time: '2024-05-02T08:15:03Z', correlationid: 'import-7', data: record });
    expect(validateEvent(JSON.parse(JSON.stringify(event))).data).toStrictEqual(record);
  });

  it('caps a runaway raw text as the store does', () => {
    const record = { source: '/x', location: {}, reason: 'no newline', raw: 'z'.repeat(RAW_LIMIT_BYTES * 2), quarantinedAt: '2024-05-02T08:15:03Z' };
    const [event] = readingQuarantinedEvents([record]);
    expect(event?.data.raw.startsWith('z'.repeat(RAW_LIMIT_BYTES))).toBe(true);
    expect(event?.data.raw).toMatch(/\[busbar: raw text cut after 65536 of 131072 bytes\]$/);
  });
});
