/**
 * Walks the configuration schema into a flat list of fields (path, kind, default, description,
 * environment variable, the wording of what is expected). Environment overrides, error messages
 * and the reference table are built from this list, never from a hand-kept copy of the keys.
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

export type FieldKind = 'string' | 'integer' | 'number' | 'boolean' | 'enum' | 'list' | 'object';

export interface ConfigField {
  /** Dotted key path; `[]` marks the elements of a list (`auth.tokens[].name`). */
  readonly key: string;
  readonly segments: readonly string[];
  readonly kind: FieldKind;
  readonly expected: string;
  readonly description: string;
  readonly defaultValue: unknown;
  readonly optional: boolean;
  /** `BUSBAR_<SECTION>__<KEY>`; absent for list elements, which are set through their list. */
  readonly envVar: string | undefined;
}

type AnySchema = z.core.$ZodType;

interface Unwrapped {
  inner: AnySchema;
  description: string;
  defaultValue: unknown;
  optional: boolean;
}

/** Peels default/prefault/optional wrappers, keeping the outermost description and the default. */
function unwrap(schema: AnySchema): Unwrapped {
  let current = schema;
  let description = '';
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const meta = z.globalRegistry.get(current);
    if (!description && typeof meta?.description === 'string') description = meta.description;
    if (current instanceof z.ZodDefault) {
      defaultValue = current.def.defaultValue;
      current = current.unwrap();
    } else if (current instanceof z.ZodPrefault || current instanceof z.ZodOptional) {
      if (current instanceof z.ZodOptional) optional = true;
      current = current.unwrap();
    } else {
      return { inner: current, description, defaultValue, optional };
    }
  }
}

function kindOf(schema: AnySchema): FieldKind {
  if (schema instanceof z.ZodNumber) return schema.isInt ? 'integer' : 'number';
  if (schema instanceof z.ZodBoolean) return 'boolean';
  if (schema instanceof z.ZodEnum) return 'enum';
  if (schema instanceof z.ZodArray) return 'list';
  if (schema instanceof z.ZodObject || schema instanceof z.ZodRecord) return 'object';
  return 'string';
}

/** Human wording of what a schema accepts, used after "expected" in a ConfigError. */
export function expectedOf(schema: AnySchema): string {
  const { inner } = unwrap(schema);
  if (inner instanceof z.ZodNumber) {
    const noun = inner.isInt ? 'an integer' : 'a number';
    const min = Number.isFinite(inner.minValue) ? inner.minValue : null;
    const max = Number.isFinite(inner.maxValue) && inner.maxValue !== Number.MAX_SAFE_INTEGER ? inner.maxValue : null;
    if (min !== null && max !== null) return `${noun} ${min}-${max}`;
    if (min !== null && min !== Number.MIN_SAFE_INTEGER) return `${noun} >= ${min}`;
    if (max !== null) return `${noun} <= ${max}`;
    return noun;
  }
  if (inner instanceof z.ZodBoolean) return 'true or false';
  if (inner instanceof z.ZodEnum) return `one of ${inner.options.join(', ')}`;
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element).inner;
    return element instanceof z.ZodObject ? 'a list of mappings' : `a list, each ${expectedOf(element)}`;
  }
  if (inner instanceof z.ZodObject || inner instanceof z.ZodRecord) return 'a mapping';
  return 'a non-empty string';
}

function envVarOf(segments: readonly string[]): string {
  return `BUSBAR_${segments.map((segment) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()).join('__')}`;
}

function walk(schema: AnySchema, segments: readonly string[], inList: boolean, out: ConfigField[]): void {
  const { inner, description, defaultValue, optional } = unwrap(schema);
  if (inner instanceof z.ZodObject) {
    for (const [name, child] of Object.entries(inner.shape)) walk(child, [...segments, name], inList, out);
    return;
  }
  const key = segments.join('.');
  out.push({
    key,
    segments,
    kind: kindOf(inner),
    expected: expectedOf(inner),
    description,
    defaultValue,
    optional,
    envVar: inList ? undefined : envVarOf(segments),
  });
  if (inner instanceof z.ZodArray) {
    const element = unwrap(inner.element).inner;
    if (element instanceof z.ZodObject) walk(element, [...segments.slice(0, -1), `${segments.at(-1) ?? ''}[]`], true, out);
  }
  // A map of named entries (`sources.<name>.adapter`): documented once, set through the map.
  if (inner instanceof z.ZodRecord) {
    const value = unwrap(inner.valueType).inner;
    if (value instanceof z.ZodObject) walk(value, [...segments, '<name>'], true, out);
  }
}

let cached: readonly ConfigField[] | undefined;

/** Every configurable key, in schema order. */
export function configFields(): readonly ConfigField[] {
  if (!cached) {
    const out: ConfigField[] = [];
    walk(configSchema, [], false, out);
    cached = out;
  }
  return cached;
}

/** The schema at a concrete path (`['auth', 'tokens', 0, 'roles']`), or undefined past a leaf. */
export function schemaAt(path: readonly PropertyKey[]): AnySchema | undefined {
  let current: AnySchema = configSchema;
  for (const segment of path) {
    const { inner } = unwrap(current);
    if (inner instanceof z.ZodObject && typeof segment === 'string' && segment in inner.shape) {
      const next: unknown = inner.shape[segment];
      if (!(next instanceof z.ZodType)) return undefined;
      current = next;
    } else if (inner instanceof z.ZodArray && typeof segment === 'number') {
      current = inner.element;
    } else if (inner instanceof z.ZodRecord && typeof segment === 'string') {
      const value: unknown = inner.valueType;
      if (!(value instanceof z.ZodType)) return undefined;
      current = value;
    } else {
      return undefined;
    }
  }
  return current;
}
