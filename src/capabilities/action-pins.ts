import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { GENERATED_BY } from './render.js';

/**
 * The pin of a third-party action (`<sha> # <release>`), read from a firebreak checkout's
 * hand-written workflows, so a Dependabot bump there is the only edit a pin needs: the generator
 * carries it into every generated button, and `firebreak init` into an adopting repository's
 * workflows. Two hand-written workflows that pin the same action differently are an error: one
 * version per action.
 */
export function actionPinReader(root: string): (repo: string) => string {
  const dir = resolve(root, '.github/workflows');
  const texts = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ f, text: readFileSync(resolve(dir, f), 'utf8') }))
    .filter(({ text }) => !text.startsWith(`# ${GENERATED_BY}`));
  return (repo) => {
    const found = new Map<string, string>();
    const re = new RegExp(`uses:\\s*${repo.replace('/', '\\/')}@([0-9a-f]{40})\\s*#\\s*(\\S+)`, 'g');
    for (const { f, text } of texts) for (const m of text.matchAll(re)) found.set(`${m[1]} # ${m[2]}`, f);
    if (found.size === 0) throw new Error(`no hand-written workflow pins ${repo} by SHA to copy the pin from`);
    if (found.size > 1) throw new Error(`${repo} is pinned differently across workflows: ${[...found].map(([p, f]) => `${f}: ${p}`).join('; ')}`);
    return [...found.keys()][0]!;
  };
}
