import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { buildAll, listActions, listEntries } from '../../scripts/build.mjs';
// @ts-expect-error plain ESM script without types
import { checkDist } from '../../scripts/check-dist.mjs';

/**
 * scripts/build.mjs and scripts/check-dist.mjs on a throwaway repository: two tiny actions that
 * share a module (and lazily import another), and a CLI entry. One build, one shared dist/.
 */
let root: string;

const SHARED = `export const greeting = (who: string): string => 'hello ' + who + ' from the one shared module';\n`;
const LAZY = `export const late = (): string => 'loaded on use';\n`;
const action = (slug: string) => `import { greeting } from '../../src/shared.js';\nconst who: string = '${slug}';\nconsole.log(greeting(who));\nif (process.env.LATE === '1') console.log((await import('../../src/lazy.js')).late());\n`;
const CLI = `declare const FIREBREAK_VERSION: string | undefined;\nexport function main(): string { return typeof FIREBREAK_VERSION === 'string' ? FIREBREAK_VERSION : 'from sources'; }\nconsole.log('cli ' + main());\n`;

async function writeRepo(dir: string): Promise<void> {
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'fixture', version: '9.8.7', type: 'module' }));
  await mkdir(join(dir, 'src', 'cli'), { recursive: true });
  await writeFile(join(dir, 'src', 'shared.ts'), SHARED);
  await writeFile(join(dir, 'src', 'lazy.ts'), LAZY);
  await writeFile(join(dir, 'src', 'cli', 'main.ts'), CLI);
  for (const slug of ['alpha', 'beta']) {
    await mkdir(join(dir, 'actions', slug), { recursive: true });
    await writeFile(join(dir, 'actions', slug, 'index.ts'), action(slug));
  }
  // A folder without index.ts is not an action.
  await mkdir(join(dir, 'actions', 'notes'), { recursive: true });
}

function run(file: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [file], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firebreak-check-dist-'));
  await writeRepo(root);
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('build and check:dist', () => {
  it('builds every action and the CLI in one shared dist/, deterministically, and a fresh build checks clean', async () => {
    expect(await listActions(root)).toEqual(['alpha', 'beta']);
    expect((await listEntries(root)).map((e: { out: string }) => e.out)).toEqual(['alpha', 'beta', 'cli']);
    const { files } = await buildAll({ root });
    const first = await readFile(join(root, 'dist', 'alpha.js'), 'utf8');
    await buildAll({ root });
    expect(await readFile(join(root, 'dist', 'alpha.js'), 'utf8')).toBe(first);
    expect(await readdir(join(root, 'dist'))).toEqual(files);
    for (const f of files) expect(await readFile(join(root, 'dist', f), 'utf8')).not.toContain(root);
    expect(JSON.parse(await readFile(join(root, 'dist', 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    expect((await checkDist({ root })).problems).toEqual([]);
  });

  it('emits shared code once, in a chunk both actions import, and a lazy import in its own chunk', async () => {
    const { files } = await buildAll({ root });
    const js: string[] = files.filter((f: string) => f.endsWith('.js'));
    const holding = async (text: string) => {
      const out: string[] = [];
      for (const f of js) if ((await readFile(join(root, 'dist', f), 'utf8')).includes(text)) out.push(f);
      return out;
    };
    const shared = await holding('from the one shared module');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatch(/^chunk-[A-Z0-9]+\.js$/);
    for (const slug of ['alpha', 'beta']) expect(await readFile(join(root, 'dist', `${slug}.js`), 'utf8')).toContain(`./${shared[0]}`);
    const lazy = await holding('loaded on use');
    expect(lazy).toHaveLength(1);
    expect(lazy[0]).toMatch(/^lazy-[A-Z0-9]+\.js$/);
    expect(run(join(root, 'dist', 'alpha.js')).out).toBe('hello alpha from the one shared module\n');
    expect(run(join(root, 'dist', 'beta.js'), { LATE: '1' }).out).toBe('hello beta from the one shared module\nloaded on use\n');
    // The CLI bundle carries the package version: no package.json lookup relative to dist/.
    expect(run(join(root, 'dist', 'cli.js')).out).toBe('cli 9.8.7\n');
  });

  it('lists a stale bundle, a stale shared chunk, a stray file and a missing dist', async () => {
    await buildAll({ root });
    await writeFile(join(root, 'actions', 'alpha', 'index.ts'), action('alpha').replace("'alpha'", "'alpha, changed but not rebuilt'"));
    await writeFile(join(root, 'dist', 'old-chunk.js'), '');
    const { problems } = await checkDist({ root });
    expect(problems.sort()).toEqual(['dist/alpha.js: differs from a fresh build', 'dist/old-chunk.js: not produced by the build (delete it)']);

    await writeFile(join(root, 'actions', 'alpha', 'index.ts'), action('alpha'));
    await buildAll({ root });
    await writeFile(join(root, 'src', 'shared.ts'), SHARED.replace('hello', 'hi'));
    const stale = (await checkDist({ root })).problems.sort();
    // The shared chunk's name carries its content hash: the new one is missing, the old one stray,
    // and each entry that imports it by name differs.
    expect(stale).toEqual(expect.arrayContaining(['dist/alpha.js: differs from a fresh build', 'dist/beta.js: differs from a fresh build']));
    expect(stale.filter((p: string) => /^dist\/chunk-[A-Z0-9]+\.js: missing$/.test(p))).toHaveLength(1);
    expect(stale.filter((p: string) => /^dist\/chunk-[A-Z0-9]+\.js: not produced by the build \(delete it\)$/.test(p))).toHaveLength(1);
    await writeFile(join(root, 'src', 'shared.ts'), SHARED);

    await rm(join(root, 'dist'), { recursive: true });
    expect((await checkDist({ root })).problems).toEqual(['dist/: missing (run npm run build and commit it)']);
  });

  it('fails the build when a bundle opens a file next to itself that dist/ does not have', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'firebreak-asset-'));
    try {
      await mkdir(join(dir, 'actions', 'reader'), { recursive: true });
      await writeFile(join(dir, 'actions', 'reader', 'index.ts'), "import { readFileSync } from 'node:fs';\nconsole.log(readFileSync(new URL('./table.json', import.meta.url), 'utf8'));\n");
      await writeFile(join(dir, 'actions', 'reader', 'table.json'), '{}');
      await expect(buildAll({ root: dir })).rejects.toThrow('dist/reader.js opens ./table.json relative to itself, and dist/ has no such file');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
