/**
 * A first-in first-out queue with O(1) push and shift. `Array.prototype.shift` is O(n) and turns
 * a 100,000-event backlog into a quadratic drain; this keeps a head index and compacts the array
 * only once the consumed prefix dominates it.
 */
export class FifoQueue<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Puts items back at the front, keeping their order (used to resend after a reconnect). */
  unshiftAll(items: readonly T[]): void {
    if (items.length === 0) return;
    this.items = [...items, ...this.items.slice(this.head)];
    this.head = 0;
  }

  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Empties the queue and returns what it held, oldest first. */
  drain(): T[] {
    const rest: T[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item !== undefined) rest.push(item);
    }
    this.items = [];
    this.head = 0;
    return rest;
  }
}
