/**
 * A Bus for outbox/inbox tests: records what is published and can be told to fail, so the
 * relay is tested without the transports (hub/bus) that are built separately.
 */
import { TransientError } from '../../../canonical/errors.js';
import type { CloudEvent } from '../../../canonical/envelope.js';
import type { Bus, DeadLetterQueue, Subscription } from '../../bus/bus.js';

export class RecordingBus implements Bus {
  readonly transport = 'memory';
  /** Every event accepted, in publish order (duplicates included). */
  readonly published: CloudEvent[] = [];
  /** publishBatch calls that failed. */
  failedAttempts = 0;
  private failuresLeft = 0;

  readonly deadLetters: DeadLetterQueue = {
    list: async () => [],
    replay: async () => 0,
  };

  /** The next `count` publishes fail with a TransientError, as a broker that is down. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  async publish(event: CloudEvent): Promise<void> {
    await this.publishBatch([event]);
  }

  async whenWritable(): Promise<void> {}

  async publishBatch(events: readonly CloudEvent[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      this.failedAttempts += 1;
      throw new TransientError('RecordingBus: broker unreachable (simulated)');
    }
    this.published.push(...events);
  }

  async subscribe(group: string): Promise<Subscription> {
    throw new Error(`RecordingBus records publishes only; subscribe(${group}) belongs to the real transports`);
  }

  async ping(): Promise<void> {}

  async close(): Promise<void> {}
}
