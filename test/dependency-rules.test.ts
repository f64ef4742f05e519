/**
 * The dependency rules of DESIGN.md are enforced by dependency-cruiser (`npm run depcheck`).
 * This test proves the rules bite: a fixture tree with one violation of each rule, and a cycle,
 * must fail the same configuration CI uses, naming every rule.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');

/** file → its source; each import below breaks exactly the rule named beside it. */
const FIXTURE: Record<string, string> = {
  'canonical/model.ts': `import { hubThing } from '../hub/thing.js';\nexport const model = hubThing;\n`, // canonical-is-a-leaf
  'hub/thing.ts': `export const hubThing = 1;\n`,
  'adapters/contract.ts': `export const contract = 1;\n`,
  'adapters/cmep/codec.ts': `import { soap } from '../multispeak/codec.js';\nimport { contract } from '../contract.js';\nexport const cmep = soap + contract;\n`, // adapter → another adapter
  'adapters/multispeak/codec.ts': `import { store } from '../../mdm/store.js';\nexport const soap = store;\n`, // adapter → core
  'mdm/store.ts': `import { ledger } from '../erp/ledger.js';\nexport const store = ledger;\n`, // core → another core
  'erp/ledger.ts': `export const ledger = 1;\n`,
  'core-cis/bill.ts': `import { hubThing } from '../hub/thing.js';\nexport const bill = hubThing;\n`, // core → hub
  'flows/node.ts': `import { store } from '../mdm/store.js';\nexport const node = store;\n`, // flows → core
  'conformance/a.ts': `import { b } from './b.js';\nexport const a = () => b;\n`, // cycle a → b → a
  'conformance/b.ts': `import { a } from './a.js';\nexport const b = () => a;\n`,
};

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
}

function isViolationList(value: unknown): value is Violation[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'object' && v !== null && 'rule' in v && 'from' in v);
}

describe('dependency rules (DESIGN.md)', () => {
  let dir = '';
  let violations: Violation[] = [];
  let exitCode = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'busbar-deps-'));
    for (const [file, source] of Object.entries(FIXTURE)) {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), source);
    }
    await copyFile(join(root, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true } }));
    const bin = join(root, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
    const folders = ['canonical', 'adapters', 'mdm', 'core-cis', 'erp', 'flows', 'conformance', 'hub'];
    const cruise = async (outputType: string): Promise<{ code: number; stdout: string }> => {
      const args = [bin, '--config', '.dependency-cruiser.cjs', '--output-type', outputType, ...folders];
      try {
        const { stdout } = await run(process.execPath, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 });
        return { code: 0, stdout };
      } catch (error) {
        const failed = error as { code?: number; stdout?: string };
        return { code: failed.code ?? 1, stdout: failed.stdout ?? '' };
      }
    };
    // The `err` reporter is what `npm run depcheck` uses in CI: its exit code counts the errors.
    exitCode = (await cruise('err')).code;
    const { stdout } = await cruise('json');
    const report: unknown = JSON.parse(stdout);
    const list = typeof report === 'object' && report !== null && 'summary' in report ? (report.summary as { violations?: unknown }).violations : undefined;
    if (!isViolationList(list)) throw new Error(`unexpected dependency-cruiser output: ${stdout.slice(0, 500)}`);
    violations = list;
  }, 60_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('fails the run', () => {
    expect(exitCode).not.toBe(0);
  });

  it.each([
    ['canonical-is-a-leaf', 'canonical/model.ts', 'hub/thing.ts'],
    ['adapter-imports-canonical-and-contract-only', 'adapters/cmep/codec.ts', 'adapters/multispeak/codec.ts'],
    ['adapter-imports-canonical-and-contract-only', 'adapters/multispeak/codec.ts', 'mdm/store.ts'],
    ['core-imports-canonical-and-itself-only', 'mdm/store.ts', 'erp/ledger.ts'],
    ['core-imports-canonical-and-itself-only', 'core-cis/bill.ts', 'hub/thing.ts'],
    ['flows-and-conformance-use-canonical-contract-and-bus', 'flows/node.ts', 'mdm/store.ts'],
  ])('%s: %s → %s', (rule, from, to) => {
    expect(violations).toContainEqual(expect.objectContaining({ from, to, rule: expect.objectContaining({ name: rule }) }));
  });

  it('reports the import cycle', () => {
    expect(violations.some((v) => v.rule.name === 'no-cycles' && v.from.startsWith('conformance/'))).toBe(true);
  });

  it('lets an adapter import canonical, its own files and the contract', () => {
    expect(violations.filter((v) => v.from === 'adapters/cmep/codec.ts' && v.to === 'adapters/contract.ts')).toEqual([]);
  });
});
