// Mutation testing of the safety-critical core: `npm run mutate` (docs/contributors/mutation-testing.md).
// Kept out of `npm test`: it takes minutes, not seconds.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts', related: true },
  // Each mutant runs only the tests that executed its code, found in one instrumented dry run.
  coverageAnalysis: 'perTest',
  concurrency: 2,
  // Static mutants (module-level constants, the regexes of the target and incident-id grammars,
  // provider limits) cannot use per-test coverage: each one re-runs every related test file. Measured
  // here, they were 17% of the mutants and most of the run time, which breaks the 15-minute budget,
  // so the habitual run leaves them out; `npm run mutate -- --static` includes them.
  ignoreStatic: true,
  mutate: [
    'src/core/ip/{guard,blast-radius,cidr,parse-addresses,limits}.ts',
    'src/core/{audit,canonical-json,redact,incident-id,inputs,target}.ts',
    'src/core/incident/{close-gate,calendar,clock}.ts',
  ],
  // The sandbox needs only what these tests import; copying dist/, actions/ and infra/ costs time.
  ignorePatterns: ['/*', '!/src', '!/package.json', '!/tsconfig.json', '!/vitest.mutate.config.ts'],
  // A local cache (bench/results/ is git-ignored) that speeds up the kill-a-survivor loop; the
  // committed score comes from a full run (`npm run mutate -- --full`). See the doc for why.
  incremental: true,
  incrementalFile: 'bench/results/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'bench/results/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  thresholds: { high: 90, low: 85, break: null },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 5_000,
};
