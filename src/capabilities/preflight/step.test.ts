import { describe, expect, it } from 'vitest';
import { InputError, ProviderError } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import type { AwsIdentityPort } from '../../core/ports/aws-identity.js';
import { preflightStep, roleMismatch } from './step.js';

const ROLE = 'arn:aws:iam::123456789012:role/ops/firebreak-responder';
const ASSUMED = { account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/firebreak-responder/run-1', userId: 'AROA:run-1' };

function ctx(dryRun: boolean) {
  const clock = manualClock('2026-11-23T00:00:00Z');
  return makeContext({ audit: new MemoryAuditSink(), clock, sleep: clock.sleep, logger: memoryLogger(), dryRun });
}

const identity = (answer: () => Promise<typeof ASSUMED>): AwsIdentityPort => ({ whoAmI: answer });

describe('preflight step', () => {
  it('plans one check per kit variable plus the AWS checks, and performs none in a dry run', async () => {
    let calls = 0;
    const run = await runStep(preflightStep, { variables: { responderRoleArn: ROLE } }, { identity: identity(async () => (calls++, ASSUMED)) }, ctx(true));
    expect(calls).toBe(0);
    expect(run.plan!.changes.map((c) => c.subject)).toEqual(['caller-identity', 'responder-role', ...Object.values(KIT_VARIABLES)]);
    expect(run.entry.record.status).toBe('planned');
  });

  it('parses checks and refuses unknown ones', () => {
    const c = ctx(true);
    expect(preflightStep.parse({ checks: 'variables, aws,aws' }, c).checks).toEqual(['variables', 'aws']);
    expect(preflightStep.parse({}, c).checks).toEqual(['aws', 'variables']);
    expect(() => preflightStep.parse({ checks: ['dns'] }, c)).toThrow(InputError);
    expect(() => preflightStep.parse({ variables: 'x' }, c)).toThrow(InputError);
  });

  it('warns when the responder role is unknown, so identity alone is checked', async () => {
    const run = await runStep(preflightStep, { checks: 'aws' }, { identity: identity(async () => ASSUMED) }, ctx(false));
    expect(run.plan!.warnings[0]).toContain(KIT_VARIABLES.responderRoleArn);
    expect(run.result!.outcomes.map((o) => [o.subject, o.status])).toEqual([['caller-identity', 'applied']]);
  });

  it('reports a provider failure per AWS check without throwing from apply', async () => {
    const failing = identity(async () => {
      throw new ProviderError('sts:GetCallerIdentity failed: ExpiredToken', { provider: 'aws', operation: 'sts:GetCallerIdentity', retryable: false, hint: 'check OIDC' });
    });
    await expect(runStep(preflightStep, { checks: 'aws', variables: { responderRoleArn: ROLE } }, { identity: failing }, ctx(false))).rejects.toMatchObject({
      code: 'PARTIAL_FAILURE',
      result: { status: 'failed', outcomes: [{ status: 'failed', reason: 'sts:GetCallerIdentity failed: ExpiredToken — check OIDC' }, { status: 'failed' }] },
    });
  });
});

describe('roleMismatch', () => {
  it('accepts the assumed responder role, whatever its path and session', () => {
    expect(roleMismatch(ASSUMED, ROLE)).toBeUndefined();
    expect(roleMismatch(ASSUMED, 'arn:aws:iam::123456789012:role/firebreak-responder')).toBeUndefined();
  });

  it('names what is wrong otherwise', () => {
    expect(roleMismatch({ ...ASSUMED, arn: 'arn:aws:iam::123456789012:user/alice' }, ROLE)).toMatch(/not as an assumed role/);
    expect(roleMismatch({ ...ASSUMED, arn: 'arn:aws:sts::999999999999:assumed-role/firebreak-responder/x' }, ROLE)).toMatch(/account 999999999999/);
    expect(roleMismatch({ ...ASSUMED, arn: 'arn:aws:sts::123456789012:assumed-role/admin/x' }, ROLE)).toMatch(/role admin/);
    expect(roleMismatch(ASSUMED, 'firebreak-responder')).toMatch(/not an IAM role ARN/);
  });
});
