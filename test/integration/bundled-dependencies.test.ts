import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { listEntries } from '../../scripts/build.mjs';
import { REPO_ROOT } from '../helpers/run-action.js';

/**
 * The manifests say what runs. Root `dependencies` are exactly the packages that the code which
 * runs imports: the actions, the CLI (both bundled into dist/ from these sources) and the drill (run
 * from source); everything else (build, tests, types, benchmarks, the kit's SDKs for the root's
 * infra tests) is a devDependency. `infra/` and `infra/policy/` install on their own, for
 * `pulumi up` and `pulumi policy publish`: their dependencies are what the program and the pack
 * import, plus tsx, which loads their TypeScript, at the versions the root tests them with.
 * Imports are read by esbuild (type-only imports erased, dynamic imports followed).
 */
interface Manifest {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = (path: string) => JSON.parse(readFileSync(join(REPO_ROOT, path), 'utf8')) as Manifest;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Packages imported (as values) by the first-party code reachable from `entries`. */
async function importedPackages(entries: string[]): Promise<string[]> {
  const res = await esbuild.build({
    absWorkingDir: REPO_ROOT,
    entryPoints: entries,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    splitting: true,
    outdir: '/nonexistent-out',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const names = new Set<string>();
  for (const input of Object.values(res.metafile.inputs)) {
    for (const i of input.imports) if (i.external && !i.path.startsWith('node:')) names.add(packageName(i.path));
  }
  return [...names].sort();
}

afterAll(async () => {
  await esbuild.stop();
});

describe('package manifests', () => {
  it('root dependencies are what the actions, the CLI and the drill import, and nothing else', async () => {
    const entries: Array<{ in: string }> = await listEntries(REPO_ROOT);
    const runs = await importedPackages([...entries.map((e) => e.in), 'src/drill/main.ts']);
    expect(runs).toContain('@actions/core');
    expect(runs).toContain('commander');
    const root = manifest('package.json');
    expect(Object.keys(root.dependencies ?? {}).sort()).toEqual(runs);
    expect(Object.keys(root.devDependencies ?? {}).filter((d) => d in (root.dependencies ?? {}))).toEqual([]);
  });

  it.each([
    ['infra', 'infra/index.ts'],
    ['infra/policy', 'infra/policy/index.ts'],
  ])('%s installs on its own: its dependencies are what it imports plus tsx, at the versions the root tests', async (dir, entry) => {
    const own = manifest(`${dir}/package.json`).dependencies ?? {};
    expect(Object.keys(own).sort()).toEqual([...(await importedPackages([entry])), 'tsx'].sort());
    const root = manifest('package.json');
    for (const [name, range] of Object.entries(own)) expect(`${name}@${range}`).toBe(`${name}@${root.devDependencies?.[name] ?? root.dependencies?.[name]}`);
  });
});
