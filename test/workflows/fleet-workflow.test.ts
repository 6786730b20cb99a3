import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../src/cli/main.js';
import { memoryIo } from '../../src/cli/io.js';
import { verifyChain } from '../../src/core/audit.js';
import { fleetMatrix, GITHUB_LIMITS } from '../../src/core/fleet/matrix.js';
import type { FleetLedger } from '../../src/core/fleet/run-ledger.js';
import { FLEET_SLUGS } from '../../src/fleet/slugs.js';
import { FLEET_WORKFLOW_DEFAULTS, renderFleetWorkflow } from '../../src/fleet/workflow.js';
import { checkWorkflow } from './rules.js';

/**
 * The fleet workflow generator (src/fleet/workflow.ts) and the matrix the plan job emits: a 600-target
 * fleet stays within GitHub's 256 jobs per matrix, every target is in exactly one batch, and the
 * summary job reports every planned target even when batches failed or never reported.
 */
const ROOT = resolve(import.meta.dirname, '..', '..');
const ids = (n: number) => Array.from({ length: n }, (_, i) => `aws/${String(100000000000 + Math.floor(i / 4)).padStart(12, '0')}/region-${i % 4}`);

interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string;
  strategy?: { matrix?: string; 'fail-fast'?: boolean; 'max-parallel'?: number };
  steps?: Array<Record<string, unknown>>;
}

describe('fleet matrix for 600 targets', () => {
  it.each([1, 2, 4])('batch size %i: every target once, each shard within 256 jobs', (batchSize) => {
    const targets = ids(600);
    const m = fleetMatrix(targets, { batchSize, maxShards: 3 });
    for (const s of m.shards) expect(s.include.length).toBeLessThanOrEqual(GITHUB_LIMITS.maxMatrixJobs);
    const flat = m.shards.flatMap((s) => s.include.flatMap((b) => b.targets.split(',')));
    expect(flat).toEqual(targets);
    expect(new Set(m.shards.flatMap((s) => s.include.map((b) => b.batch))).size).toBe(Math.ceil(600 / m.batchSize));
  });

  it('raises the batch size rather than exceed the shards the workflow has', () => {
    const m = fleetMatrix(ids(600), { batchSize: 1, maxShards: 1 });
    expect(m.batchSize).toBe(3);
    expect(m.shards[0]!.include).toHaveLength(200);
  });
});

describe('generated fleet workflow', () => {
  const text = renderFleetWorkflow({ slug: 'block-ips', maxTargets: 600, batchSize: 1, maxParallel: 20 });
  const wf = parse(text) as { jobs: Record<string, Job> };

  it('passes the workflow rules', () => {
    expect(checkWorkflow('fleet-600.yml', text)).toEqual([]);
  });

  it('has one plan, one approval gate on the protected environment, and 3 matrix apply jobs that all need it', () => {
    const apply = Object.keys(wf.jobs).filter((j) => j.startsWith('apply-'));
    expect(apply).toEqual(['apply-1', 'apply-2', 'apply-3']);
    expect(wf.jobs.approve!.environment).toBe('${{ inputs.environment }}');
    expect(wf.jobs.approve!.needs).toBe('plan');
    for (const j of apply) {
      expect(wf.jobs[j]!.needs).toEqual(['plan', 'approve']);
      // Skipped (never run) when the gate was rejected, cancelled or skipped.
      expect(wf.jobs[j]!.if).toBe(`needs.approve.result == 'success' && needs.plan.outputs.count-${j.slice(6)} != '0'`);
      expect(wf.jobs[j]!.strategy).toMatchObject({ 'fail-fast': false, 'max-parallel': 20, matrix: `\${{ fromJSON(needs.plan.outputs.matrix-${j.slice(6)}) }}` });
    }
  });

  it('one approval: the protected environment is named by the gate job only; plan and apply use <environment>-fleet, the subject the responder role trusts from fleet-*.yml', () => {
    const byEnvironment = Object.entries(wf.jobs).filter(([, j]) => j.environment !== undefined).map(([id, j]) => [id, j.environment]);
    expect(byEnvironment).toEqual([
      ['plan', '${{ inputs.environment }}-fleet'],
      ['approve', '${{ inputs.environment }}'],
      ['apply-1', '${{ inputs.environment }}-fleet'],
      ['apply-2', '${{ inputs.environment }}-fleet'],
      ['apply-3', '${{ inputs.environment }}-fleet'],
    ]);
    // The gate holds no credentials: it only waits for the reviewers.
    expect((wf.jobs.approve as Job & { permissions?: unknown }).permissions).toEqual({});
  });

  it('aggregates whatever the batches did: always(), after every apply job, download allowed to find nothing', () => {
    const s = wf.jobs.summary!;
    expect(s.needs).toEqual(['plan', 'apply-1', 'apply-2', 'apply-3']);
    expect(s.if).toBe("always() && needs.plan.result == 'success'");
    const download = s.steps!.find((x) => String(x.name).startsWith('Batch results'))!;
    expect(download['continue-on-error']).toBe(true);
  });

  it.each(FLEET_SLUGS)('%s: committed as .github/workflows/fleet-%s.yml, within the workflow rules', (slug) => {
    const committed = readFileSync(join(ROOT, '.github', 'workflows', `fleet-${slug}.yml`), 'utf8');
    expect(committed).toBe(renderFleetWorkflow({ slug, ...FLEET_WORKFLOW_DEFAULTS }));
    expect(checkWorkflow(`fleet-${slug}.yml`, committed)).toEqual([]);
  });

  it('offers each capability\'s own inputs (not the ones a target sets), and passes them to the command only through env:', () => {
    const rotate = parse(renderFleetWorkflow({ slug: 'rotate-secret', ...FLEET_WORKFLOW_DEFAULTS })) as { on: { workflow_dispatch: { inputs: Record<string, { type: string; required?: boolean }> } }; jobs: Record<string, Job> };
    const inputs = rotate.on.workflow_dispatch.inputs;
    expect(inputs['target']).toMatchObject({ type: 'string', required: true });
    expect(inputs['create-key']!.type).toBe('boolean');
    const step = rotate.jobs['apply-1']!.steps!.find((x) => String(x.run ?? '').includes('fleet run'))!;
    expect(String(step.run)).toContain('node bin/firebreak.js fleet run rotate-secret --targets "$TARGETS"');
    expect(String(step.run)).toContain('if [ "$IN_CREATE_KEY" = true ]; then args+=(--create-key); fi');
    expect(String(step.run)).not.toContain('${{');
    expect((step as { env: Record<string, string> }).env['IN_TARGET']).toBe('${{ inputs.target }}');
    const block = parse(renderFleetWorkflow({ slug: 'block-ips', ...FLEET_WORKFLOW_DEFAULTS })) as { on: { workflow_dispatch: { inputs: Record<string, unknown> } } };
    expect(Object.keys(block.on.workflow_dispatch.inputs)).toEqual(['environment', 'targets', 'incident-id', 'addresses', 'reason', 'ttl', 'retry-failed-run']);
    const freeze = parse(renderFleetWorkflow({ slug: 'freeze', ...FLEET_WORKFLOW_DEFAULTS })) as { jobs: Record<string, Job> };
    const fstep = freeze.jobs['plan']!.steps!.find((x) => String(x.run ?? '').includes('fleet run'))!;
    expect((fstep as { env: Record<string, string> }).env['FIREBREAK_GITHUB_TOKEN']).toBe('${{ secrets.FIREBREAK_GITHUB_TOKEN }}');
  });
});

