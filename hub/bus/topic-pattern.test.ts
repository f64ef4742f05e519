import { describe, expect, it } from 'vitest';
import { compileTopicPattern } from './topic-pattern.js';

// Expectations follow RabbitMQ's topic exchange (rabbit_exchange_type_topic), checked by hand
// against a broker: `*` is exactly one word, `#` zero or more, other words are literal.
const cases: Array<[pattern: string, key: string, matches: boolean]> = [
  ['interval_block.received', 'interval_block.received', true],
  ['interval_block.received', 'interval_block.received.v2', false],
  ['*.received', 'interval_block.received', true],
  ['*.received', 'received', false],
  ['*.received', 'a.b.received', false],
  ['*', 'a', true],
  ['*', 'a.b', false],
  ['#', 'a', true],
  ['#', 'a.b.c', true],
  ['a.#', 'a', true],
  ['a.#', 'a.b.c', true],
  ['a.#', 'ab.c', false],
  ['#.b', 'b', true],
  ['#.b', 'x.y.b', true],
  ['#.b', 'x.b.c', false],
  ['a.#.c', 'a.c', true],
  ['a.#.c', 'a.x.y.c', true],
  ['a.#.c', 'a.x.y.c.d', false],
  ['a.*.#', 'a', false],
  ['a.*.#', 'a.b', true],
  ['a.*.#', 'a.b.c.d', true],
  ['#.#', 'a.b', true],
  ['#.*.c.#', 'x.y.c', true],
  ['#.*.c.#', 'c', false],
  ['a*', 'ab', false],
  ['a*', 'a*', true],
];

describe('compileTopicPattern', () => {
  it.each(cases)('%s against %s → %s', (pattern, key, matches) => {
    expect(compileTopicPattern(pattern)(key)).toBe(matches);
  });
});
