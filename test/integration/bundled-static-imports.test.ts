import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { bundleOptions, listEntries } from '../../scripts/build.mjs';
import { REPO_ROOT } from '../helpers/run-action.js';

/**
 * The one shared build must not make an entry load more at start-up than a build of that entry
 * alone would. esbuild keeps or drops an import for all entries of a build at once: when a module
 * several bundles share imports an SDK that only one of them uses (clients.ts importing the
 * Cloudflare SDK did), every bundle that reaches the module loads the SDK on start, although the
 * code that uses it is tree-shaken for them. Compares, per entry, the source files reached through
 * static imports (what node loads before the first line runs) in the shared build and alone.
 */
type Meta = esbuild.Metafile;
const SLACK_BYTES = 4 * 1024;

async function build(entries: Array<{ in: string; out: string }>): Promise<Meta> {
  const { entryPoints: _e, outfile: _o, ...common } = bundleOptions('', '', REPO_ROOT);
  const res = await esbuild.build({ ...common, entryPoints: entries, outdir: '/nonexistent-out', splitting: true, entryNames: '[name]', chunkNames: '[name]-[hash]', metafile: true, write: false });
  return res.metafile!;
}

/** Input file → bytes, over the output files `entry` loads through static imports. */
function loadedAtStart(meta: Meta, entry: string): Map<string, number> {
  const start = Object.keys(meta.outputs).find((k) => k.endsWith(`/${entry}.js`))!;
  const seen = new Set<string>();
  const todo = [start];
  while (todo.length) {
    const out = todo.pop()!;
    if (seen.has(out)) continue;
    seen.add(out);
    for (const i of meta.outputs[out]!.imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
  }
  const inputs = new Map<string, number>();
  for (const out of seen) for (const [file, v] of Object.entries(meta.outputs[out]!.inputs)) if (v.bytesInOutput > 0) inputs.set(file, (inputs.get(file) ?? 0) + v.bytesInOutput);
  return inputs;
}

afterAll(async () => {
  await esbuild.stop();
});

describe('the shared build', () => {
  it('loads no source at an entry’s start that a build of that entry alone would leave out', async () => {
    const entries: Array<{ in: string; out: string }> = await listEntries(REPO_ROOT);
    expect(entries.map((e) => e.out)).toContain('preflight');
    const shared = await build(entries);
    const extra: Record<string, string[]> = {};
    for (const entry of entries) {
      const alone = loadedAtStart(await build([entry]), entry.out);
      const together = loadedAtStart(shared, entry.out);
      const more = [...together].filter(([f]) => !alone.has(f));
      const bytes = more.reduce((n, [, b]) => n + b, 0);
      // A few hundred bytes of a library's module-level code are noise (zod's `iso` namespace);
      // a dragged-in SDK is hundreds of KB.
      if (bytes > SLACK_BYTES) extra[entry.out] = more.sort((a, b) => b[1] - a[1]).slice(0, 5).map(([f, b]) => `${f} (${b} B)`);
    }
    expect(extra).toEqual({});
  }, 180_000);
});

describe('what every action loads before its capability', () => {
  it('bundles the AWS SDK from its ES modules, never its CommonJS build', async () => {
    // With `conditions: ['import', 'node']` and no 'module', esbuild resolved @smithy/core and
    // @aws-sdk/core to dist-cjs (their exports list "node" before "import"): ~500 KB of CommonJS
    // that cannot be tree-shaken and is wrapped as a whole on start.
    const shared = await build(await listEntries(REPO_ROOT));
    const cjs = Object.keys(shared.inputs).filter((f) => /node_modules\/@(aws-sdk|smithy|aws)\/[^/]+\/dist-cjs\//.test(f));
    expect(cjs).toEqual([]);
  }, 180_000);

  it('loads no YAML parser, schema library or SDK in the shared action shell: a run without firebreak.yml needs none', async () => {
    const meta = await build([{ in: 'src/runtime/capability-action.ts', out: 'capability-action' }]);
    const heavy = [...loadedAtStart(meta, 'capability-action').keys()].filter((f) => /node_modules\/(yaml|zod|@aws-sdk|@smithy|cloudflare|@octokit|libsodium[^/]*)\//.test(f));
    expect(heavy).toEqual([]);
  }, 60_000);

  it('compiles only the Cloudflare resources firebreak calls (account lists, rulesets, Workers), not the whole API', async () => {
    // `new Cloudflare()` registers every resource of the API: ~650 KB in block-ips, unblock-ips and
    // sweep-expired, compiled on every run. The SDK's tree-shakable client takes only what we name.
    const shared = await build(await listEntries(REPO_ROOT));
    const resources = new Set<string>();
    for (const out of Object.values(shared.outputs)) {
      for (const [file, v] of Object.entries(out.inputs)) {
        const m = /node_modules\/cloudflare\/resources\/(.+)$/.exec(file);
        if (m && v.bytesInOutput > 0) resources.add(m[1]!);
      }
    }
    // Lists (block-ips), rulesets (routes and rate limits), Workers (rollback); nothing else.
    expect([...resources].filter((r) => !/^(rules\/lists|rulesets|workers)\//.test(r))).toEqual([]);
    expect(resources.size).toBeGreaterThan(0);
  }, 180_000);
});
