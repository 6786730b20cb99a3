#!/usr/bin/env node
/**
 * Fails when the committed `dist/` is not exactly what `npm run build` produces now: a stale bundle
 * would run old code behind a reviewed `src/` (in an action, or in the CLI). Rebuilds into a
 * temporary directory (the working tree is never touched) and compares every file both ways.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { DIST, ROOT, buildAll } from './build.mjs';

async function listFiles(dir, prefix = '') {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  }
  const out = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...((await listFiles(join(dir, e.name), rel)) ?? []));
    else out.push(rel);
  }
  return out.sort();
}

/** Returns the build's entries and one line per problem; no problems when dist/ matches a fresh build. */
export async function checkDist({ root = ROOT } = {}) {
  const tmp = await mkdtemp(join(tmpdir(), 'firebreak-check-dist-'));
  const problems = [];
  try {
    const { entries } = await buildAll({ root, outRoot: tmp });
    const committedDir = join(root, DIST);
    const freshDir = join(tmp, DIST);
    const committed = await listFiles(committedDir);
    const fresh = (await listFiles(freshDir)) ?? [];
    if (committed === undefined || committed.length === 0) {
      if (fresh.length) problems.push(`${DIST}/: missing (run npm run build and commit it)`);
      return { entries, problems };
    }
    for (const f of fresh) {
      if (!committed.includes(f)) problems.push(`${DIST}/${f}: missing`);
      else if (!(await readFile(join(committedDir, f))).equals(await readFile(join(freshDir, f)))) problems.push(`${DIST}/${f}: differs from a fresh build`);
    }
    for (const f of committed) if (!fresh.includes(f)) problems.push(`${DIST}/${f}: not produced by the build (delete it)`);
    return { entries, problems };
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function main() {
  const started = performance.now();
  const { entries, problems } = await checkDist();
  // End esbuild's service process while we are alive to reap it; otherwise it outlives us as a zombie.
  await esbuild.stop();
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length) {
    console.error(`check:dist: ${problems.length} problem(s) in ${DIST}/ (${entries.length} entries):`);
    for (const p of problems) console.error(`  ${p}`);
    console.error(`Run \`npm run build\` and commit ${DIST}/.`);
    process.exitCode = 1;
    return;
  }
  console.log(`check:dist: ${DIST}/ matches a fresh build of ${entries.length} entries (${entries.map((e) => e.name).join(', ')}) (${secs} s)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
