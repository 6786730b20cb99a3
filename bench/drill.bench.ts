import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultStarters } from '../src/drill/main.js';
import { runDrill } from '../src/drill/runner.js';
import { SCENARIOS } from '../src/drill/scenarios/index.js';
import { drillRunbook } from '../src/drill/runbook/run.js';
import { startMoto } from '../src/drill/emulators/moto.js';
import type { Benchmark } from './bench.js';

/**
 * Wall time of the default drill (`npm run drill`: every capability's scenario) and of each
 * runbook drill (`firebreak drill --runbook`), in seconds, on this machine. Goal: the default drill
 * in 30 s or less on a 2-core machine. The baseline, measured in the same run, is one moto cold
 * start (the dominant fixed cost of any drill): `ratio_vs_moto_start` says how many cold starts a
 * drill is worth, which compares across machines better than seconds do.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

async function drillRunbooks(): Promise<string[]> {
  const dir = join(root, 'runbooks');
  const out: string[] = [];
  for (const f of (await readdir(dir)).sort()) {
    if (!f.endsWith('.md')) continue;
    if (/^drill:\s*$/m.test((await readFile(join(dir, f), 'utf8')).split('\n---')[0] ?? '')) out.push(join(dir, f));
  }
  return out;
}

const bench: Benchmark = {
  name: 'drill',
  description: 'wall time of the default drill and of each runbook drill, against one moto cold start',
  goal: { metric: 'wall_s', op: '<=', value: 30 },
  async run() {
    const t0 = performance.now();
    const moto = await startMoto();
    const motoStart = (performance.now() - t0) / 1000;
    await moto.stop();

    const t1 = performance.now();
    const report = await runDrill(SCENARIOS, { starters: defaultStarters });
    const wall = (performance.now() - t1) / 1000;
    const out: Record<string, number> = {
      wall_s: wall,
      moto_start_s: motoStart,
      ratio_vs_moto_start: wall / motoStart,
      default_ok: report.ok ? 1 : 0,
    };
    for (const file of await drillRunbooks()) {
      const name = file.split('/').pop()!.replace(/\.md$/, '').replace(/-/g, '_');
      const t = performance.now();
      const r = await drillRunbook({ file });
      out[`${name}_wall_s`] = (performance.now() - t) / 1000;
      out[`${name}_ok`] = r.ok ? 1 : 0;
    }
    return out;
  },
};

export default bench;
