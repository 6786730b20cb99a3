import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { FirebreakError, InputError } from '../../core/errors.js';
import { globalsOf, ioOf, printJson } from '../io.js';

/**
 * `firebreak drill --runbook FILE…`: runs each runbook's drill plan against the emulators (see
 * src/drill/runbook/run.ts) and exits non-zero when any check fails. `--stamp` writes today's date
 * into `last_tested` of each runbook that drilled green: the scheduled drill workflow opens a pull
 * request with that change, so the date is never typed by hand. Without `--runbook` it runs the
 * capability scenarios (`npm run drill`).
 */
export class DrillFailedError extends FirebreakError {
  readonly code = 'DRILL_FAILED';
  readonly exit = 'unexpected' as const;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * The drill's modules load from the sources beside this file, never from the bundle: they start
 * emulators whose API descriptions are files next to them, which the bundled CLI (dist/cli.js) does
 * not carry. From a firebreak checkout that is `npm run drill`, `npm run firebreak -- drill`, or
 * FIREBREAK_DEV=1; the bundled CLI says so instead of failing halfway.
 */
async function drillModule<T>(relative: string): Promise<T> {
  const url = new URL(relative, import.meta.url);
  try {
    return (await import(url.href)) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String((error as Error).message).includes(url.pathname.split('/').slice(-2).join('/'))) {
      throw new InputError('firebreak drill runs from a firebreak checkout\'s sources (it starts the emulators)', {
        code: 'DRILL_NEEDS_SOURCES',
        hint: 'From a checkout: `npm run drill -- --runbook FILE`, or FIREBREAK_DEV=1 ./bin/firebreak.js drill …',
      });
    }
    throw error;
  }
}

export function register(program: Command): void {
  program
    .command('drill')
    .description('drill runbooks end to end against the emulators (or the capability scenarios without --runbook)')
    .argument('[scenario...]', 'capability scenarios to run (without --runbook; default: all)')
    .option('--runbook <file>', 'a runbook with a drill: plan (repeatable)', collect, [])
    .option('--latency <ms>', 'add this delay to every emulator request')
    .option('--faults <spec>', 'inject failures: <service>:<operation>[=<status>][x<times>], comma-separated')
    .option('--report <file>', 'write the JSON report here')
    .option('--stamp', "write today's date into last_tested of each runbook that drilled green", false)
    .option('--keep', 'keep the work dir (config, audit chain) for inspection', false)
    .option('--target <name>', 'run against this real staging target from drill.targets in firebreak.yml (every change reverted at the end)')
    .option('--config <file>', 'firebreak.yml naming the target (with --target)')
    .option('--skip-missing-fixtures', 'run steps that have no drill fixture anyway (they still fail the drill); for fixture authors', false)
    .action(async (scenarios: string[], opts: { runbook: string[]; latency?: string; faults?: string; report?: string; stamp: boolean; keep: boolean; skipMissingFixtures: boolean; target?: string; config?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const print = (line: string) => (json ? io.stderr(line) : io.stdout(line));
      if (opts.runbook.length === 0) {
        if (opts.latency || opts.faults || opts.stamp) throw new InputError('--latency, --faults and --stamp need --runbook', { code: 'USAGE' });
        const { drillMain } = await drillModule<typeof import('../../drill/main.js')>('../../drill/main.js');
        const code = await drillMain([...scenarios, ...(opts.report ? ['--report', opts.report] : []), ...(opts.keep ? ['--keep'] : [])], undefined, print);
        if (code !== 0) throw new DrillFailedError('the drill failed: see the ✗ lines above');
        return;
      }
      if (scenarios.length) throw new InputError('give scenarios or --runbook, not both', { code: 'USAGE' });
      if (opts.target !== undefined && (opts.latency || opts.faults)) throw new InputError('--latency and --faults replay against the emulators, not a real --target', { code: 'USAGE' });
      const latencyMs = opts.latency === undefined ? 0 : Number(opts.latency);
      if (!Number.isInteger(latencyMs) || latencyMs < 0 || latencyMs > 60_000) throw new InputError('--latency must be whole milliseconds between 0 and 60000', { field: 'latency' });
      const { parseFaultSpecs } = await drillModule<typeof import('../../drill/runbook/fault-spec.js')>('../../drill/runbook/fault-spec.js');
      const faults = opts.faults ? parseFaultSpecs(opts.faults) : [];
      const { drillRunbook, formatRunbookReport } = await drillModule<typeof import('../../drill/runbook/run.js')>('../../drill/runbook/run.js');
      const reports = [];
      for (const file of opts.runbook) {
        print(`drill: ${file}`);
        const report = await drillRunbook({ file: resolve(io.cwd, file), latencyMs, faults, print, keepWorkDir: opts.keep, skipMissingFixtures: opts.skipMissingFixtures, ...(opts.target !== undefined ? { target: opts.target, env: io.env, cwd: io.cwd, ...(opts.config ? { configFile: opts.config } : {}) } : {}) });
        print(formatRunbookReport(report));
        reports.push(report);
        if (opts.stamp && report.ok) await stampLastTested(resolve(io.cwd, file), (io.clock?.now() ?? new Date()).toISOString().slice(0, 10));
      }
      if (opts.report) await writeFile(resolve(io.cwd, opts.report), `${JSON.stringify(reports, null, 2)}\n`);
      if (json) printJson(io, { ok: reports.every((r) => r.ok), runbooks: reports });
      const failed = reports.filter((r) => !r.ok);
      if (failed.length) throw new DrillFailedError(`${failed.map((r) => r.runbook).join(', ')}: drill failed`, { hint: 'Each ✗ line above names the step and what the emulators showed. Fix the runbook, the fixture or the step, and drill again.' });
    });
}

/** Sets `last_tested:` in the front matter (adds it after last_reviewed when absent); the rest of the file is kept byte for byte. */
export async function stampLastTested(file: string, date: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  const end = text.indexOf('\n---', 3);
  if (!text.startsWith('---') || end < 0) throw new InputError(`${file} has no front matter to stamp`, { code: 'RUNBOOK_INVALID' });
  let head = text.slice(0, end);
  if (/^last_tested:.*$/m.test(head)) head = head.replace(/^last_tested:.*$/m, `last_tested: ${date}`);
  else if (/^last_reviewed:.*$/m.test(head)) head = head.replace(/^(last_reviewed:.*)$/m, `$1\nlast_tested: ${date}`);
  else head = `${head}\nlast_tested: ${date}`;
  await writeFile(file, head + text.slice(end));
}
