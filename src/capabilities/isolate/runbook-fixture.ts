import { DescribeInstancesCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupRulesCommand, DescribeSnapshotsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { RunbookFixture, StepOutcome } from '../../drill/runbook/fixture.js';
import { recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { ensureEcsTask, ensureInstance, ensureNetworkAcl, ensureSecurityGroup } from '../../drill/runbook/kit-compute.js';
import { direct, directS3 } from '../../drill/runbook/kit-evidence.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';

/**
 * isolate and release in a runbook drill. The instance or task the runbook names is made real in
 * moto (aliased). isolate is checked for what the seeds got wrong: evidence FIRST (every volume
 * snapshotted, the task's description captured while it still ran), then the quarantine group
 * alone on the instance or the task stopped with the reason. release: the launch groups are back.
 */

const tasks = new WeakMap<RunbookWorld, Set<string>>();

function parse(input: Readonly<Record<string, unknown>>): { kind: string; id: string } {
  const t = String(input.target ?? '');
  const m = /^(aws:instance|aws:ecs-task|aws:security-group|aws:network-acl):(.+)$/.exec(t);
  return m ? { kind: m[1]!, id: m[2]! } : { kind: '', id: t };
}

async function prepare(world: RunbookWorld, input: Readonly<Record<string, unknown>>): Promise<void> {
  await ensureAwsKit(world);
  const { kind, id } = parse(input);
  if (kind === 'aws:instance') await ensureInstance(world, id);
  // A later step (release) names the real id the alias made: nothing to create then.
  const made = world.aliasList().some((a) => a.real === id);
  if (kind === 'aws:network-acl' && !made) await ensureNetworkAcl(world, id);
  if (kind === 'aws:security-group' && !made) await ensureSecurityGroup(world, id);
  if (kind === 'aws:ecs-task') {
    const known = tasks.get(world) ?? new Set<string>();
    tasks.set(world, known);
    const [cluster, task] = id.split('/');
    if (known.has(task!)) return;
    known.add((await ensureEcsTask(world, cluster!, task!)).taskId);
  }
}

async function groupsOf(world: RunbookWorld, id: string): Promise<string[]> {
  const { moto } = await ensureAwsKit(world);
  const ec2 = new EC2Client(direct(moto));
  try {
    return ((await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0]?.SecurityGroups ?? []).map((g) => g.GroupId!);
  } finally {
    ec2.destroy();
  }
}

async function aclEntries(world: RunbookWorld, id: string): Promise<Array<{ n: number; action: string; cidr: string }>> {
  const { moto } = await ensureAwsKit(world);
  const ec2 = new EC2Client(direct(moto));
  try {
    const acl = (await ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [id] }))).NetworkAcls?.[0];
    return (acl?.Entries ?? []).filter((e) => !e.Egress && e.RuleNumber !== 32767).map((e) => ({ n: e.RuleNumber!, action: e.RuleAction!, cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? '' })).sort((a, b) => a.n - b.n);
  } finally {
    ec2.destroy();
  }
}

async function ingressRules(world: RunbookWorld, id: string): Promise<string[]> {
  const { moto } = await ensureAwsKit(world);
  const ec2 = new EC2Client(direct(moto));
  try {
    const rules = (await ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [id] }] }))).SecurityGroupRules ?? [];
    return rules.filter((r) => !r.IsEgress).map((r) => `${r.IpProtocol}:${r.FromPort}-${r.ToPort}:${r.CidrIpv4 ?? r.CidrIpv6}:${r.Description ?? ''}`).sort();
  } finally {
    ec2.destroy();
  }
}

/** The rules ensureSecurityGroup and ensureNetworkAcl made: what a block must leave and release must bring back. */
const GROUP_RULES = ['tcp:22-22:203.0.113.0/24:vendor ssh', 'tcp:443-443:10.0.0.0/8:internal https'];
const ACL_ALLOWS = [
  { n: 100, action: 'allow', cidr: '0.0.0.0/0' },
  { n: 200, action: 'allow', cidr: '10.0.0.0/8' },
];

const actions = (o: StepOutcome) => ((o.result as { outcomes?: Array<{ action: string; status: string }> } | undefined)?.outcomes ?? []).map((x) => `${x.action}:${x.status}`);

