/**
 * Events are values: nobody changes one after publish. The memory transport relies on that to
 * hand one object to every group without copying (a 1 KB event copy costs more than the rest of
 * a delivery). With `freezeEvents` it enforces it: publishing checks that the event is plain
 * JSON data (what a JSON round trip keeps unchanged) and deep-freezes it in place, so a handler
 * or publisher that tries to change it gets a TypeError (ES modules are strict).
 */
import type { CloudEvent } from '../../canonical/envelope.js';

/** Deep enough for any real event; deeper is taken to be a cycle. */
const MAX_DEPTH = 100;

/**
 * Freezes `event` and everything in it, in place, and returns it. Throws a TypeError naming
 * the path of the first value a JSON round trip would change: a class instance (Date, Map,
 * Decimal), a function, a symbol, a BigInt, a non-finite number, a hole or undefined in an
 * array, or a cycle. `undefined` object properties are allowed (JSON drops them and a reader
 * sees undefined either way).
 */
export function freezeEvent<T extends CloudEvent>(event: T): T {
  try {
    freezeValue(event, 0);
  } catch (error) {
    if (error instanceof NotJsonData) throw new TypeError(`${error.path.join('') || 'event'}: ${error.message}`);
    throw error;
  }
  return event;
}

/** Carries the path outwards; built only on failure, so the walk allocates no strings. */
class NotJsonData extends Error {
  readonly path: string[] = [];
}

function freezeValue(value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new NotJsonData(`${value} is not a JSON number`);
      return;
    case 'object':
      break;
    default:
      throw new NotJsonData(`a ${typeof value} is not JSON data`);
  }
  if (value === null) return;
  if (depth > MAX_DEPTH) throw new NotJsonData(`nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      try {
        const item: unknown = value[i];
        if (item === undefined) throw new NotJsonData('undefined in an array is not JSON data');
        freezeValue(item, depth + 1);
      } catch (error) {
        if (error instanceof NotJsonData) error.path.unshift(`[${i}]`);
        throw error;
      }
    }
  } else {
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      throw new NotJsonData(`a ${value.constructor?.name ?? 'class'} instance is not plain JSON data`);
    }
    for (const key in value) {
      try {
        freezeValue(Reflect.get(value, key), depth + 1);
      } catch (error) {
        if (error instanceof NotJsonData) error.path.unshift(depth === 0 ? key : `.${key}`);
        throw error;
      }
    }
  }
  Object.freeze(value);
}
