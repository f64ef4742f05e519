import { describe, expect, it } from 'vitest';
import { createEnvelope } from '../../canonical/envelope.js';
import { freezeEvent } from './frozen-event.js';

const event = (data: unknown) => createEnvelope({ type: 'meter.read', source: '/t', data });

describe('freezeEvent', () => {
  it('freezes the envelope and everything in it, in place', () => {
    const original = event({ values: ['1.5', null], nested: { q: [['3.8.1']] } });
    const frozen = freezeEvent(original);
    expect(frozen).toBe(original);
    expect(Object.isFrozen(frozen)).toBe(true);
    expect(Object.isFrozen(frozen.data)).toBe(true);
    expect(() => {
      (frozen.data as { values: unknown[] }).values.push('2');
    }).toThrow(TypeError);
    expect(() => {
      (frozen.data as { nested: { q: string[][] } }).nested.q[0]?.push('x');
    }).toThrow(TypeError);
  });

  it('keeps what a JSON round trip keeps', () => {
    const original = event({ a: 1, b: 'x', c: [true, null], d: { e: -0.5 }, skipped: undefined });
    freezeEvent(original);
    expect(JSON.parse(JSON.stringify(original))).toEqual(original);
  });

  it.each([
    ['a Date', { at: new Date(0) }, /data.at: a Date instance/],
    ['a Map', { m: new Map() }, /data.m: a Map instance/],
    ['NaN', { n: Number.NaN }, /data.n: NaN is not a JSON number/],
    ['Infinity in an array', { list: [1, Infinity] }, /data.list\[1\]: Infinity/],
    ['undefined in an array', { list: [undefined] }, /data.list\[0\]: undefined in an array/],
    ['a BigInt', { big: 1n }, /data.big: a bigint is not JSON data/],
    ['a function', { f: () => 1 }, /data.f: a function is not JSON data/],
  ])('rejects %s, naming the path', (_label, data, message) => {
    expect(() => freezeEvent(event(data))).toThrow(message);
  });

  it('rejects a cycle', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => freezeEvent(event(cyclic))).toThrow(/cycle/);
  });
});
