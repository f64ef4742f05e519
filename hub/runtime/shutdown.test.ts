import { describe, expect, it } from 'vitest';
import { createLogger } from '../log.js';
import { runShutdown } from './shutdown.js';

const log = createLogger('silent');

describe('runShutdown', () => {
  it('runs steps in order and reports a clean stop', async () => {
    const ran: string[] = [];
    const step = (name: string) => ({ name, run: async () => void ran.push(name) });
    expect(await runShutdown([step('http'), step('bus'), step('db')], 1000, log)).toEqual({ clean: true, failed: [] });
    expect(ran).toEqual(['http', 'bus', 'db']);
  });

  it('moves on past a step that hangs or throws, so the database still closes', async () => {
    const ran: string[] = [];
    const started = Date.now();
    const report = await runShutdown(
      [
        { name: 'close bus', run: () => new Promise(() => {}) },
        { name: 'flush', run: async () => Promise.reject(new Error('flush failed')) },
        { name: 'close database', run: async () => void ran.push('db') },
      ],
      300,
      log,
    );
    expect(report).toEqual({ clean: false, failed: ['close bus', 'flush'] });
    expect(ran).toEqual(['db']);
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('handleSignals', () => {
  it('stops gracefully on the first signal and forces the exit on the second', async () => {
    const { handleSignals } = await import('./shutdown.js');
    let release: () => void = () => {};
    const stopCalls: string[] = [];
    const hub = {
      stop: (reason: string) => {
        stopCalls.push(reason);
        return new Promise<{ clean: boolean; failed: string[] }>((resolve) => {
          release = () => resolve({ clean: true, failed: [] });
        });
      },
    };
    const codes: Array<[string, number]> = [];
    const remove = handleSignals(hub, log, { stopped: (code) => codes.push(['stopped', code]), force: (code) => codes.push(['forced', code]) });
    try {
      process.emit('SIGTERM', 'SIGTERM');
      process.emit('SIGINT', 'SIGINT');
      expect(stopCalls).toEqual(['SIGTERM']);
      expect(codes).toEqual([['forced', 130]]);
      release();
      await new Promise((resolve) => setImmediate(resolve));
      expect(codes).toEqual([['forced', 130], ['stopped', 0]]);
    } finally {
      remove();
    }
  });
});
