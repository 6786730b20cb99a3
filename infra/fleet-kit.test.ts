import type { ResourceValidationArgs } from '@pulumi/policy';
import { beforeAll, describe, expect, it } from 'vitest';
import { readExampleSections } from './testing/example-config.js';
import { installMocks, json, settle, TEST_ACCOUNT, valueOf, type MockRecorder } from './testing/mocks.js';

/**
 * Least privilege across accounts (issue 17): the kit wires the fleet from its config, under the
 * strict Pulumi mocks. Home stack: the responder role may sts:AssumeRole exactly the listed member
 * roles (never `*`, never when no fleet is declared) and trusts the fleet workflows' environment only
 * from those workflow files. Member stack: the FleetMemberRole trusts only the home responder role and
 * may only do what the fanned-out capabilities call there.
 */
let mocks: MockRecorder;
let stack: typeof import('./stack.js');
let config: typeof import('./config.js');

const HOME_RESPONDER = 'arn:aws:iam::999999999999:role/firebreak-responder-role-abc';
const MEMBERS = ['arn:aws:iam::100000000000:role/firebreak-fleet-member', 'arn:aws:iam::100000001111:role/firebreak-fleet-member'];

beforeAll(async () => {
  mocks = installMocks();
  config = await import('./config.js');
  stack = await import('./stack.js');
});

type Doc = { Statement: Array<{ Sid?: string; Effect: string; Action: string | string[]; Resource?: string | string[]; Principal?: unknown; Condition?: Record<string, Record<string, unknown>> }> };
const actions = (doc: Doc) => doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat());

async function build(sections: Record<string, unknown>) {
  mocks.resources.length = 0;
  const kit = stack.createKit(config.parseKitConfig(sections));
  await valueOf(kit.responder.roleArn);
  if (kit.fleet?.memberRole) await valueOf(kit.fleet.memberRole.roleArn);
  await settle();
  const policiesOn = (prefix: string) => mocks.ofType('aws:iam/rolePolicy:RolePolicy').filter((p) => p.name.startsWith(prefix)).map((p) => ({ name: String(p.inputs['name']), doc: json(p.inputs['policy']) as Doc }));
  return { kit, policiesOn };
}

async function packProblems(): Promise<string[]> {
  const [d, e] = await Promise.all([import('./policy/aws-iam-no-wildcard-writes.js'), import('./policy/aws-iam-oidc-trust-pinned.js')]);
  const problems: string[] = [];
  for (const r of mocks.resources.filter((x) => x.custom)) {
    for (const p of [d.noWildcardWrites, e.oidcTrustPinned]) {
      const args = { type: r.type, props: r.inputs, urn: `urn:${r.name}`, name: r.name, opts: {}, stackTags: new Map(), getConfig: () => ({}) } as unknown as ResourceValidationArgs;
      for (const v of [p.validateResource].flat()) await v?.(args, (m) => problems.push(`${p.name}: ${m}`));
    }
  }
  return problems;
}

