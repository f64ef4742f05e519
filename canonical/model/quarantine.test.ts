import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { QuarantinedReadingSchema } from './quarantine.js';

describe('quarantined reading', () => {
  it('records source, location, reason and raw text, taking the location from an InputError', () => {
    const error = new InputError('bad triplet', { file: 'feedA.csv', line: 17, field: 'values.3' }, { raw: 'MEPMD01,...' });
    const record = QuarantinedReadingSchema.parse({
      source: '/adapters/cmep/feedA',
      location: error.location,
      reason: error.message,
      raw: error.raw ?? '',
      quarantinedAt: '2024-05-02T08:15:03Z',
    });
    expect(record.location).toEqual({ file: 'feedA.csv', line: 17, field: 'values.3' });
    expect(record.raw).toBe('MEPMD01,...');
  });

  it('refuses a line number of 0 and a missing reason', () => {
    const base = { source: '/x', location: { line: 0 }, reason: 'r', raw: '', quarantinedAt: '2024-05-02T08:15:03Z' };
    expect(QuarantinedReadingSchema.safeParse(base).success).toBe(false);
    expect(QuarantinedReadingSchema.safeParse({ ...base, location: {}, reason: '' }).success).toBe(false);
  });
});
