import * as pulumi from '@pulumi/pulumi';
import { describe, expect, it } from 'vitest';
import { fleetTargetsFile } from '../src/core/config/sections/fleet.js';

/**
 * The stack-reference layer under pulumi.runtime.setMocks: each StackReference answers with the
 * outputs a deployed kit stack has; the collected file must pass the config's own schema, and the
 * member role trusts only the responder role.
 */
const STACKS: Record<string, Record<string, unknown>> = {
  'acme/firebreak/prod-eu': {
    environmentVariables: {
      FIREBREAK_AWS_REGION: 'eu-west-1',
      FIREBREAK_WAF_SCOPE: 'REGIONAL',
      FIREBREAK_WAF_IPSET_V4_ARN: 'arn:aws:wafv2:eu-west-1:111111111111:regional/ipset/fb-block-ipv4/aaaaaaaa-0000-4000-8000-000000000001',
      FIREBREAK_WAF_IPSET_V6_ARN: 'arn:aws:wafv2:eu-west-1:111111111111:regional/ipset/fb-block-ipv6/aaaaaaaa-0000-4000-8000-000000000002',
      FIREBREAK_CLOUDFLARE_ACCOUNT_ID: 'c'.repeat(32),
      FIREBREAK_CLOUDFLARE_LIST_ID: 'd'.repeat(32),
    },
  },
  'acme/firebreak/prod-us': {
    environmentVariables: {
      FIREBREAK_AWS_REGION: 'us-east-1',
      FIREBREAK_WAF_IPSET_V4_ARN: 'arn:aws:wafv2:us-east-1:222222222222:regional/ipset/fb-block-ipv4/bbbbbbbb-0000-4000-8000-000000000001',
    },
    fleetMemberRoleArn: 'arn:aws:iam::222222222222:role/custom-member',
  },
  'acme/firebreak/empty': { environmentVariables: { FIREBREAK_AWS_REGION: 'eu-west-1' } },
};

const created: Array<{ type: string; name: string; inputs: Record<string, unknown> }> = [];
pulumi.runtime.setMocks(
  {
    newResource(args) {
      created.push({ type: args.type, name: args.name, inputs: args.inputs });
      if (args.type === 'pulumi:pulumi:StackReference') {
        const outputs = STACKS[args.inputs['name'] as string];
        if (!outputs) throw new Error(`no such stack ${String(args.inputs['name'])}`);
        return { id: args.inputs['name'] as string, state: { name: args.inputs['name'], outputs, secretOutputNames: [] } };
      }
      return { id: `${args.name}-id`, state: { ...args.inputs, arn: args.type === 'aws:iam/role:Role' ? `arn:aws:iam::333333333333:role/${String(args.inputs['name'])}` : undefined } };
    },
    call(args) {
      throw new Error(`unexpected invoke ${args.token}`);
    },
  },
  'firebreak',
  'fleet',
  false,
);

const valueOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply((v) => resolve(v)));

describe('collectFleetTargets', () => {
  it('turns each kit stack\'s outputs into targets the fleet: schema accepts, names never typed', async () => {
    const { collectFleetTargets } = await import('./fleet-targets.js');
    const file = await valueOf(collectFleetTargets([{ stack: 'acme/firebreak/prod-eu', tags: ['prod', 'pci'], zones: ['shop.example.com'] }, { stack: 'acme/firebreak/prod-us', tags: ['prod'] }]));
    const parsed = fleetTargetsFile.parse(file);
    expect(parsed.targets).toEqual([
      { provider: 'aws', account: '111111111111', region: 'eu-west-1', role_arn: 'arn:aws:iam::111111111111:role/firebreak-fleet-member', waf: { scope: 'REGIONAL', ipv4_arn: (STACKS['acme/firebreak/prod-eu']!.environmentVariables as Record<string, string>).FIREBREAK_WAF_IPSET_V4_ARN, ipv6_arn: (STACKS['acme/firebreak/prod-eu']!.environmentVariables as Record<string, string>).FIREBREAK_WAF_IPSET_V6_ARN }, tags: ['pci', 'prod'] },
      { provider: 'cloudflare', account: 'c'.repeat(32), list_id: 'd'.repeat(32), zones: ['shop.example.com'], tags: ['pci', 'prod'] },
      { provider: 'aws', account: '222222222222', region: 'us-east-1', role_arn: 'arn:aws:iam::222222222222:role/custom-member', waf: { scope: 'REGIONAL', ipv4_arn: (STACKS['acme/firebreak/prod-us']!.environmentVariables as Record<string, string>).FIREBREAK_WAF_IPSET_V4_ARN }, tags: ['prod'] },
    ]);
    expect(created.filter((r) => r.type === 'pulumi:pulumi:StackReference').map((r) => r.inputs['name'])).toEqual(['acme/firebreak/prod-eu', 'acme/firebreak/prod-us']);
  });

  it('refuses a stack that exports nothing a fleet run can act on', async () => {
    const { targetsFromOutputs } = await import('./fleet-targets.js');
    expect(() => targetsFromOutputs({ stack: 'acme/firebreak/empty' }, STACKS['acme/firebreak/empty']!.environmentVariables as Record<string, string>, undefined)).toThrow(/nothing a fleet run can act on/);
    expect(() => targetsFromOutputs({ stack: 'acme/firebreak/none' }, undefined, undefined)).toThrow(/no environmentVariables output/);
  });
});

describe('FleetMemberRole', () => {
  it('trusts only the responder role and may only read and replace the account\'s kit IP sets', async () => {
    const { FleetMemberRole, FLEET_MEMBER_ROLE_NAME } = await import('./components/fleet-member-role.js');
    const responder = 'arn:aws:iam::999999999999:role/firebreak-responder';
    const member = new FleetMemberRole('member', { responderRoleArn: responder, ipSetArns: ['arn:aws:wafv2:eu-west-1:333333333333:regional/ipset/fb-block-ipv4/x'] });
    expect(await valueOf(member.roleArn)).toBe(`arn:aws:iam::333333333333:role/${FLEET_MEMBER_ROLE_NAME}`);
    await (pulumi.runtime as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    const role = created.find((r) => r.type === 'aws:iam/role:Role' && r.name === 'member')!;
    expect(JSON.parse(role.inputs['assumeRolePolicy'] as string).Statement).toEqual([{ Sid: 'FirebreakResponderOnly', Effect: 'Allow', Principal: { AWS: responder }, Action: 'sts:AssumeRole' }]);
    const policy = created.find((r) => r.type === 'aws:iam/rolePolicy:RolePolicy' && r.name === 'member-block-ips')!;
    const statements = JSON.parse(policy.inputs['policy'] as string).Statement as Array<{ Action: string[]; Resource: string[] }>;
    expect(statements.flatMap((s) => s.Action).sort()).toEqual(['wafv2:GetIPSet', 'wafv2:UpdateIPSet']);
    expect(statements.flatMap((s) => s.Resource)).toEqual(['arn:aws:wafv2:eu-west-1:333333333333:regional/ipset/fb-block-ipv4/x']);
  });

  it('refuses a responder that is not a role ARN (an account principal would trust every role there)', async () => {
    const { fleetMemberTrustPolicy } = await import('./components/fleet-member-role.js');
    expect(() => fleetMemberTrustPolicy('999999999999')).toThrow(/must be an IAM role ARN/);
    expect(() => fleetMemberTrustPolicy('arn:aws:iam::999999999999:root')).toThrow(/must be an IAM role ARN/);
  });
});
