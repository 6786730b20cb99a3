#!/usr/bin/env node
/**
 * Bundles every `actions/<slug>/index.ts` into `actions/<slug>/dist/index.js`, the file the runner
 * executes with plain `node` (action.yml: `runs.using: node24`, `main: dist/index.js`).
 *
 * Choices, and why:
 * - ESM (`format: 'esm'`): the repository is `"type": "module"`, @actions/core 3 ships ESM only,
 *   and libsodium-wrappers' ESM build is the one that finds its WebAssembly without `__dirname`.
 *   CommonJS dependencies that call `require()` at run time (the AWS SDK's optional modules,
 *   libsodium's `require("crypto")` probe) get a real `require` from `createRequire` in the banner.
 *   `dist/package.json` says `"type": "module"` so the bundle runs even when copied out of the repo.
 * - `target: 'node20'`: the oldest Node we run on (this repo's tests); runners use node24.
 * - Minified: a bundle with the AWS SDK is ~3× smaller minified, which the runner parses on every
 *   step start. Reviewers read `src/`, not `dist/`; `check:dist` proves dist is a fresh build.
 * - Deterministic: no timestamps, no sourcemaps (they embed paths), paths relative to the repo,
 *   legal comments kept at the end of the file (`eof`) so licences travel with the code.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
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
    minify: true,
    legalComments: 'eof',
    sourcemap: false,
    charset: 'utf8',
    logLevel: 'silent',
    metafile: false,
    write: true,
  };
}

/** Writes `<outRoot>/actions/<slug>/dist/{index.js,package.json}` for each slug. */
export async function buildActions({ root = ROOT, outRoot = root, slugs } = {}) {
  const list = slugs ?? (await listActions(root));
  const results = await Promise.all(
    list.map(async (slug) => {
      const outDir = join(outRoot, 'actions', slug, 'dist');
      await mkdir(outDir, { recursive: true });
      const entry = join('actions', slug, 'index.ts');
      const res = await esbuild.build(bundleOptions(entry, join(outDir, 'index.js'), root));
      if (res.errors.length) throw new Error(`${slug}: ${res.errors.map((e) => e.text).join('; ')}`);
      await writeFile(join(outDir, 'package.json'), DIST_PACKAGE_JSON, 'utf8');
      const { size } = await stat(join(outDir, 'index.js'));
      return { slug, size, file: relative(outRoot, join(outDir, 'index.js')) };
    }),
  );
  return results;
}

async function main() {
  const started = performance.now();
  const results = await buildActions();
  for (const r of results) console.log(`built ${r.file} (${(r.size / 1024).toFixed(0)} KiB)`);
  console.log(`${results.length} action(s) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
