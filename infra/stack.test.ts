import type { ResourceValidationArgs } from '@pulumi/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { readExampleSections } from './testing/example-config.js';
import { installMocks, json, settle, valueOf, type MockRecorder } from './testing/mocks.js';

let mocks: MockRecorder;
let stack: typeof import('./stack.js');
let config: typeof import('./config.js');

beforeAll(async () => {
  mocks = installMocks();
  config = await import('./config.js');
  stack = await import('./stack.js');
});

describe('stack config', () => {
  it('accepts the documented example and fills defaults', () => {
    const cfg = config.parseKitConfig(readExampleSections());
    expect(cfg.github).toMatchObject({ repository: 'my-org/my-service', environment: 'incident', requireReviewers: true });
    expect(cfg.evidence).toMatchObject({ retentionDays: 365, lockMode: 'COMPLIANCE' });
    expect(cfg.waf?.scope).toBe('REGIONAL');
    const minimal = config.parseKitConfig({ github: { repository: 'a/b', requireReviewers: false } });
    expect(minimal.waf).toBeUndefined();
    expect(minimal.evidence.retentionDays).toBe(365);
    expect(minimal.aws.rotatableSecretTag).toEqual({ key: 'firebreak:rotatable', value: 'true' });
  });

  it('names every wrong key, with its firebreak: path', () => {
    const sections = readExampleSections();
    const broken = {
      ...sections,
      github: { ...(sections['github'] as object), repository: 'no-slash' },
      cloudflare: { ...(sections['cloudflare'] as object), listName: 'Bad-Name' },
      evidence: { retentionDays: 0 },
    };
    let message = '';
    try {
      config.parseKitConfig(broken);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('firebreak:github.repository: must be "owner/repo"');
    expect(message).toContain('firebreak:cloudflare.listName: must match ^[a-z0-9_]+$');
    expect(message).toContain('firebreak:evidence.retentionDays');
    expect(() => config.parseKitConfig({ github: { repository: 'a/b' } })).toThrow(/name at least one reviewer, or set requireReviewers: false/);
    // The reviewer-less bookkeeping environment can never be the responders' environment.
    expect(() => config.parseKitConfig({ github: { repository: 'a/b', requireReviewers: false, environment: 'ops', incidentEnvironment: 'ops' } })).toThrow(/incidentEnvironment: must differ/);
    expect(() => config.parseKitConfig({ github: { repository: 'a/b', requireReviewers: false }, typo: 1 })).toThrow(/firebreak:\(root\)/);
  });

  it('github.reusableWorkflow: optional; when set it must be a job_workflow_ref pattern with a literal owner/repo', () => {
    const github = { repository: 'a/b', requireReviewers: false };
    expect(config.parseKitConfig({ github }).github.reusableWorkflow).toBeUndefined();
    const pin = `acme/firebreak/.github/workflows/reusable-*.yml@${'f'.repeat(40)}`;
    expect(config.parseKitConfig({ github: { ...github, reusableWorkflow: pin } }).github.reusableWorkflow).toBe(pin);
    for (const bad of ['acme/*/.github/workflows/reusable-*.yml@*', 'acme/firebreak/.github/workflows/reusable-*.yml', 'reusable-block-ips.yml@main', '']) {
      expect(() => config.parseKitConfig({ github: { ...github, reusableWorkflow: bad } }), bad).toThrow(
        'firebreak:github.reusableWorkflow: must look like owner/repo/.github/workflows/<file>.yml@<ref>',
      );
    }
  });

  it('reads the sections through a pulumi.Config-like getter', () => {
    const sections = readExampleSections();
    const cfg = config.readKitConfig((key) => sections[key]);
    expect(cfg.logs.groups).toEqual(['/aws/ecs/my-service', '/aws/lambda/my-function']);
  });
});

describe('the kit from the example config', () => {
  it('wires evidence, trail, responder and environment together and passes its own policy pack', async () => {
    // With the reusable workflow pinned (github.reusableWorkflow), as a team calling firebreak from its own repository.
    const sections = readExampleSections();
    const pin = `my-org/firebreak/.github/workflows/reusable-*.yml@${'f'.repeat(40)}`;
    // With ticks on time too (issue 10 §7; commented out in the example because it needs a secret).
    const kit = stack.createKit(config.parseKitConfig({ ...sections, github: { ...(sections['github'] as object), reusableWorkflow: pin }, ticks: { everyMinutes: 5 } }), { ticksGithubToken: 'ghp_exampletoken' });
    const bucket = await valueOf(kit.evidence.bucketName);
    await valueOf(kit.responder.roleArn);
    await valueOf(kit.trail.trailArn);
    await settle();

    // The trail delivers into the evidence bucket, and the bucket policy names exactly that trail.
    const trail = mocks.named('firebreak-audit-trail');
    expect(trail.inputs['s3BucketName']).toBe(bucket);
    const policy = json(mocks.named('firebreak-evidence-policy').inputs['policy']);
    const write = policy.Statement.find((s: any) => s.Sid === 'AllowCloudTrailWrite');
    expect(write.Condition.StringEquals['aws:SourceArn']).toEqual([trail.state['arn']]);

    // The OIDC subject is the configured repository and environment.
    const trust = json(mocks.named('firebreak-responder-role').inputs['assumeRolePolicy']);
    expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:my-org/my-service:environment:incident');
    expect(trust.Statement[0].Condition.StringLike).toEqual({ 'token.actions.githubusercontent.com:job_workflow_ref': pin });

    // Each capability whose resources exist got its own policy.
    const rolePolicies = mocks.ofType('aws:iam/rolePolicy:RolePolicy');
    expect(rolePolicies.filter((p) => p.name.startsWith('firebreak-responder-')).map((p) => p.inputs['name']).sort()).toEqual(
      ['audit-trail', 'block-ips', 'block-network', 'disable-routes', 'isolate', 'limit-rate', 'notify', 'preserve-evidence', 'restart-service', 'revoke-access', 'rollback', 'rotate-secret', 'run-command', 'snapshot', 'stop-tasks', 'triage', 'verify-health'].map((n) => `firebreak-${n}`),
    );

    // The bookkeeping jobs' role: their own environment's subject, and the audit-trail policy only.
    await valueOf(kit.auditWriter.roleArn);
    await settle();
    const writerTrust = json(mocks.named('firebreak-audit-writer-role').inputs['assumeRolePolicy']);
    expect(writerTrust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:my-org/my-service:environment:firebreak-incident');
    expect(writerTrust.Statement[0].Principal).toEqual(trust.Statement[0].Principal);
    expect(writerTrust.Statement[0].Condition.StringLike).toEqual({ 'token.actions.githubusercontent.com:job_workflow_ref': pin });
    expect(rolePolicies.filter((p) => p.name.startsWith('firebreak-audit-writer-')).map((p) => p.inputs['name']).sort()).toEqual(['firebreak-audit-trail', 'firebreak-notify']);
    expect(json(mocks.named('firebreak-audit-writer-audit-trail').inputs['policy'])).toEqual(json(mocks.named('firebreak-responder-audit-trail').inputs['policy']));
    expect(mocks.named('firebreak-bookkeeping-environment').inputs).toMatchObject({ environment: 'firebreak-incident', reviewers: [] });
    expect(
      mocks
        .ofType('github:index/actionsEnvironmentVariable:ActionsEnvironmentVariable')
        .filter((v) => v.inputs['environment'] === 'firebreak-incident')
        .map((v) => v.inputs['variableName'])
        .sort(),
    ).toEqual(['FIREBREAK_AUDIT_ROLE_ARN', 'FIREBREAK_AWS_REGION', 'FIREBREAK_EVIDENCE_BUCKET']);
    expect(mocks.named('firebreak-environment-environment').inputs['repository']).toBe('my-service');
    expect(mocks.ofType('aws:cloudwatch/logGroup:LogGroup').map((g) => g.inputs['retentionInDays'])).toEqual([400, 400]);
    // Ticks on time (issue 10 §7): the example schedules repository_dispatch to the same repository.
    expect(await valueOf(kit.ticks!.scheduleArn)).toContain(':schedule/default/firebreak-ticks');
    expect(mocks.named('firebreak-ticks-destination').inputs['invocationEndpoint']).toBe('https://api.github.com/repos/my-org/my-service/dispatches');

    // Every resource the kit declares passes every rule of the pack.
    const { policies } = await importPolicies();
    const problems: string[] = [];
    for (const r of mocks.resources.filter((x) => x.custom)) {
      for (const p of policies) {
        const args = {
          type: r.type,
          props: r.inputs,
          urn: `urn:${r.name}`,
          name: r.name,
          opts: {},
          stackTags: new Map(),
          isType: () => false,
          asType: () => undefined,
          getConfig: () => ({ minRetentionDays: 365 }),
          notApplicable: () => {
            throw new Error('n/a');
          },
        } as unknown as ResourceValidationArgs;
        for (const v of [p.validateResource].flat()) await v?.(args, (m) => problems.push(`${p.name}: ${m}`));
      }
    }
    expect(problems).toEqual([]);
    expect(mocks.unmocked).toEqual([]);
  });

  it('refuses ticks without their secret token, before creating anything', () => {
    const before = mocks.resources.length;
    expect(() => stack.createKit(config.parseKitConfig({ ...readExampleSections(), ticks: {} }))).toThrow(/firebreak:ticksGithubToken/);
    expect(mocks.resources.length).toBe(before);
  });

  it('the program (index.ts) refuses a github:owner that does not own the repository', async () => {
    const pulumi = await import('@pulumi/pulumi');
    const sections = readExampleSections();
    const all: Record<string, string> = { 'github:owner': 'someone-else' };
    for (const [key, value] of Object.entries(sections)) all[`firebreak:${key}`] = JSON.stringify(value);
    pulumi.runtime.setAllConfig(all);
    const before = mocks.resources.length;
    await expect(import('./index.js')).rejects.toThrow('github:owner is "someone-else" but firebreak:github.repository is owned by "my-org"');
    expect(mocks.resources.length).toBe(before);
  });

  it('answers only the invokes it knows: anything else throws', async () => {
    const aws = await import('@pulumi/aws');
    await expect(aws.getAvailabilityZones({})).rejects.toThrow();
    expect(mocks.unmocked).toEqual(['aws:index/getAvailabilityZones:getAvailabilityZones']);
  });
});

/** The rules without index.ts: constructing a PolicyPack starts a gRPC server. */
async function importPolicies() {
  const [a, b, c, d, e] = await Promise.all([
    import('./policy/aws-cloudwatch-log-group-retention.js'),
    import('./policy/aws-s3-bucket-object-lock.js'),
    import('./policy/aws-s3-bucket-no-public-access.js'),
    import('./policy/aws-iam-no-wildcard-writes.js'),
    import('./policy/aws-iam-oidc-trust-pinned.js'),
  ]);
  return { policies: [a.logGroupRetention, b.objectLock, c.noPublicBucket, d.noWildcardWrites, e.oidcTrustPinned] };
}
