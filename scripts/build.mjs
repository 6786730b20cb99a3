#!/usr/bin/env node
/**
 * ONE esbuild run bundles every action (`actions/<slug>/index.ts`) and the CLI (`src/cli/main.ts`)
 * into the shared top-level `dist/`: `dist/<slug>.js` per action (its action.yml says
 * `runs: { using: node24, main: ../../dist/<slug>.js }`), `dist/cli.js` for `bin/firebreak.js`,
 * and the code they share in content-hashed chunks next to them, emitted once.
 *
 * Choices, and why:
 * - ESM with code splitting (`splitting` needs `format: 'esm'`): a chunk shared by twelve actions is
 *   one file, not twelve copies, and code reached only by a dynamic `import()` (Octokit behind the
 *   incident-issue mirror, the SDK's SSO/STS credential providers, one CLI command's module) lands
 *   in its own chunk that is compiled only when used: that is what keeps cold start low.
 *   @actions/core 3 ships ESM only, and libsodium-wrappers' ESM build is the one that finds its
 *   WebAssembly without `__dirname`. CommonJS dependencies inlined into an ESM bundle still call
 *   `require("net")` and friends (`tunnel` under @actions/http-client does): without the
 *   `createRequire` banner the bundle dies with "Dynamic require of "net" is not supported".
 * - Flat: entries and chunks in one folder, so a source's `new URL('./x', import.meta.url)` means
 *   the same file whichever chunk its code lands in. Such files are listed in ASSETS and copied
 *   next to the chunks; the build fails on a bundle that opens one that is not there
 *   (`missingRelativeFiles`).
 * - `dist/package.json` says `"type": "module"` so the `.js` files are ES modules even when dist/ is
 *   copied out of the repository (GitHub runs `node <main>`; the root package.json says so too).
 * - `target: 'node20'`: the oldest Node we run on (this repo's tests, the CLI); runners use node24.
 * - Minified: a bundle with the AWS SDK is ~3× smaller minified, which node parses on every start.
 *   Reviewers read `src/`, not `dist/`; `check:dist` proves dist is a fresh build.
 * - `undici` is aliased to src/runtime/bundle/undici-unused.ts: only @actions/http-client's proxy
 *   dispatcher needs it, and no firebreak code path calls that (start-up cost, see that module).
 * - The package version is compiled in (`FIREBREAK_VERSION`): the CLI bundle cannot find
 *   package.json by a relative path that differs between src/ and dist/.
 * - Deterministic: no timestamps, no sourcemaps (they embed paths), paths relative to the repo,
 *   legal comments kept at the end of each file (`eof`) so licences travel with the code.
 */
import { copyFile, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The shared output folder, relative to the repository root. */
export const DIST = 'dist';
/** The CLI's entry, relative to the repository root; its bundle is `dist/cli.js`. */
export const CLI_ENTRY = 'src/cli/main.ts';
export const CLI_OUT = 'cli';
const BANNER = [
  "import { createRequire as __firebreakCreateRequire } from 'node:module';",
  'const require = __firebreakCreateRequire(import.meta.url);',
].join('\n');
export const DIST_PACKAGE_JSON = '{\n  "type": "module"\n}\n';

/**
 * Files a bundled source opens by `new URL('./<name>', import.meta.url)`, copied into dist/ as is
 * (source path relative to the repository root). The audit scanner is also a worker_threads entry.
 */
export const ASSETS = ['src/providers/local/audit-scan.mjs', 'src/providers/local/triage-scan.mjs'];

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
    if (await isFile(join(dir, name, 'index.ts'))) out.push(name);
  }
  return out;
}

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (error.code === 'ENOENT') return false;
    throw error;
  }
}

async function readVersion(root) {
  try {
    return JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version ?? '0.0.0';
  } catch (error) {
    if (error.code === 'ENOENT') return '0.0.0';
    throw error;
  }
}

/**
 * What the bundles open relative to their own file (`new URL('<path>', import.meta.url)`, after
 * minification and dead-code removal) that is not in dist/: such code would break only when that
 * path runs, on a runner or a responder's laptop. The build fails on any; put the file in ASSETS.
 */
