/** Events and names for bus tests and the throughput script (no test-runner imports here). */
import { randomBytes } from 'node:crypto';
import type { CloudEvent } from '../../../canonical/envelope.js';
import { createEnvelope } from '../../../canonical/envelope.js';

/** A name with a random suffix, so runs on a shared broker never see each other's queues. */
export function uniqueName(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export function testEvent(type: string, data: unknown = {}): CloudEvent {
  return createEnvelope({ type, source: '/hub/bus/contract-test', data });
}
