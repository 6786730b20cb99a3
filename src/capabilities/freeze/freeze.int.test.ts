import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InputError, PartialFailureError } from '../../core/errors.js';
import type { Result } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { unfreezeStep } from '../unfreeze/step.js';
import { buildDeployControls } from './build-ports.js';
import { FREEZE_RECORD_VARIABLE, LOCKED_POLICY } from './ports.js';
import { freezeStep } from './step.js';

let gh: GitHubEmulator;
let audit: MemoryAuditSink;
const instant = async () => {};

beforeAll(async () => {
  gh = await startGitHubEmulator({
    workflows: [{ path: '.github/workflows/deploy.yml' }, { path: '.github/workflows/release.yml' }, { path: '.github/workflows/nightly.yml' }],
    environments: ['production', 'staging'],
  });
});
afterAll(async () => {
  await gh?.stop();
});
beforeEach(() => {
  gh.reset();
  audit = new MemoryAuditSink();
});

const clock = manualClock('2026-12-02T03:00:00Z');
const controls = () => buildDeployControls(gh.env(), { sleep: instant, clock });
const ctx = (over: Partial<Parameters<typeof makeContext>[0]> = {}) =>
  makeContext({ audit, clock, sleep: instant, logger: memoryLogger(), dryRun: false, incidentId: 'INC-13', actor: 'responder', ...over });
const wf = (file: string) => gh.state.findWorkflow(file)!;
const repoVar = (name: string) => gh.state.repoVariables.get(name)?.value;
const writes = () => gh.requests.filter((r) => r.method !== 'GET');