export async function missingRelativeFiles(outdir) {
  const problems = [];
  for (const name of (await readdir(outdir)).filter((f) => f.endsWith('.js')).sort()) {
    const text = await readFile(join(outdir, name), 'utf8');
    for (const m of text.matchAll(/new URL\(\s*["'`]([^"'`]+)["'`]\s*,\s*import\.meta\.url\s*\)/g)) {
      if (!(await isFile(resolve(outdir, m[1])))) problems.push(`${DIST}/${name} opens ${m[1]} relative to itself, and ${DIST}/ has no such file (add its source to ASSETS in scripts/build.mjs)`);
    }
  }
  return problems;
}

/** esbuild options shared by the build and by tests that bundle a probe the same way. */
export function bundleOptions(entry, outfile, root = ROOT, { version = '0.0.0' } = {}) {
  return {
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // Prefer packages' ES module builds: better tree shaking, and @actions/core has no other.
    // 'module' matters for `exports` maps: @smithy/core and @aws-sdk/core list "module" (ESM),
    // then "node" (CommonJS), then "import". Without 'module' the SDK came from dist-cjs: ~500 KB
    // that cannot be tree-shaken, wrapped and copied on start (preflight 5.2x -> 4.6x node -e 0).
    mainFields: ['module', 'main'],
    conditions: ['module', 'import', 'node'],
    banner: { js: BANNER },
    // undici is reachable only through @actions/http-client's proxy dispatcher, which firebreak
    // never uses: leaving it out saves ~400 KB and ~50 ms of every action's start (see the module).
    alias: { undici: join(root, 'src/runtime/bundle/undici-unused.ts') },
    define: { FIREBREAK_VERSION: JSON.stringify(version) },
    minify: true,
    // Error classes name themselves from `new.target.name` (src/core/errors.ts): minified, a
    // ConfigError would be reported as "u" in --json output and action results.
    keepNames: true,
    legalComments: 'eof',
    sourcemap: false,
    charset: 'utf8',
    logLevel: 'silent',
    metafile: false,
    write: true,
  };
}

/** The entries of the one build: each action by slug, and the CLI when the repository has one. */
export async function listEntries(root = ROOT, slugs) {
  const list = slugs ?? (await listActions(root));
  const entries = list.map((slug) => ({ in: join('actions', slug, 'index.ts'), out: slug }));
  if (await isFile(join(root, CLI_ENTRY))) entries.push({ in: CLI_ENTRY, out: CLI_OUT });
  return entries;
}

/**
 * Writes `<outRoot>/dist/{<slug>.js…, cli.js, <chunk>-<hash>.js…, package.json, assets}` in ONE
 * esbuild call. dist/ is emptied first: chunk names carry content hashes, old ones would linger.
 * Returns the entries' files and sizes, and every file written (relative to dist/).
 */
export async function buildAll({ root = ROOT, outRoot = root, slugs } = {}) {
  const entries = await listEntries(root, slugs);
  const outdir = join(outRoot, DIST);
  await rm(outdir, { recursive: true, force: true });
  if (entries.length === 0) return { entries: [], files: [] };
  const assets = [];
  for (const a of ASSETS) if (await isFile(join(root, a))) assets.push(a);
  const { entryPoints: _single, outfile: _file, ...common } = bundleOptions('', '', root, { version: await readVersion(root) });
  const res = await esbuild.build({
    ...common,
    entryPoints: entries,
    outdir,
    splitting: true,
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    metafile: true,
  });
  if (res.errors.length) throw new Error(res.errors.map((e) => e.text).join('; '));
  await writeFile(join(outdir, 'package.json'), DIST_PACKAGE_JSON, 'utf8');
  for (const a of assets) await copyFile(join(root, a), join(outdir, a.split('/').pop()));
  const missing = await missingRelativeFiles(outdir);
  if (missing.length) throw new Error(missing.join('; '));
  const files = (await readdir(outdir)).sort();
  const built = await Promise.all(
    entries.map(async (e) => {
      const file = join(outdir, `${e.out}.js`);
      return { name: e.out, entry: e.in, size: (await stat(file)).size, file: relative(outRoot, file) };
    }),
  );
  return { entries: built, files };
}

async function main() {
  const started = performance.now();
  const { entries, files } = await buildAll();
  for (const r of entries) console.log(`built ${r.file} (${(r.size / 1024).toFixed(0)} KiB)`);
  const chunks = files.length - entries.length;
  console.log(`${entries.length} entries and ${chunks} shared file(s) in ${DIST}/ in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // End esbuild's service process while we are alive to reap it; otherwise it outlives us as a zombie.
  await esbuild.stop();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
