/** The README is the user's first contact: its quick start and configuration reference must stay true. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configReference } from '../hub/config/reference.js';

const readme = await readFile(resolve(import.meta.dirname, '..', 'README.md'), 'utf8');
const ci = await readFile(resolve(import.meta.dirname, '..', '.ci', 'run'), 'utf8');

describe('README', () => {
  it('carries the configuration reference generated from the config schema', () => {
    expect(readme).toContain(configReference().trim());
  });

  it('gives a quick start of exactly two commands, and CI runs the same test command', () => {
    const quickStart = readme.slice(readme.indexOf('## Quick start'), readme.indexOf('## Using RabbitMQ'));
    const commands = [...quickStart.matchAll(/```sh\n([^`]+)```/g)].map((m) => m[1]?.trim());
    expect(commands).toEqual(['npm install && npm start', 'npm test']);
    expect(ci).toMatch(/^npm test$/m);
  });
});
