/**
 * The dependency rules of DESIGN.md, enforced in CI (`npm run depcheck`).
 * A violation or an import cycle fails the run; test/dependency-rules.test.ts proves it does.
 */
const CORES = '(mdm|core-cis|erp)';
const ALL_OURS = '^(canonical|adapters|mdm|core-cis|erp|flows|conformance|hub|bench|test)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'No import cycles anywhere.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'canonical-is-a-leaf',
      severity: 'error',
      comment: 'canonical imports nothing of ours.',
      from: { path: '^canonical/' },
      to: { path: ALL_OURS, pathNot: '^canonical/' },
    },
    {
      name: 'adapter-imports-canonical-and-contract-only',
      severity: 'error',
      comment: 'An adapter imports canonical and adapters/contract only: never a core, hub, flows or another adapter.',
      from: { path: '^adapters/([^/]+)/' },
      to: {
        path: ALL_OURS,
        pathNot: ['^canonical/', '^adapters/contract\\.ts$', '^adapters/$1/'],
      },
    },
    {
      name: 'adapter-contract-imports-canonical-only',
      severity: 'error',
      from: { path: '^adapters/contract\\.ts$' },
      to: { path: ALL_OURS, pathNot: ['^canonical/'] },
    },
    {
      name: 'core-imports-canonical-and-itself-only',
      severity: 'error',
      comment: 'A core imports canonical and its own files only: never another core, an adapter or hub.',
      from: { path: `^${CORES}/` },
      to: { path: ALL_OURS, pathNot: ['^canonical/', '^$1/'] },
    },
    {
      name: 'flows-and-conformance-use-canonical-contract-and-bus',
      severity: 'error',
      from: { path: '^(flows|conformance)/' },
      to: {
        path: ALL_OURS,
        pathNot: ['^canonical/', '^adapters/contract\\.ts$', '^hub/bus/bus\\.ts$', '^$1/'],
      },
    },
    {
      name: 'only-hub-bench-and-tests-wire-things',
      severity: 'error',
      comment: 'Nothing outside hub, bench and end-to-end tests imports hub (flows/conformance may use the bus client).',
      from: { path: '^(canonical|adapters|mdm|core-cis|erp)/' },
      to: { path: '^hub/' },
    },
    {
      name: 'no-test-code-in-production',
      severity: 'error',
      from: { path: '^(canonical|adapters|mdm|core-cis|erp|flows|conformance|hub)/', pathNot: '(\\.test\\.ts$|/testing/)' },
      to: { path: '(\\.test\\.ts$|/testing/)' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(dist|data|node_modules)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
