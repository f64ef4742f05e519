import { describe, expect, it } from 'vitest';
import { outageSignalOf, parseEndDeviceEventType } from '../end-device-event-type.js';
import { EndDeviceEventSchema } from './end-device-event.js';

const event = {
  mRID: '0190a0e1-0000-7000-8000-000000000003',
  eventType: '3.26.0.47',
  createdDateTime: '2024-05-01T03:12:00Z',
  meter: { name: 'MTR001', nameType: 'multispeak:meterNo' },
  details: [],
};

describe('EndDeviceEvent (cim.md §11 case 4)', () => {
  it('turns a power-down event into an outage start', () => {
    const parsed = EndDeviceEventSchema.parse(event);
    expect(outageSignalOf(parsed.eventType)).toBe('outageStart');
    expect(outageSignalOf(EndDeviceEventSchema.parse({ ...event, eventType: '3.26.0.216' }).eventType)).toBe('outageEnd');
  });

  it('keeps an unknown code with its raw string and the vendor details', () => {
    const parsed = EndDeviceEventSchema.parse({
      ...event,
      eventType: '3.31.0.999',
      details: [{ name: 'vendorText', value: 'Meter cover removed' }, { name: 'vendorCode', value: 'E7' }],
    });
    expect(parsed.eventType).toBe('3.31.0.999');
    expect(parseEndDeviceEventType(parsed.eventType).raw).toBe('3.31.0.999');
    expect(parsed.details).toEqual([{ name: 'vendorText', value: 'Meter cover removed' }, { name: 'vendorCode', value: 'E7' }]);
    expect(outageSignalOf(parsed.eventType)).toBeUndefined();
  });

  it('rejects a three-part code and an event about nothing', () => {
    expect(EndDeviceEventSchema.safeParse({ ...event, eventType: '3.26.47' }).success).toBe(false);
    const { meter: _omitted, ...aboutNothing } = event;
    expect(EndDeviceEventSchema.safeParse(aboutNothing).error?.issues[0]?.message).toBe('an end device event needs a meter or a usagePoint');
  });
});
