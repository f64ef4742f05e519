import { describe, expect, it } from 'vitest';
import { InputError } from '../../contract.js';
import { planBatches } from './batches.js';
import { supports, unsupported } from './capabilities.js';

const meters = (count: number): string[] => Array.from({ length: count }, (_, index) => `M${index + 1}`);

describe('splitting an Initiate (multispeak.md §4, §10)', () => {
  it('a request within the limit is one call with the caller\'s transaction id', () => {
    expect(planBatches(meters(15), 15, 'tx')).toEqual([{ transactionId: 'tx', items: meters(15), offset: 0 }]);
  });

  it('above the limit: calls of at most 15, ids <id>-1 … <id>-n, objects in order', () => {
    const batches = planBatches(meters(31), 15, 'tx');
    expect(batches.map((batch) => [batch.transactionId, batch.items.length, batch.offset])).toEqual([
      ['tx-1', 15, 0],
      ['tx-2', 15, 15],
      ['tx-3', 1, 30],
    ]);
    expect(batches.flatMap((batch) => batch.items)).toEqual(meters(31));
  });

  it('nothing to send, nothing planned; a bad limit or an empty id is refused', () => {
    expect(planBatches([], 15, 'tx')).toEqual([]);
    expect(() => planBatches(meters(2), 0, 'tx')).toThrow(InputError);
    expect(() => planBatches(meters(2), 15, '')).toThrow(InputError);
  });
});

describe('capability gating (multispeak.md §12.9)', () => {
  const methods = ['PingURL', 'GetMethods', ' initiateConnectDisconnect '];

  it('an advertised operation is supported, whatever its case and spacing', () => {
    expect(supports(methods, 'InitiateConnectDisconnect')).toBe(true);
    expect(supports(methods, 'PingURL')).toBe(true);
  });

  it('an operation the partner did not advertise is not', () => {
    expect(supports(methods, 'EndDeviceStatesNotification')).toBe(false);
    expect(supports([], 'PingURL')).toBe(false);
    expect(unsupported(methods, ['PingURL', 'InitiateCDStateRequest', 'GetCDMeterState'])).toEqual(['InitiateCDStateRequest', 'GetCDMeterState']);
  });
});
