/**
 * One source of truth for the GitHub-environment variables: what `pulumi up` writes (infra/) and
 * what the actions read (src/, actions/, workflows) must be the same names, from src/core/names.ts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { ENV } from '../../src/runtime/env.js';
import { readExampleSections } from '../../infra/testing/example-config.js';
import { installMocks, settle, valueOf, type MockRecorder } from '../../infra/testing/mocks.js';

const ROOT = join(import.meta.dirname, '..', '..');
const VARIABLE_TYPE = 'github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable';

function walk(dir: string, keep: (path: string) => boolean): string[] {
  let out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const entry of entries) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out = out.concat(walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out;
}

const isSource = (p: string) => p.endsWith('.ts') && !p.endsWith('.test.ts');
const sourceFiles = () => [...walk(join(ROOT, 'src'), isSource), ...walk(join(ROOT, 'actions'), isSource)];
const workflowFiles = () => walk(join(ROOT, '.github', 'workflows'), (p) => /\.ya?ml$/.test(p));

let mocks: MockRecorder;
let written: Map<string, string>;

beforeAll(async () => {
  mocks = installMocks();
  const { parseKitConfig } = await import('../../infra/config.js');
  const { createKit } = await import('../../infra/stack.js');
  // The example config turns every part of the kit on (WAF, Cloudflare, logs, backup, quarantine).
  const kit = createKit(parseKitConfig(readExampleSections()));
  await valueOf(kit.environment.environmentName);
  await settle();
  written = new Map(mocks.ofType(VARIABLE_TYPE).map((r) => [r.inputs['variableName'] as string, r.inputs['value'] as string]));
});

describe('kit variable names', () => {
  it('the kit writes every KIT_VARIABLES name, and nothing else', () => {
    expect([...written.keys()].sort()).toEqual(Object.values(KIT_VARIABLES).sort());
    for (const [name, value] of written) expect(value, name).toMatch(/\S/);
  });

  it('every KIT_VARIABLES.<key> used in src/ and actions/ exists', () => {
    const unknown: string[] = [];
    let uses = 0;
    for (const file of sourceFiles()) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bKIT_VARIABLES(?:\.(\w+)|\[\s*['"](\w+)['"]\s*\])/g)) {
        uses++;
        const key = m[1] ?? m[2]!;
        if (!(key in KIT_VARIABLES)) unknown.push(`${relative(ROOT, file)}: KIT_VARIABLES.${key}`);
      }
    }
    expect(unknown).toEqual([]);
    expect(uses).toBeGreaterThan(0);
  });

  it('no action, step or workflow reads a FIREBREAK_* name outside KIT_VARIABLES and src/runtime/env.ts', async () => {
    const { KIT_VARS_JSON_ENV } = await import('../../src/runtime/action-shell.js');
    const known = new Set<string>([...Object.values(KIT_VARIABLES), ...Object.values(ENV), KIT_VARS_JSON_ENV]);
    const registries = new Set(['src/core/names.ts', 'src/runtime/env.ts'].map((p) => join(ROOT, p)));
    // The CLI's own debug switch is not read by actions; everything an action can reach is scanned.
    const scanned = sourceFiles().filter((f) => !registries.has(f) && !f.startsWith(join(ROOT, 'src', 'cli')));
    const strays: string[] = [];
    for (const file of [...scanned, ...workflowFiles()]) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bFIREBREAK_[A-Z0-9_]+\b/g)) {
        if (!known.has(m[0])) strays.push(`${relative(ROOT, file)}: ${m[0]}`);
      }
    }
    expect(strays).toEqual([]);
  });

  it('every vars.FIREBREAK_* a workflow passes to an action is one the kit writes', () => {
    const missing: string[] = [];
    for (const file of workflowFiles()) {
      for (const m of readFileSync(file, 'utf8').matchAll(/\bvars\.(FIREBREAK_[A-Z0-9_]+)\b/g)) {
        if (!written.has(m[1]!)) missing.push(`${relative(ROOT, file)}: vars.${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