describe('fleet in the kit: home stack', () => {
  it('without a fleet section the responder role can assume no role and trusts only the protected environment', async () => {
    const { policiesOn } = await build(readExampleSections());
    const all = policiesOn('firebreak-responder-');
    expect(all.flatMap((p) => actions(p.doc)).filter((a) => a.startsWith('sts:'))).toEqual([]);
    expect(json(mocks.named('firebreak-responder-role').inputs['assumeRolePolicy']).Statement).toHaveLength(1);
    expect(mocks.resources.filter((r) => r.name.startsWith('firebreak-fleet'))).toEqual([]);
  });

  it('with memberRoleArns: sts:AssumeRole on exactly those roles, in its own policy, and the fleet jobs trusted only from the fleet workflows', async () => {
    const sections = readExampleSections();
    const { policiesOn } = await build({ ...sections, fleet: { memberRoleArns: [MEMBERS[1], MEMBERS[0], MEMBERS[1]] } });
    const all = policiesOn('firebreak-responder-');
    const assume = all.filter((p) => actions(p.doc).some((a) => a.startsWith('sts:')));
    expect(assume.map((p) => p.name)).toEqual(['firebreak-fleet']);
    expect(assume[0]!.doc.Statement).toEqual([{ Sid: 'AssumeFleetMemberRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: [...MEMBERS].sort() }]);

    const trust = json(mocks.named('firebreak-responder-role').inputs['assumeRolePolicy']);
    expect(trust.Statement).toHaveLength(2);
    expect(trust.Statement[0].Condition.StringEquals['token.actions.githubusercontent.com:sub']).toBe('repo:my-org/my-service:environment:incident');
    expect(trust.Statement[1].Sid).toBe('GitHubFleetWorkflowsOnly');
    expect(trust.Statement[1].Condition).toEqual({
      StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com', 'token.actions.githubusercontent.com:sub': 'repo:my-org/my-service:environment:incident-fleet' },
      StringLike: { 'token.actions.githubusercontent.com:job_workflow_ref': ['my-org/my-service/.github/workflows/fleet-*.yml@refs/heads/main'] },
    });
    // The fleet jobs' environment: no reviewers (the gate job's approval is the one), only the deployment branches.
    expect(mocks.named('firebreak-fleet-environment-environment').inputs).toMatchObject({ environment: 'incident-fleet', reviewers: [] });
    expect(await packProblems()).toEqual([]);
  });

  it('refuses a wildcard member role before anything is created', () => {
    expect(() => config.parseKitConfig({ ...readExampleSections(), fleet: { memberRoleArns: ['arn:aws:iam::*:role/firebreak-fleet-member'] } })).toThrow(/firebreak:fleet.memberRoleArns.0: must be an IAM role ARN/);
    expect(() => config.parseKitConfig({ ...readExampleSections(), fleet: { memberRoleArns: ['*'] } })).toThrow(/firebreak:fleet.memberRoleArns/);
  });
});

describe('fleet in the kit: member account stack', () => {
  it('creates the member role trusting only the home responder role, with block-ips on this account\'s sets and rotate-secret on tagged secrets', async () => {
    const sections = readExampleSections();
    const otherRegionSet = `arn:aws:wafv2:us-east-1:${TEST_ACCOUNT}:regional/ipset/fb-block-v4/0a1b2c3d-0000-0000-0000-000000000001`;
    const { kit, policiesOn } = await build({ ...sections, fleet: { member: { responderRoleArn: HOME_RESPONDER, ipSetArns: [otherRegionSet], regions: ['eu-west-1', 'us-east-1'] } } });
    // A member stack is not a fleet home: its own responder role assumes nothing.
    expect(policiesOn('firebreak-responder-').flatMap((p) => actions(p.doc)).filter((a) => a.startsWith('sts:'))).toEqual([]);
    const roles = mocks.ofType('aws:iam/role:Role').filter((r) => r.name === 'firebreak-fleet-member');
    expect(roles).toHaveLength(1);
    const role = roles[0]!;
    expect(role.inputs['name']).toBe('firebreak-fleet-member');
    expect(json(role.inputs['assumeRolePolicy'])).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'FirebreakResponderOnly', Effect: 'Allow', Principal: { AWS: HOME_RESPONDER }, Action: 'sts:AssumeRole' }],
    });
    const member = policiesOn('firebreak-fleet-member-');
    expect(member.map((p) => p.name).sort()).toEqual(['firebreak-fleet-block-ips', 'firebreak-fleet-rotate-secret']);
    const block = member.find((p) => p.name === 'firebreak-fleet-block-ips')!.doc;
    const [v4, v6] = await Promise.all([valueOf(kit.waf!.ipv4SetArn), valueOf(kit.waf!.ipv6SetArn)]);
    expect(block.Statement).toEqual([{ Sid: 'ReadAndReplaceBlockedAddresses', Effect: 'Allow', Action: ['wafv2:GetIPSet', 'wafv2:UpdateIPSet'], Resource: [v4, v6, ...((sections['waf'] as { blockIpSetArns: string[] }).blockIpSetArns), otherRegionSet] }]);
    const rotate = member.find((p) => p.name === 'firebreak-fleet-rotate-secret')!.doc;
    const tagged = rotate.Statement.find((s) => s.Sid === 'RotateTaggedSecrets')!;
    expect(tagged.Resource).toEqual([`arn:aws:secretsmanager:eu-west-1:${TEST_ACCOUNT}:secret:*`, `arn:aws:secretsmanager:us-east-1:${TEST_ACCOUNT}:secret:*`]);
    expect(tagged.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/firebreak:rotatable': 'true' } });
    // Nothing beyond what block-ips and rotate-secret call (least-privilege.accepted.ts lists rotate-secret's).
    expect([...new Set(member.flatMap((p) => actions(p.doc)))].sort()).toEqual(
      ['ecs:DescribeServices', 'ecs:UpdateService', 'secretsmanager:DescribeSecret', 'secretsmanager:GetRandomPassword', 'secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds', 'secretsmanager:PutSecretValue', 'secretsmanager:UpdateSecretVersionStage', 'wafv2:GetIPSet', 'wafv2:UpdateIPSet'],
    );
    expect(await valueOf(kit.fleet!.memberRole!.roleArn)).toContain('firebreak-fleet-member');
    expect(await packProblems()).toEqual([]);
  });

  it('refuses a member section whose responder is not a role ARN', () => {
    expect(() => config.parseKitConfig({ ...readExampleSections(), fleet: { member: { responderRoleArn: 'arn:aws:iam::999999999999:root' } } })).toThrow(/firebreak:fleet.member.responderRoleArn/);
  });
});