const out0 = (io: { out: string[] }) => io.out.join('\n');

describe('fleet aggregate (the summary job)', () => {
  it('reports a failed batch by target, a missing batch as missing, and ignores a damaged result', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fleet-agg-'));
    const planned = ['aws/111111111111/eu-west-1', 'aws/111111111111/us-east-1', 'aws/222222222222/eu-west-1', 'cloudflare/' + 'c'.repeat(32)];
    const refusedAtPlan = 'aws/333333333333/eu-west-1';
    const plan: FleetLedger = {
      v: 1, capability: 'block-ips', runId: '77', selection: 'prod', planned: [...planned, refusedAtPlan],
      outcomes: [...planned.map((t) => ({ target: t, status: 'planned' as const, changes: 1, applied: 0, failed: 0 })), { target: refusedAtPlan, status: 'failed', changes: 0, applied: 0, failed: 0, reason: 'cannot assume arn:aws:iam::333333333333:role/firebreak-fleet-member' }],
    };
    await writeFile(join(dir, 'plan.json'), JSON.stringify(plan));
    const batch = async (name: string, outcomes: FleetLedger['outcomes']) => {
      await mkdir(join(dir, 'batches', `firebreak-fleet-batch-77-${name}`, name), { recursive: true });
      await writeFile(join(dir, 'batches', `firebreak-fleet-batch-77-${name}`, name, 'result.json'), JSON.stringify({ ...plan, outcomes }));
    };
    await batch('b001', [{ target: planned[0]!, status: 'applied', changes: 1, applied: 1, failed: 0, audit: { chain: 'b001', seq: 1, hash: 'a'.repeat(64) } }]);
    await batch('b002', [{ target: planned[1]!, status: 'failed', changes: 1, applied: 0, failed: 1, reason: 'AccessDeniedException: not authorized' }]);
    // b003 never reported (cancelled); b004 wrote garbage.
    await mkdir(join(dir, 'batches', 'x', 'b004'), { recursive: true });
    await writeFile(join(dir, 'batches', 'x', 'b004', 'result.json'), '{"v":');
    const io = memoryIo({ USER: 'octo' }, dir);
    const code = await main(['fleet', 'aggregate', '--plan', 'plan.json', '--results', 'batches', '--audit-file', 'parent.jsonl', '--ledger-out', 'ledger.json'], io);
    expect(code).toBe(6);
    const ledger = JSON.parse(await readFile(join(dir, 'ledger.json'), 'utf8')) as FleetLedger;
    expect(ledger.outcomes.map((o) => [o.target, o.status])).toEqual([
      [planned[0], 'applied'],
      [planned[1], 'failed'],
      [planned[2], 'missing'],
      [planned[3], 'missing'],
      [refusedAtPlan, 'failed'],
    ]);
    expect(out0(io)).toContain(`| ${refusedAtPlan} | failed | 0 | 0 | 0 |  | cannot assume`);
    const out = out0(io);
    expect(out).toContain('| aws/111111111111/us-east-1 | failed | 1 | 0 | 1 |  | AccessDeniedException: not authorized |');
    expect(out).toContain(`Not applied: aws/111111111111/us-east-1, aws/222222222222/eu-west-1, ${planned[3]}, aws/333333333333/eu-west-1.`);
    expect(io.err.join('\n')).toMatch(/b004\/result.json is not a fleet run ledger/);
    const chain = (await readFile(join(dir, 'parent.jsonl'), 'utf8')).trim().split('\n');
    expect(chain).toHaveLength(1);
    expect(verifyChain(chain).ok).toBe(true);
    const parent = JSON.parse(chain[0]!) as { record: { step: string; status: string; result: { targets: Array<{ audit?: { hash: string } }> } } };
    expect(parent.record.step).toBe('fleet:block-ips');
    expect(parent.record.status).toBe('partial');
    expect(parent.record.result.targets[0]!.audit!.hash).toBe('a'.repeat(64));
  });
});
