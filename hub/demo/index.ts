/**
 * The `busbar start --demo` utility: a few hundred electric, water and gas usage points with
 * meters (plan.ts, seed.ts) and a generated CMEP file for yesterday with a few bad lines
 * (cmep-file.ts), dropped into the demo source's folder for the running hub to import (run.ts).
 */
export { demoCmepFile, type DemoBadLine, type DemoCmepFile } from './cmep-file.js';
export { DEFAULT_DEMO_SIZE, DEMO_FIRST_USAGE_POINT, DEMO_NAME_TYPE, DEMO_SOURCE, DEMO_ZONES, demoLocalDate, demoPlan, type DemoPlan, type DemoUsagePoint } from './plan.js';
export { DEMO_KWH_15, demoDropFolder, runDemo, withDemoSource, type DemoOutcome } from './run.js';
export { isDemoSeeded, seedDemo, type DemoSeedSummary } from './seed.js';
