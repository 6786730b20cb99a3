#!/usr/bin/env node
/**
 * Bundles every `actions/<slug>/index.ts` into `actions/<slug>/dist/index.js`, the file the runner
 * executes with plain `node` (action.yml: `runs.using: node24`, `main: dist/index.js`).
 *
 * Choices, and why:
 * - ESM (`format: 'esm'`): the repository is `"type": "module"`, @actions/core 3 ships ESM only,
 *   and libsodium-wrappers' ESM build is the one that finds its WebAssembly without `__dirname`.
 *   CommonJS dependencies inlined into an ESM bundle still call `require("net")` and friends
 *   (`tunnel` under @actions/http-client does): without the `createRequire` banner the bundle dies
 *   with "Dynamic require of "net" is not supported" (checked). libsodium's probe uses it too.
 *   `dist/package.json` says `"type": "module"` so the bundle runs even when copied out of the repo.
 * - `target: 'node20'`: the oldest Node we run on (this repo's tests); runners use node24.
 * - Minified: a bundle with the AWS SDK is ~3× smaller minified, which the runner parses on every
 *   step start. Reviewers read `src/`, not `dist/`; `check:dist` proves dist is a fresh build.
 * - `undici` is aliased to src/runtime/bundle/undici-unused.ts: only @actions/http-client's proxy
 *   dispatcher needs it, and no firebreak code path calls that (start-up cost, see that module).
 * - Deterministic: no timestamps, no sourcemaps (they embed paths), paths relative to the repo,
 *   legal comments kept at the end of the file (`eof`) so licences travel with the code.
 */
import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BANNER = [
  "import { createRequire as __firebreakCreateRequire } from 'node:module';",
  'const require = __firebreakCreateRequire(import.meta.url);',
].join('\n');
export const DIST_PACKAGE_JSON = '{\n  "type": "module"\n}\n';

/** Slugs of every folder under actions/ that has an index.ts. */
export async function listActions(root = ROOT) {
  const dir = join(root, 'actions');
  let names = [];
  try {
    names = await readdir(dir);
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
  const out = [];
  for (const name of names.sort()) {
    try {
      if ((await stat(join(dir, name, 'index.ts'))).isFile()) out.push(name);
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return out;
}

/** esbuild options for one entry; shared with tests that bundle a probe the same way. */
export function bundleOptions(entry, outfile, root = ROOT) {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Prefer packages' ES module builds: better tree shaking, and @actions/core has no other.
    mainFields: ['module', 'main'],
    conditions: ['import', 'node'],
    banner: { js: BANNER },
    // undici is reachable only through @actions/http-client's proxy dispatcher, which firebreak
    // never uses: leaving it out saves ~400 KB and ~50 ms of every action's start (see the module).
    alias: { undici: join(root, 'src/runtime/bundle/undici-unused.ts') },
    minify: true,
    legalComments: 'eof',
    sourcemap: false,
    charset: 'utf8',
    logLevel: 'silent',
    metafile: false,
    write: true,
  };
}

/**
 * Writes `<outRoot>/actions/<slug>/dist/{index.js,package.json,chunks/…}` for each slug. One
 * esbuild call per action with code splitting inside that action's own dist: code reached only by
 * a dynamic `import()` (e.g. the incident-issue audit mirror and Octokit) lands in a chunk that is
 * compiled only when used, so an action starts faster. Each dist stays self-contained.
 */
export async function buildActions({ root = ROOT, outRoot = root, slugs } = {}) {
  const list = slugs ?? (await listActions(root));
  if (list.length === 0) return [];
  const outdir = join(outRoot, 'actions');
  const { entryPoints: _single, outfile: _file, ...common } = bundleOptions('', '', root);
  // A fresh dist per action: chunk names carry content hashes, so old chunks would linger.
  await Promise.all(list.map((slug) => rm(join(outdir, slug, 'dist'), { recursive: true, force: true })));
  const results = await Promise.all(
    list.map((slug) =>
      esbuild.build({
        ...common,
        entryPoints: [{ in: join('actions', slug, 'index.ts'), out: 'index' }],
        outdir: join(outdir, slug, 'dist'),
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
      }),
    ),
  );
  const res = { errors: results.flatMap((r) => r.errors) };
  if (res.errors.length) throw new Error(res.errors.map((e) => e.text).join('; '));
  return Promise.all(
    list.map(async (slug) => {
      const outDir = join(outdir, slug, 'dist');
      await writeFile(join(outDir, 'package.json'), DIST_PACKAGE_JSON, 'utf8');
      const { size } = await stat(join(outDir, 'index.js'));
      return { slug, size, file: relative(outRoot, join(outDir, 'index.js')) };
    }),
  );
}

async function main() {
  const started = performance.now();
  const results = await buildActions();
  for (const r of results) console.log(`built ${r.file} (${(r.size / 1024).toFixed(0)} KiB)`);
  console.log(`${results.length} action(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // End esbuild's service process while we are alive to reap it; otherwise it outlives us as a zombie.
  await esbuild.stop();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
