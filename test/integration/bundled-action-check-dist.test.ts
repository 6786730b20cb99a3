import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM script without types
import { buildActions, listActions } from '../../scripts/build.mjs';
// @ts-expect-error plain ESM script without types
import { checkDist } from '../../scripts/check-dist.mjs';

/** scripts/build.mjs and scripts/check-dist.mjs on a throwaway repository with two tiny actions. */
let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'firebreak-check-dist-'));
  for (const slug of ['alpha', 'beta']) {
    await mkdir(join(root, 'actions', slug), { recursive: true });
    await writeFile(join(root, 'actions', slug, 'index.ts'), `const who: string = '${slug}';\nconsole.log(\`hello \${who}\`);\n`);
  }
  // A folder without index.ts is not an action.
  await mkdir(join(root, 'actions', 'notes'), { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('build and check:dist', () => {
  it('builds every action deterministically, and a fresh build checks clean', async () => {
    expect(await listActions(root)).toEqual(['alpha', 'beta']);
    await buildActions({ root });
    const first = await readFile(join(root, 'actions', 'alpha', 'dist', 'index.js'), 'utf8');
    await buildActions({ root });
    expect(await readFile(join(root, 'actions', 'alpha', 'dist', 'index.js'), 'utf8')).toBe(first);
    expect(first).not.toContain(root);
    expect(JSON.parse(await readFile(join(root, 'actions', 'alpha', 'dist', 'package.json'), 'utf8'))).toEqual({ type: 'module' });
    expect((await checkDist({ root })).problems).toEqual([]);
  });

  it('lists a stale bundle, a missing dist and a stray file', async () => {
    await buildActions({ root });
    await writeFile(join(root, 'actions', 'alpha', 'index.ts'), "console.log('changed source, bundle not rebuilt');\n");
    await writeFile(join(root, 'actions', 'alpha', 'dist', 'old-chunk.js'), '');
    await rm(join(root, 'actions', 'beta', 'dist'), { recursive: true });
    const { problems } = await checkDist({ root });
    expect(problems.sort()).toEqual([
      'actions/alpha/dist/index.js: differs from a fresh build',
      'actions/alpha/dist/old-chunk.js: not produced by the build (delete it)',
      'actions/beta/dist: missing (run npm run build and commit it)',
    ]);
  });
});
