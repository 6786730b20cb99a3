import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CAPABILITIES, PLANNED } from './registry.js';
import { GENERATED_BY, renderActionEntry, renderButtonTable, withButtonTable, renderActionReadme, renderActionYml, renderMatrix, renderWorkflow, type Pins, type RenderOptions } from './render.js';
import { renderReusableWorkflow, reusableWorkflowFile } from './render-reusable.js';

/**
 * Every file `npm run generate` owns, with the text it must have. The generator writes them; a
 * test compares them with the tree, so a stale shell fails `npm test` like a stale bundle does.
 */

/**
 * The pins of third-party actions, read from the hand-written workflows, so a Dependabot bump there
 * is the only edit a pin needs; the generator carries it into every generated button. Two
 * hand-written workflows that pin the same action differently are an error: one version per action.
 */
export function readPins(root: string): Pins {
  const dir = resolve(root, '.github/workflows');
  const texts = readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => ({ f, text: readFileSync(resolve(dir, f), 'utf8') }))
    .filter(({ text }) => !text.startsWith(`# ${GENERATED_BY}`));
  const pin = (repo: string): string => {
    const found = new Map<string, string>();
    const re = new RegExp(`uses:\\s*${repo.replace('/', '\\/')}@([0-9a-f]{40})\\s*#\\s*(\\S+)`, 'g');
    for (const { f, text } of texts) for (const m of text.matchAll(re)) found.set(`${m[1]} # ${m[2]}`, f);
    if (found.size === 0) throw new Error(`no hand-written workflow pins ${repo} by SHA to copy the pin from`);
    if (found.size > 1) throw new Error(`${repo} is pinned differently across workflows: ${[...found].map(([p, f]) => `${f}: ${p}`).join('; ')}`);
    return [...found.keys()][0]!;
  };
  return { checkout: pin('actions/checkout'), configureAwsCredentials: pin('aws-actions/configure-aws-credentials'), uploadArtifact: pin('actions/upload-artifact') };
}

export function generatedFiles(root: string): Map<string, string> {
  const options: RenderOptions = { pins: readPins(root), actionMain: (slug) => `../../dist/${slug}.js` };
  const files = new Map<string, string>();
  for (const cap of CAPABILITIES) {
    if (cap.action) {
      files.set(`actions/${cap.slug}/action.yml`, renderActionYml(cap, options));
      files.set(`actions/${cap.slug}/README.md`, renderActionReadme(cap, options));
      files.set(`actions/${cap.slug}/index.ts`, renderActionEntry(cap));
    }
    if (cap.workflow && cap.action) files.set(`.github/workflows/${reusableWorkflowFile(cap)}`, renderReusableWorkflow(cap, options));
    if (cap.workflow && cap.workflow.mode === 'generated') files.set(`.github/workflows/${cap.workflow.file ?? `${cap.slug}.yml`}`, renderWorkflow(cap, options));
  }
  files.set('docs/capabilities.md', renderMatrix(CAPABILITIES, PLANNED));
  files.set('README.md', withButtonTable(readFileSync(resolve(root, 'README.md'), 'utf8'), renderButtonTable(CAPABILITIES)));
  return files;
}
