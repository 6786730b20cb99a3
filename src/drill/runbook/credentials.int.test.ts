import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillRunbook } from './run.js';
import { auditHoldsNone } from './kit-leaks.js';
import { RunbookWorld, type FaultSpec } from './world.js';

/**
 * The credential fixtures (rotate-secret, revoke-access, restore-access, restart-service) drilled
 * through the CLI against moto, Vault, Atlas and the GitHub emulator: a runbook that uses every one
 * of them is green, and the same fixtures fail a step whose provider said yes and did nothing.
 */
const GREEN = 'test/fixtures/runbooks/credentials.md';
const SILENT = 'test/fixtures/runbooks/credentials-silent.md';

const failedChecks = (s: { expectations: Array<{ name: string; ok: boolean }> }) => s.expectations.filter((e) => !e.ok).map((e) => e.name);

describe('runbook drill: credential fixtures', () => {
  it('rotates, revokes, restores and restarts, and every fixture finds it done in the emulators', async () => {
    const report = await drillRunbook({ file: GREEN });
    const failed = report.steps.flatMap((s) => failedChecks(s).map((n) => `${s.index + 1}. ${s.step}: ${n}`));
    expect(failed, JSON.stringify(report.steps.map((s) => [s.step, s.status, s.code]))).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.status)).toEqual(['applied', 'applied', 'applied', 'refused', 'applied', 'applied', 'applied', 'applied', 'applied', 'applied']);
    // The names moto and Vault minted stood in for the runbook's, in the very step that named them.
    expect(report.aliases.map((a) => a.written).sort()).toEqual(['eu-west-1_Shop01', 'leaked-ci-accessor']);
    const names = report.steps.flatMap((s) => s.expectations.map((e) => e.name));
    expect(names).toEqual(
      expect.arrayContaining([
        'aws:secret:shop/admin-token: AWSPREVIOUS holds the old value',
        'aws:secret:shop/admin-token: the new value is 64 characters of hex',
        'ECS service prod/api got a new deployment',
        'ECS service prod/worker got a new deployment',
        'Atlas user admin/app: the database accepts the new value',
        'aws:secret:shop/mongo: every key but password kept',
        'refused: aws:secret:shop/mongo AWSCURRENT unchanged',
        'vault:kv:secret/shop/config: every key but jwt_secret kept',
        'vault:kv:secret/shop/config: the new value is 64 characters of base64url',
        "the responder's own Vault token still works",
        'github:user:octo-intern: out of the organisation and every team, no invitation left',
        'github:user:octo-intern: back in their teams with their team role',
        'aws:iam-user:deploy-bot: every access key inactive',
        'aws:iam-user:deploy-bot: the keys that were active are active again, the others not',
        'prod/web desired count',
      ]),
    );
    expect(names.filter((n) => n.includes('in the audit chain')).length).toBeGreaterThanOrEqual(6);
    expect(report.audit.ok).toBe(true);
  });

  it('fails the steps whose provider acknowledged and changed nothing, naming the check', async () => {
    const faults: FaultSpec[] = [
      {
        service: 'aws',
        text: 'aws:UpdateService answered 200, nothing done',
        rule: {
          target: 'UpdateService',
          status: 200,
          headers: { 'content-type': 'application/x-amz-json-1.1' },
          body: { service: { serviceName: 'web', serviceArn: 'arn:aws:ecs:us-east-1:123456789012:service/prod/web', status: 'ACTIVE', desiredCount: 1, runningCount: 1, deployments: [{ id: 'ecs-svc/0', status: 'PRIMARY', desiredCount: 1, runningCount: 1 }] } },
        },
      },
      { service: 'github', text: 'github:DELETE membership answered 204, nothing done', rule: { method: 'DELETE', path: /^\/orgs\/[^/]+\/memberships\/octo-intern$/, status: 204 } },
    ];
    const report = await drillRunbook({ file: SILENT, faults });
    expect(report.ok).toBe(false);
    expect(report.faults).toEqual([]);
    const [, revoke, restart] = report.steps;
    // The steps believed it; only the fixtures' read-back tells otherwise.
    expect([revoke!.status, restart!.status]).toEqual(['applied', 'applied']);
    expect(failedChecks(revoke!)).toEqual(['github:user:octo-intern: out of the organisation and every team, no invitation left']);
    expect(failedChecks(restart!)).toEqual(['prod/web got a new deployment']);
  });

  it('the leak check finds a planted value in any form it could take, and never prints it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-leaks-'));
    const world = new RunbookWorld({ workDir: dir, start: new Date('2026-12-02T08:00:00Z') });
    const value = 'fb-drill-old-secret-Zx9/+=';
    for (const form of [Buffer.from(value).toString('base64'), encodeURIComponent(value), JSON.stringify(value)]) {
      await writeFile(world.auditFile, `{"record":{"step":"rotate-secret","note":${JSON.stringify(form)}}}\n`);
      const found = await auditHoldsNone(world, 'no secret in the chain', ['unrelated-value-0000', value]);
      expect(found).toMatchObject({ ok: false, detail: expect.stringContaining('#2') });
      expect(found.detail).not.toContain(value);
    }
    await writeFile(world.auditFile, '{"record":{"step":"rotate-secret"}}\n');
    expect((await auditHoldsNone(world, 'no secret in the chain', [value])).ok).toBe(true);
  });
});
