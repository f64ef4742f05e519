/**
 * Benchmarks, one per capability: `npm run bench -- <name> [options]`.
 * Each prints its figures together with the machine and the command that produced them.
 */
import { describeMachine } from './machine.js';

type Benchmark = (args: readonly string[]) => Promise<void>;

const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  bus: async () => (await import('./bus.js')).runBusBenchmark,
  ingest: async () => (await import('./ingest.js')).runIngestBenchmark,
  'mdm-determinants': async () => (await import('./mdm-determinants.js')).runMdmDeterminantsBenchmark,
  'cmep-parse': async () => (await import('./cmep-parse.js')).runCmepParseBenchmark,
  'cmep-export': async () => (await import('./cmep-export.js')).runCmepExportBenchmark,
  'mdm-store': async () => (await import('./mdm-store.js')).runMdmStoreBenchmark,
  'mdm-ingest': async () => (await import('./mdm-ingest.js')).runMdmIngestBenchmark,
  'mdm-aggregate': async () => (await import('./mdm-aggregate.js')).runMdmAggregateBenchmark,
  'mv90-import': async () => (await import('./mv90-import.js')).runMv90ImportBenchmark,
  multispeak: async () => (await import('./multispeak.js')).runMultiSpeakBenchmark,
};

async function main(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const load = name === undefined ? undefined : BENCHMARKS[name];
  if (load === undefined) {
    console.error(`usage: npm run bench -- <${Object.keys(BENCHMARKS).join('|')}> [options]`);
    process.exitCode = 2;
    return;
  }
  console.log(`machine: ${describeMachine()}`);
  console.log(`command: npm run bench -- ${[name, ...args].join(' ')}`);
  const run = await load();
  await run(args);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
