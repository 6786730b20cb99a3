import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reusableWorkflowFile } from '../capabilities/render-reusable.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import { parseRunbook } from '../core/runbook.js';
import { MOTO_VERSION } from '../drill/emulators/moto-install.js';
import { callerFile, readDrillPins, renderCaller, renderDrillCaller, renderTickCaller } from './callers.js';
import { mergeCodeowners } from './codeowners.js';
import { renderConfig, type InitAnswers } from './config-template.js';
import { renderStackConfig } from './pulumi-stack.js';
import type { FirebreakSource } from './source.js';

export interface InitPlanInput {
  answers: InitAnswers;
  source: FirebreakSource;
  /** Capabilities to give a button; each must have a reusable workflow. */
  capabilities: readonly CapabilityDefinition[];
  /** Starter runbooks by file name from firebreak's runbooks/. */
  runbooks: readonly string[];
  codeowners: string[];
  stack: string;
  awsRegion: string;
  reviewers: string[];
  /** Where firebreak itself is (its runbooks and workflow pins are read from there). */
  firebreakRoot: string;
  /** The adopting repository's current CODEOWNERS, if any. */
  existingCodeowners: string | undefined;
  /** firebreak.yml already there is the team's: kept, never regenerated from answers. */
  existingConfig: string | undefined;
}

/**
 * Starter runbooks firebreak ships, by file name: the incident-type ones. Runbooks made from one
 * company's prose runbook (front matter `source:`) are that company's, not a starter.
 */
export function starterRunbooks(firebreakRoot: string): string[] {
  const dir = join(firebreakRoot, 'runbooks');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
    .filter((f) => parseRunbook(readFileSync(join(dir, f), 'utf8'), f).frontMatter?.source === undefined)
    .sort();
}

/** Every file init would write, keyed by path; the caller diffs it against the repository. */
export function initFiles(p: InitPlanInput): Map<string, string> {
  const files = new Map<string, string>();
  files.set('firebreak.yml', p.existingConfig ?? renderConfig(p.answers));
  for (const cap of p.capabilities) files.set(`.github/workflows/${callerFile(cap)}`, renderCaller(cap, p.source));
  files.set('.github/workflows/incident-tick.yml', renderTickCaller(p.source));
  files.set('.github/workflows/firebreak-drill.yml', renderDrillCaller(p.source, readDrillPins(p.firebreakRoot), MOTO_VERSION));
  files.set('.github/CODEOWNERS', mergeCodeowners(p.existingCodeowners, p.codeowners));
  for (const name of p.runbooks) {
    const text = readFileSync(join(p.firebreakRoot, 'runbooks', name), 'utf8');
    files.set(`runbooks/${name}`, text);
    // A runbook's drill plan runs with the organisation settings it names: they travel with it.
    const drillConfig = parseRunbook(text, name).frontMatter?.drill_config;
    if (drillConfig) files.set(`runbooks/${drillConfig}`, readFileSync(join(p.firebreakRoot, 'runbooks', drillConfig), 'utf8'));
  }
  files.set(`Pulumi.${p.stack}.yaml`, renderStackConfig({ repository: p.answers.repository, awsRegion: p.awsRegion, reviewers: p.reviewers, source: p.source }));
  return files;
}

/** Capabilities that can be called from another repository (they have a reusable workflow). */
export function adoptable(caps: readonly CapabilityDefinition[], firebreakRoot: string): CapabilityDefinition[] {
  // incident-tick gets its own caller (a fan-out over open incidents), not a button.
  return caps.filter((c) => c.status === 'built' && c.slug !== 'incident-tick' && existsSync(join(firebreakRoot, '.github', 'workflows', reusableWorkflowFile(c))));
}
