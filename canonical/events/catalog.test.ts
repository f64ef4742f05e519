import { describe, expect, it } from 'vitest';
import { sampleEventData } from '../testing/samples.js';
import { catalogEntryOf, EventCatalog } from './catalog.js';
import { EVENT_TYPE_NAMES } from './names.js';

describe('event catalog', () => {
  it('has exactly one entry per event name', () => {
    expect(Object.keys(EventCatalog).sort()).toEqual([...EVENT_TYPE_NAMES].sort());
  });

  it.each(EVENT_TYPE_NAMES)('%s has a description, a current version and a schema for it', (type) => {
    const entry = catalogEntryOf(type);
    expect(entry.type).toBe(type);
    expect(entry.description.length).toBeGreaterThan(10);
    expect(Number.isInteger(entry.current) && entry.current >= 1).toBe(true);
    const schema = entry.versions[entry.current];
    expect(schema).toBeDefined();
    expect(schema?.safeParse(sampleEventData[type]).success).toBe(true);
    expect(schema?.safeParse({}).success).toBe(false);
  });
});