describe('freeze and unfreeze against the GitHub emulator', () => {
  it('freezes (variable, workflows, environment lock) and unfreezes back to exactly the prior state', async () => {
    // Prior state: INCIDENT_MODE existed with 0, nightly was already disabled, production had reviewers.
    gh.state.repoVariables.set('INCIDENT_MODE', { value: '0', createdAt: gh.state.now(), updatedAt: gh.state.now() });
    wf('nightly.yml').state = 'disabled_manually';
    gh.state.upsertEnvironment('production', { waitTimer: 5, reviewers: [{ type: 'User', id: 42 }], preventSelfReview: true });
    const before = structuredClone({ ...gh.state.environments.get('production')!, keys: undefined, secrets: undefined, variables: undefined });

    const run = await runStep(freezeStep, { workflows: 'deploy.yml, release.yml\nnightly.yml', lockEnvironment: 'production' }, controls(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(repoVar('INCIDENT_MODE')).toBe('1');
    expect(wf('deploy.yml').state).toBe('disabled_manually');
    expect(wf('release.yml').state).toBe('disabled_manually');
    const prod = gh.state.environments.get('production')!;
    expect(prod.deploymentBranchPolicy).toEqual(LOCKED_POLICY);
    // The lock keeps the other protection rules.
    expect(prod).toMatchObject({ waitTimer: 5, preventSelfReview: true, reviewers: [{ type: 'User', id: 42 }] });
    const record = JSON.parse(repoVar(FREEZE_RECORD_VARIABLE)!);
    expect(record).toMatchObject({ incidentId: 'INC-13', variable: { environment: null, prior: '0' } });
    expect(record.workflows.map((w: { file: string; prior: string }) => `${w.file}:${w.prior}`)).toEqual(['deploy.yml:active', 'release.yml:active', 'nightly.yml:disabled_manually']);

    // A re-run changes nothing, and above all does not overwrite the record with the frozen state.
    gh.requests.length = 0;
    const again = await runStep(freezeStep, { workflows: 'deploy.yml, release.yml, nightly.yml', lockEnvironment: 'production' }, controls(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(writes()).toEqual([]);
    expect(JSON.parse(repoVar(FREEZE_RECORD_VARIABLE)!)).toEqual(record);

    const thaw = await runStep(unfreezeStep, {}, controls(), ctx());
    expect(thaw.result?.status).toBe('ok');
    expect(repoVar('INCIDENT_MODE')).toBe('0');
    expect(wf('deploy.yml').state).toBe('active');
    expect(wf('release.yml').state).toBe('active');
    expect(wf('nightly.yml').state).toBe('disabled_manually');
    const after = gh.state.environments.get('production')!;
    expect({ waitTimer: after.waitTimer, reviewers: after.reviewers, preventSelfReview: after.preventSelfReview, policy: after.deploymentBranchPolicy }).toEqual({
      waitTimer: before.waitTimer,
      reviewers: before.reviewers,
      preventSelfReview: before.preventSelfReview,
      policy: before.deploymentBranchPolicy,
    });
    expect(repoVar(FREEZE_RECORD_VARIABLE)).toBeUndefined();

    // Unfreezing again: nothing to restore, nothing written.
    gh.requests.length = 0;
    const twice = await runStep(unfreezeStep, {}, controls(), ctx());
    expect(twice.result?.status).toBe('noop');
    expect(writes()).toEqual([]);
    gh.assertNoViolations();
  });

  it('an environment variable that did not exist is deleted again on unfreeze; the repository variable is untouched', async () => {
    await runStep(freezeStep, { variableEnvironment: 'staging' }, controls(), ctx());
    expect(gh.state.environments.get('staging')!.variables.get('INCIDENT_MODE')?.value).toBe('1');
    expect(repoVar('INCIDENT_MODE')).toBeUndefined();
    await runStep(unfreezeStep, {}, controls(), ctx());
    expect(gh.state.environments.get('staging')!.variables.has('INCIDENT_MODE')).toBe(false);
    gh.assertNoViolations();
  });

  it('a failure half-way: the record holds the prior state; a re-run finishes; unfreeze restores all of it', async () => {
    const disable = `/repos/acme/shop/actions/workflows/${wf('release.yml').id}/disable`;
    gh.faults.add({ method: 'PUT', path: disable, status: 500, body: { message: 'Server Error' }, times: 4 });
    const err = await runStep(freezeStep, { workflows: 'deploy.yml,release.yml' }, controls(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(wf('deploy.yml').state).toBe('disabled_manually');
    expect(wf('release.yml').state).toBe('active');
    const outcomes = ((err as PartialFailureError).result as Result).outcomes.map((o) => `${o.action}:${o.subject}:${o.status}`);
    expect(outcomes).toEqual(['write-freeze-record:FIREBREAK_FREEZE:applied', 'set-variable:INCIDENT_MODE:applied', 'disable-workflow:deploy.yml:applied', 'disable-workflow:release.yml:failed']);

    const rerun = await runStep(freezeStep, { workflows: 'deploy.yml,release.yml' }, controls(), ctx());
    expect(rerun.result!.outcomes.filter((o) => o.status === 'applied').map((o) => o.subject)).toEqual(['release.yml']);
    // deploy.yml's prior state is still "active", though it was disabled when the re-run planned.
    expect(JSON.parse(repoVar(FREEZE_RECORD_VARIABLE)!).workflows.map((w: { prior: string }) => w.prior)).toEqual(['active', 'active']);
    await runStep(unfreezeStep, {}, controls(), ctx());
    expect([wf('deploy.yml').state, wf('release.yml').state]).toEqual(['active', 'active']);
    expect(repoVar('INCIDENT_MODE')).toBeUndefined();
  });

  it('a partial unfreeze keeps the record, and a re-run finishes the restore', async () => {
    await runStep(freezeStep, { workflows: 'deploy.yml', lockEnvironment: 'production' }, controls(), ctx());
    gh.faults.add({ method: 'PUT', path: '/repos/acme/shop/environments/production', status: 500, body: { message: 'Server Error' }, times: 4 });
    const err = await runStep(unfreezeStep, {}, controls(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(wf('deploy.yml').state).toBe('active');
    expect(repoVar(FREEZE_RECORD_VARIABLE)).toBeDefined();
    expect(gh.state.environments.get('production')!.deploymentBranchPolicy).toEqual(LOCKED_POLICY);
    const rerun = await runStep(unfreezeStep, {}, controls(), ctx());
    expect(rerun.result?.status).toBe('ok');
    expect(gh.state.environments.get('production')!.deploymentBranchPolicy).toBeNull();
    expect(repoVar(FREEZE_RECORD_VARIABLE)).toBeUndefined();
  });

  it('refuses bad input and impossible locks before changing anything', async () => {
    gh.state.upsertEnvironment('production', { deploymentBranchPolicy: { protected_branches: false, custom_branch_policies: true } });
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ workflows: 'deploy.yml, missing.yml' }, 'WORKFLOW_NOT_FOUND'],
      [{ workflows: '../deploy.yml' }, 'INPUT_INVALID'],
      [{ lockEnvironment: 'nowhere' }, 'ENVIRONMENT_NOT_FOUND'],
      [{ lockEnvironment: 'production' }, 'LOCK_NOT_POSSIBLE'],
    ];
    for (const [raw, code] of cases) {
      const err = await runStep(freezeStep, raw, controls(), ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).code).toBe(code);
    }
    expect(writes()).toEqual([]);
    expect(repoVar('INCIDENT_MODE')).toBeUndefined();
    expect(wf('deploy.yml').state).toBe('active');
  });

  it('a dry run plans and writes nothing', async () => {
    const run = await runStep(freezeStep, { workflows: 'deploy.yml', lockEnvironment: 'staging' }, controls(), ctx({ dryRun: true }));
    expect(run.plan?.changes.map((c) => c.action)).toEqual(['write-freeze-record', 'set-variable', 'disable-workflow', 'lock-environment']);
    expect(writes()).toEqual([]);
  });
});
