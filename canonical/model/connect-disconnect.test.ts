import { describe, expect, it } from 'vitest';
import { ConnectDisconnectCommandSchema, ConnectDisconnectResultSchema } from './connect-disconnect.js';

const meter = { name: '81234567', nameType: 'multispeak:meterNo' };

describe('connect/disconnect', () => {
  it('accepts connect, disconnect and arm, nothing else', () => {
    for (const action of ['connect', 'disconnect', 'arm']) {
      expect(ConnectDisconnectCommandSchema.safeParse({ action, meter }).success, action).toBe(true);
    }
    expect(ConnectDisconnectCommandSchema.safeParse({ action: 'Open', meter }).success).toBe(false);
  });

  it('reports the switch state as connected, disconnected, armed or unknown', () => {
    const result = { requestId: 'evt-1', action: 'arm', meter, outcome: 'succeeded', completedAt: '2024-05-01T14:05:00Z' };
    for (const state of ['connected', 'disconnected', 'armed', 'unknown']) {
      expect(ConnectDisconnectResultSchema.safeParse({ ...result, state }).success, state).toBe(true);
    }
    expect(ConnectDisconnectResultSchema.safeParse({ ...result, state: 'inTransition' }).success).toBe(false);
  });
});
