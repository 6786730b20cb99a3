import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { actionPinReader } from './action-pins.js';
import { CAPABILITIES, PLANNED } from './registry.js';
import { GENERATED_BY, renderActionEntry, renderButtonTable, withButtonTable, renderActionReadme, renderActionYml, renderMatrix, renderWorkflow, type Pins, type RenderOptions } from './render.js';
import { renderReusableWorkflow, reusableWorkflowFile } from './render-reusable.js';
import { FLEET_SLUGS } from '../fleet/slugs.js';
import { FLEET_WORKFLOW_DEFAULTS, renderFleetWorkflow } from '../fleet/workflow.js';

/**
 * Every file `npm run generate` owns, with the text it must have. The generator writes them; a
 * test compares them with the tree, so a stale shell fails `npm test` like a stale bundle does.
 */

export function readPins(root: string): Pins {
  const pin = actionPinReader(root);
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
  // One fleet workflow per fleet-capable capability (docs/operators/fleet.md).
  for (const slug of FLEET_SLUGS) files.set(`.github/workflows/fleet-${slug}.yml`, renderFleetWorkflow({ slug, ...FLEET_WORKFLOW_DEFAULTS }));
  files.set('docs/capabilities.md', renderMatrix(CAPABILITIES, PLANNED));
  files.set('README.md', withButtonTable(readFileSync(resolve(root, 'README.md'), 'utf8'), renderButtonTable(CAPABILITIES)));
  return files;
}
