import { describe, expect, it } from 'vitest';
import { EVENT_NAME_RULE, EVENT_TYPE_NAMES, EventType, eventKindOf, isEventType } from './names.js';

describe('event names', () => {
  it('are unique', () => {
    expect(new Set(EVENT_TYPE_NAMES).size).toBe(EVENT_TYPE_NAMES.length);
    expect(new Set(Object.keys(EventType)).size).toBe(EVENT_TYPE_NAMES.length);
  });

  it.each(EVENT_TYPE_NAMES)('%s follows <aggregate>.<past tense> or <aggregate>.[<verb>_]requested', (name) => {
    expect(name).toMatch(EVENT_NAME_RULE);
  });

  it('the rule refuses names that break it', () => {
    for (const bad of ['IntervalBlock.received', 'interval_block.receive', 'interval-block.received', 'received', 'a.b.received', 'meter.Installed']) {
      expect(bad).not.toMatch(EVENT_NAME_RULE);
    }
  });

  it('includes the events the issue requires', () => {
    for (const name of [
      'interval_block.received', 'register_read.received', 'meter_reading.requested', 'connect_disconnect.requested',
      'connect_disconnect.completed', 'outage.detected', 'outage.restored', 'outage_detection.requested',
      'end_device_event.raised', 'customer.changed', 'customer_account.changed', 'service_location.changed',
      'usage_point.changed', 'meter.installed', 'meter.removed', 'meter.exchanged', 'meter.changed',
      'service_order.requested', 'service_order.completed', 'payment.received', 'bill.issued',
      'billing_determinants.requested', 'billing_determinants.computed', 'vee_exception.raised', 'reading.quarantined',
    ]) {
      expect(isEventType(name), name).toBe(true);
    }
    expect(isEventType('interval_block.deleted')).toBe(false);
  });

  it('tells commands from facts by the name', () => {
    expect(eventKindOf(EventType.ConnectDisconnectRequested)).toBe('command');
    expect(eventKindOf(EventType.ConnectDisconnectCompleted)).toBe('fact');
    expect(EVENT_TYPE_NAMES.filter((name) => eventKindOf(name) === 'command')).toEqual([
      'meter_reading.requested', 'connect_disconnect.requested', 'outage_detection.requested',
      'service_order.requested', 'billing_determinants.requested',
    ]);
  });
});
