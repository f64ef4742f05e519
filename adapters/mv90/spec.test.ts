import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../contract.js';
import { Mv90ConfigSchema, parseTemplate } from './spec.js';

const templateJson = (name: string): unknown => JSON.parse(readFileSync(new URL(`./templates/${name}.json`, import.meta.url), 'utf8'));

describe('MV-90 template', () => {
  it('accepts the shipped interval-per-row example', () => {
    const template = parseTemplate(templateJson('interval-per-row'));
    expect(template.layout.layout).toBe('interval-per-row');
    expect(template.channels['3']?.kind).toBe('register');
    expect(template.statuses.map['E']).toEqual(['3.8.1']);
  });

  it('accepts the shipped day-per-row example and fills defaults', () => {
    const template = parseTemplate(templateJson('day-per-row'));
    expect(template.layout.layout).toBe('day-per-row');
    expect(template.channels['1']?.multiplier).toBe('1');
    expect(template.layout.layout === 'day-per-row' && template.layout.dayColumns).toBe('elapsed');
  });

  it('names the key of a ReadingType whose period contradicts the interval length', () => {
    const input = templateJson('interval-per-row');
    const bad = { ...Object(input), intervalMinutes: 60 };
    expect(() => parseTemplate(bad)).toThrow(ConfigError);
    expect(() => parseTemplate(bad)).toThrow(/template\.channels\.1\.readingType/);
  });

  it('refuses an interval that does not divide an hour, and an unknown time zone', () => {
    const input = Object(templateJson('interval-per-row'));
    expect(() => parseTemplate({ ...input, intervalMinutes: 7, channels: {} })).toThrow(/intervalMinutes/);
    expect(() => parseTemplate({ ...input, timeZone: 'Mars/Olympus' })).toThrow(/template\.timeZone/);
  });

  it('requires exactly one of a channel column or a fixed channel for day-per-row', () => {
    const input = Object(templateJson('day-per-row'));
    const layout = { ...input.layout, columns: { ...input.layout.columns, channel: undefined } };
    expect(() => parseTemplate({ ...input, layout })).toThrow(/layout\.columns\.channel/);
  });

  it('gives the adapter configuration its defaults', () => {
    const config = Mv90ConfigSchema.parse({ template: templateJson('day-per-row') });
    expect(config).toMatchObject({ files: [], batchSize: 500, maxOpenDays: 5_000 });
  });
});
