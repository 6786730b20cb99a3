import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Stryker as StrykerClass } from '@stryker-mutator/core';
import { formatTable, mergeResults } from '../bench/run.js';
import { mutationMetrics, survivors, type MutationReport } from '../bench/lib/mutation-score.js';

/**
 * `npm run mutate [-- --full]`: Stryker over the safety-critical core (stryker.config.mjs), then the
 * score into bench/results/latest.json as `mutation.score_safety_core` (goal >= 85).
 *
 * Stryker is started through its API rather than its CLI: StrykerJS 10 declares Node >= 22 and its
 * CLI module (which the package's main entry re-exports) throws on import under Node 20, which this
 * project still supports. The engine itself runs on Node 20 (measured), so we load `dist/src/stryker.js`
 * by file path. On Node >= 22, `npx stryker run` with the same config is equivalent (without the
 * metric step). See docs/contributors/mutation-testing.md.
 * `--full` ignores the incremental cache: use it for the number you publish. `--static` also runs
 * the static mutants (module-level constants and regexes), which the habitual run skips for time.
 */

const GOAL = 85;
const root = fileURLToPath(new URL('..', import.meta.url));

const full = process.argv.includes('--full');
const withStatic = process.argv.includes('--static');
// Re-reads the last report (bench/results/mutation.json) without running Stryker.
const reportOnly = process.argv.includes('--report-only');
const started = process.hrtime.bigint();
if (!reportOnly) {
  const core = dirname(createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json'));
  const { Stryker } = (await import(pathToFileURL(join(core, 'dist', 'src', 'stryker.js')).href)) as { Stryker: typeof StrykerClass };
  await new Stryker({ configFile: join(root, 'stryker.config.mjs'), force: full, ...(withStatic ? { ignoreStatic: false } : {}) }).runMutationTest();
}
const seconds = reportOnly ? undefined : Number(process.hrtime.bigint() - started) / 1e9;

const report = JSON.parse(await readFile(join(root, 'bench', 'results', 'mutation.json'), 'utf8')) as MutationReport;
const metrics = mutationMetrics(report, seconds);
await mergeResults(join(root, 'bench', 'results', 'latest.json'), { mutation: metrics });

const left = survivors(report);
// The raw list for whoever updates the survivor list in docs/contributors/mutation-testing.md.
await writeFile(join(root, 'bench', 'results', 'mutation-survivors.txt'), left.length ? `${left.join('\n')}\n` : '');
if (left.length) console.log(`\nsurviving / uncovered mutants (${left.length}, also in bench/results/mutation-survivors.txt):\n${left.join('\n')}`);
const rows = Object.entries(metrics).map(([metric, value]) =>
  metric === 'score_safety_core' ? { bench: 'mutation', metric, value, goal: `>= ${GOAL}`, met: value >= GOAL } : { bench: 'mutation', metric, value },
);
console.log(`\n${formatTable(rows)}\n\n${reportOnly ? 'last report' : `${full ? 'full' : 'incremental'} run${withStatic ? ' with static mutants' : ''}, ${seconds!.toFixed(0)} s`}; merged into bench/results/latest.json`);
process.exitCode = metrics.score_safety_core! >= GOAL ? 0 : 1;