export const isolateFixture: RunbookFixture = {
  prepare,

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const { moto, bucket } = await ensureAwsKit(world);
    const { kind, id } = parse(outcome.input);
    const incident = outcome.incidentId ?? world.incidentId ?? '';
    const done = actions(outcome);
    if (outcome.status !== 'applied' && outcome.status !== 'noop' && kind === 'aws:instance') {
      // A refusal the runbook expects (capture off, nothing on record): the host is as it was.
      const inst = await ensureInstance(world, id);
      return [checkEqual(`${id}: refused, its groups untouched`, await groupsOf(world, id), inst.groups)];
    }
    if (kind === 'aws:instance') {
      const inst = await ensureInstance(world, id);
      out.push(checkEqual(`${id}: only the kit's quarantine group`, await groupsOf(world, id), [inst.quarantineGroupId]));
      const ec2 = new EC2Client(direct(moto));
      const snaps = (await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:firebreak:instance', Values: [id] }] })).finally(() => ec2.destroy())).Snapshots ?? [];
      out.push(check(`${id}: its volume snapshotted for ${incident}`, snaps.some((s) => s.Tags?.some((t) => t.Key === 'firebreak:incident' && t.Value === incident)), `${snaps.length} snapshot(s)`));
      out.push(check('snapshot taken before the quarantine', done.indexOf('snapshot:applied') >= 0 && done.indexOf('snapshot:applied') < done.indexOf('quarantine:applied'), done.join(', ')));
    } else if (kind === 'aws:ecs-task') {
      const [cluster, task] = id.split('/');
      const ecs = new ECSClient(direct(moto));
      const t = (await ecs.send(new DescribeTasksCommand({ cluster, tasks: [task!] })).finally(() => ecs.destroy())).tasks?.[0];
      out.push(checkEqual(`${id}: stopped`, t?.desiredStatus, 'STOPPED'));
      out.push(check(`${id}: stopped with the runbook's reason`, Boolean(t?.stoppedReason?.includes(String(outcome.input.reason))), t?.stoppedReason));
      out.push(check('captured before the stop', done.indexOf('capture:applied') >= 0 && done.indexOf('capture:applied') < done.indexOf('stop:applied'), done.join(', ')));
      const s3 = directS3(moto);
      try {
        const listed = (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: world.env.FIREBREAK_EVIDENCE_PREFIX ?? '' }))).Contents ?? [];
        const key = listed.find((o) => o.Key!.endsWith(`${incident}/isolate/ecs-task/${cluster}/${task}/task.json`))?.Key;
        const captured = key ? await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString() : '';
        // Captured before StopTask: the task was still meant to run (desiredStatus turns STOPPED at once).
        const status = /"desiredStatus":\s*"([A-Z]+)"/.exec(captured)?.[1];
        out.push(checkEqual('the captured task description was taken before the stop (desiredStatus RUNNING)', status, 'RUNNING'));
      } finally {
        s3.destroy();
      }
    } else if (kind === 'aws:network-acl') {
      const cidr = String(outcome.input.cidr ?? '');
      const entries = await aclEntries(world, id);
      const deny = entries.find((e) => e.action === 'deny' && e.cidr === cidr);
      out.push(check(`${id}: an ingress deny for ${cidr}`, deny !== undefined, JSON.stringify(entries)));
      out.push(check(`${id}: the deny is numbered before every allow`, deny !== undefined && entries.filter((e) => e.action === 'allow').every((e) => e.n > deny.n), JSON.stringify(entries)));
      out.push(checkEqual(`${id}: the allow rules are untouched`, entries.filter((e) => e.action === 'allow'), ACL_ALLOWS));
    } else if (kind === 'aws:security-group') {
      const cidr = String(outcome.input.cidr ?? '');
      const rules = await ingressRules(world, id);
      out.push(checkEqual(`${id}: the rule letting ${cidr} in is revoked, the others kept`, rules, GROUP_RULES.filter((r) => r.split(':')[2] !== cidr)));
    } else {
      out.push(check(`isolate fixture knows ${kind || String(outcome.input.target)}`, false, 'add it to the isolate runbook fixture'));
    }
    out.push(await recordedOnIssue(world, 'isolate'));
    return out;
  },
};

export const releaseFixture: RunbookFixture = {
  prepare,

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const { kind, id } = parse(outcome.input);
    if (kind === 'aws:instance') {
      const inst = await ensureInstance(world, id);
      out.push(checkEqual(`${id}: its launch groups are back`, await groupsOf(world, id), inst.groups));
    } else if (kind === 'aws:network-acl') {
      out.push(checkEqual(`${id}: the incident's deny is gone, the allow rules as they were`, await aclEntries(world, id), ACL_ALLOWS));
    } else if (kind === 'aws:security-group') {
      out.push(checkEqual(`${id}: the revoked rule is back with its description`, await ingressRules(world, id), GROUP_RULES));
    } else {
      return [check(`release fixture knows ${kind || String(outcome.input.target)}`, false, 'add it to the release runbook fixture')];
    }
    out.push(await recordedOnIssue(world, 'release'));
    return out;
  },
};
