import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Benchmark } from './bench.js';

/**
 * `npm run bench [-- NAME...]`: runs every `bench/*.bench.ts` (or the named ones) one after the
 * other, prints a table, and merges the metrics into `bench/results/latest.json` as
 * {"NAME": {"metric": number}} (other benchmarks' earlier results are kept).
 */

const here = fileURLToPath(new URL('.', import.meta.url));

export async function discover(dir = here): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const f of (await readdir(dir)).sort()) if (f.endsWith('.bench.ts')) out.set(basename(f, '.bench.ts'), join(dir, f));
  return out;
}

export async function loadBenchmark(file: string): Promise<Benchmark> {
  const mod = (await import(pathToFileURL(file).href)) as { default?: Benchmark };
  if (!mod.default || typeof mod.default.run !== 'function') throw new Error(`${file} must export default { name, run() }`);
  return mod.default;
}

export async function mergeResults(file: string, results: Record<string, Record<string, number>>): Promise<Record<string, Record<string, number>>> {
  let previous: Record<string, Record<string, number>> = {};
  try {
    previous = JSON.parse(await readFile(file, 'utf8')) as typeof previous;
  } catch {
    // First run, or a damaged file: start over.
  }
  const merged = { ...previous, ...results };
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, `${JSON.stringify(merged, null, 2)}\n`);
  return merged;
}

export function formatTable(rows: Array<{ bench: string; metric: string; value: number; goal?: string; met?: boolean | undefined }>): string {
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1));
  const cols = [
    ['benchmark', ...rows.map((r) => r.bench)],
    ['metric', ...rows.map((r) => r.metric)],
    ['value', ...rows.map((r) => fmt(r.value))],
    ['goal', ...rows.map((r) => (r.goal ? `${r.goal} ${r.met ? '✓' : '✗'}` : ''))],
  ];
  const widths = cols.map((c) => Math.max(...c.map((s) => s.length)));
  const line = (i: number) => cols.map((c, j) => c[i]!.padEnd(widths[j]!)).join('  ').trimEnd();
  return [line(0), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((_, i) => line(i + 1))].join('\n');
}

export async function benchMain(argv: string[], print: (l: string) => void = (l) => console.log(l)): Promise<number> {
  const all = await discover();
  const names = argv.filter((a) => !a.startsWith('-'));
  const unknown = names.filter((n) => !all.has(n));
  if (unknown.length) {
    print(`unknown benchmark(s): ${unknown.join(', ')}; known: ${[...all.keys()].join(', ')}`);
    return 2;
  }
  const chosen = names.length ? names : [...all.keys()];
  const results: Record<string, Record<string, number>> = {};
  const rows: Parameters<typeof formatTable>[0] = [];
  let failed = 0;
  for (const name of chosen) {
    const bench = await loadBenchmark(all.get(name)!);
    print(`running ${name}: ${bench.description}`);
    try {
      const metrics = await bench.run();
      results[name] = metrics;
      for (const [metric, value] of Object.entries(metrics)) {
        const g = [...(bench.goal ? [bench.goal] : []), ...(bench.goals ?? [])].find((goal) => goal.metric === metric);
        rows.push({ bench: name, metric, value, goal: g ? `${g.op} ${g.value}` : undefined, met: g ? (g.op === '>=' ? value >= g.value : value <= g.value) : undefined });
      }
    } catch (error) {
      failed++;
      print(`  ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }
  if (rows.length) print(`\n${formatTable(rows)}`);
  const out = join(here, 'results', 'latest.json');
  await mergeResults(out, results);
  print(`\nresults merged into ${out}`);
  return failed ? 1 : 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await benchMain(process.argv.slice(2));
}
