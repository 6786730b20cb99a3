import * as pulumi from '@pulumi/pulumi';
import { FLEET_MEMBER_ROLE_NAME } from './components/fleet-member-role.js';

/**
 * The stack-reference layer: the kit deployed once per account/region (one stack each) already
 * exports, in `environmentVariables`, every id a fleet target needs. This reads each stack's
 * outputs and writes the `fleet.targets_file` firebreak.yml points to, so account ids, regions,
 * IP set ARNs and list ids are never typed by hand (docs/operators/fleet.md):
 *
 *   const fleet = collectFleetTargets([{ stack: 'acme/firebreak/prod-eu', tags: ['prod'] }, …]);
 *   export const fleetTargets = fleet;   // then: pulumi stack output fleetTargets --json > fleet-targets.json
 */
export interface FleetStack {
  /** `org/project/stack` of a kit stack. */
  stack: string;
  tags?: string[];
  /** Zones whose custom rule references this stack's Cloudflare list (shown in summaries). */
  zones?: string[];
}

type Vars = Record<string, string | undefined>;

export interface FleetTargetsFileShape {
  version: 1;
  source: string;
  targets: Array<Record<string, unknown>>;
}

/** One stack's targets from its `environmentVariables` output: an AWS account/region, a Cloudflare account, or both. */
export function targetsFromOutputs(stack: FleetStack, vars: Vars | undefined, memberRoleArn: string | undefined): Array<Record<string, unknown>> {
  if (!vars) throw new Error(`stack ${stack.stack} has no environmentVariables output: deploy the kit there first (pulumi up)`);
  const out: Array<Record<string, unknown>> = [];
  const tags = [...(stack.tags ?? [])].sort();
  const v4 = vars['FIREBREAK_WAF_IPSET_V4_ARN'];
  const v6 = vars['FIREBREAK_WAF_IPSET_V6_ARN'];
  const anyArn = v4 ?? v6;
  if (anyArn) {
    const [, , , region, account] = anyArn.split(':');
    if (!account || !region) throw new Error(`stack ${stack.stack}: ${anyArn} is not a WAF IP set ARN`);
    out.push({
      provider: 'aws',
      account,
      region: vars['FIREBREAK_AWS_REGION'] ?? region,
      role_arn: memberRoleArn ?? `arn:aws:iam::${account}:role/${FLEET_MEMBER_ROLE_NAME}`,
      waf: { scope: vars['FIREBREAK_WAF_SCOPE'] ?? 'REGIONAL', ...(v4 ? { ipv4_arn: v4 } : {}), ...(v6 ? { ipv6_arn: v6 } : {}) },
      tags,
    });
  }
  const cfAccount = vars['FIREBREAK_CLOUDFLARE_ACCOUNT_ID'];
  const list = vars['FIREBREAK_CLOUDFLARE_LIST_ID'];
  if (cfAccount && list) out.push({ provider: 'cloudflare', account: cfAccount, list_id: list, zones: stack.zones ?? [], tags });
  if (out.length === 0) throw new Error(`stack ${stack.stack} exports no WAF IP set and no Cloudflare list: nothing a fleet run can act on`);
  return out;
}

export function collectFleetTargets(stacks: FleetStack[]): pulumi.Output<FleetTargetsFileShape> {
  const per = stacks.map((s) => {
    const ref = new pulumi.StackReference(`fleet-${s.stack.replace(/[^\w-]/g, '-')}`, { name: s.stack });
    return pulumi.all([ref.getOutput('environmentVariables'), ref.getOutput('fleetMemberRoleArn')]).apply(([vars, role]) => targetsFromOutputs(s, vars as Vars | undefined, role as string | undefined));
  });
  return pulumi.all(per).apply((lists) => ({ version: 1 as const, source: stacks.map((s) => s.stack).join(', '), targets: lists.flat() }));
}
