import { describe, expect, it } from 'vitest';
import { CompletedServiceOrderSchema, ServiceOrderSchema } from './service-order.js';

const order = {
  mRID: '0190a0e1-0000-7000-8000-000000000007',
  kind: 'service',
  statusKind: 'dispatched',
  requestDateTime: '2024-04-30T09:00:00Z',
  tasks: [
    {
      mRID: '0190a0e1-0000-7000-8000-000000000008',
      taskKind: 'exchange',
      statusKind: 'dispatched',
      meter: { name: 'MTR002', nameType: 'erp:serial' },
      oldMeter: { name: 'MTR001', nameType: 'erp:serial' },
    },
  ],
};

describe('ServiceOrder (IEC 61968-6 Work/WorkTask, cim.md §7)', () => {
  it('accepts an exchange task naming both meters', () => {
    expect(ServiceOrderSchema.parse(order).tasks[0]?.taskKind).toBe('exchange');
  });

  it('rejects an exchange without the old meter, and kinds outside CIM', () => {
    const [task] = order.tasks;
    const withoutOld = { ...task, oldMeter: undefined };
    expect(ServiceOrderSchema.safeParse({ ...order, tasks: [withoutOld] }).error?.issues[0]?.message).toBe('an exchange task names both meter and oldMeter');
    expect(ServiceOrderSchema.safeParse({ ...order, kind: 'meterChange' }).success).toBe(false);
    expect(ServiceOrderSchema.safeParse({ ...order, statusKind: 'done' }).success).toBe(false);
  });

  it('counts an order as completed only with a completed or closed status and a completion time', () => {
    expect(CompletedServiceOrderSchema.safeParse({ ...order, statusKind: 'completed', completedDateTime: '2024-05-01T14:10:00Z' }).success).toBe(true);
    expect(CompletedServiceOrderSchema.safeParse({ ...order, statusKind: 'cancelled', completedDateTime: '2024-05-01T14:10:00Z' }).success).toBe(false);
    expect(CompletedServiceOrderSchema.safeParse({ ...order, statusKind: 'completed' }).success).toBe(false);
  });
});
