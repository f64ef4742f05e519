import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OUTAGE_CODES,
  EndDeviceEventCodes,
  formatEndDeviceEventType,
  outageSignalOf,
  parseEndDeviceEventType,
} from './end-device-event-type.js';
import { InputError } from './errors.js';

describe('EndDeviceEventType codes (IEC 61968-9 Annex E, cim.md §5)', () => {
  it('parses power down into its four parts and keeps the raw string', () => {
    const code = parseEndDeviceEventType('3.26.0.47');
    expect(code).toEqual({ raw: '3.26.0.47', type: 3, domain: 26, subDomain: 0, eventOrAction: 47 });
    expect(formatEndDeviceEventType(code)).toBe('3.26.0.47');
  });

  it('turns 3.26.0.47 into an outage start and 3.26.0.216 into an outage end', () => {
    expect(outageSignalOf(EndDeviceEventCodes.POWER_DOWN)).toBe('outageStart');
    expect(outageSignalOf(EndDeviceEventCodes.POWER_UP)).toBe('outageEnd');
    expect(outageSignalOf(EndDeviceEventCodes.TAMPER_ATTEMPT_SUSPECTED)).toBeUndefined();
  });

  it('groups vendor variants only when configured to', () => {
    expect(outageSignalOf('3.26.136.47')).toBeUndefined();
    const groups = { ...DEFAULT_OUTAGE_CODES, powerDown: [...DEFAULT_OUTAGE_CODES.powerDown, '3.26.136.47'] };
    expect(outageSignalOf('3.26.136.47', groups)).toBe('outageStart');
  });

  it('keeps an unknown code numerically and unchanged', () => {
    const code = parseEndDeviceEventType('3.99.12.4000');
    expect(code.domain).toBe(99);
    expect(code.eventOrAction).toBe(4000);
    expect(formatEndDeviceEventType(code)).toBe('3.99.12.4000');
  });

  it('rejects a code without four integer parts', () => {
    expect(() => parseEndDeviceEventType('3.26.47')).toThrow(InputError);
    expect(() => parseEndDeviceEventType('3.26.0.x')).toThrow(/type.domain.subDomain.eventOrAction/);
  });
});
