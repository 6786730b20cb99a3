import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { DescribeInstancesCommand, DescribeNetworkAclsCommand, DescribeSecurityGroupRulesCommand, DescribeSnapshotsCommand, DescribeTagsCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../core/config/parse.js';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep, type GuardOverride } from '../../core/step.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { FileAuditSink } from '../../providers/local/file-audit-sink.js';
import { ENV } from '../../runtime/env.js';
import { fileRecords } from '../../runtime/ports/audit-trail-reader.js';
import { buildIsolatePorts } from './build-ports.js';
import { provisionComputeFixture, type ComputeFixture } from './fixture.js';
import type { IsolatePorts } from './ports.js';
import { isolateStep, releaseStep } from './step.js';

let moto: MotoServer;
let fx: ComputeFixture;
let dir: string;
let s3: S3Client;
const INCIDENT = 'INC-20261202-miner';
const CONFIG = parseConfig('version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: office egress\n');

beforeAll(async () => {
  moto = await startMoto();
  fx = await provisionComputeFixture(moto, { suffix: 'it' });
  dir = mkdtempSync(join(tmpdir(), 'fb-isolate-'));
  s3 = new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
}, 60_000);
afterAll(async () => {
  fx?.destroy();
  s3?.destroy();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const auditFile = () => join(dir, 'audit.jsonl');
function ports(extra: Record<string, string> = {}): IsolatePorts {
  return buildIsolatePorts({ ...fx.env, [ENV.auditFile]: auditFile(), ...extra }, CONFIG, { sleep: async () => {}, callAttempts: 2, timeoutMs: 5_000 });
}
function ctx(overrides: GuardOverride[] = [], incidentId: string | null = INCIDENT) {
  return makeContext({ audit: new FileAuditSink(auditFile()), clock: manualClock('2026-12-02T04:00:00Z'), sleep: async () => {}, logger: memoryLogger(), dryRun: false, incidentId, actor: 'responder', overrides });
}
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof FirebreakError)) expect.unreachable(`expected a FirebreakError, got ${String(e)}`);
  return e;
};
const groupsOf = async (id: string) => (await fx.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!.SecurityGroups!.map((g) => g.GroupId);
const tagsOf = async (id: string) =>
  Object.fromEntries(((await fx.ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'resource-id', Values: [id] }] }))).Tags ?? []).map((t) => [t.Key!, t.Value!]));
const snapshots = async () =>
  (await fx.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:firebreak:incident', Values: [INCIDENT] }] }))).Snapshots ?? [];
const ingress = async (groupId: string) =>
  ((await fx.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }] }))).SecurityGroupRules ?? [])
    .filter((r) => !r.IsEgress)
    .map((r) => `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIpv4 ?? r.CidrIpv6} ${r.Description ?? ''}`.trim())
    .sort();
const inbound = async (aclId: string) =>
  ((await fx.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] }))).NetworkAcls![0]!.Entries ?? [])
    .filter((e) => !e.Egress && (e.RuleNumber ?? 0) < 32767)
    .map((e) => `${e.RuleNumber} ${e.RuleAction} ${e.CidrBlock}`)
    .sort();
const instanceTarget = () => `aws:instance:${fx.instanceId}`;

describe('isolate an EC2 instance (moto)', () => {
  it('refuses with capture off and no capture on record, changing nothing', async () => {
    const e = await refusal(runStep(isolateStep, { target: instanceTarget(), reason: 'miner', capture: 'false' }, ports(), ctx()));
    expect(e.code).toBe('EVIDENCE_NOT_CAPTURED');
    expect(await groupsOf(fx.instanceId)).toEqual([fx.appGroupId]);
    expect(await snapshots()).toEqual([]);
  });

  it('snapshot taken, swap failed: reported as partial; the re-run reuses the snapshot and isolates', async () => {
    const real = ports();
    let failed = 0;
    // EC2 speaks the query protocol, which the fault proxy cannot tell apart by operation: the one
    // call is failed at the port, every other call is the real adapter against moto.
    const flaky: IsolatePorts = {
      ...real,
      compute: Object.assign(Object.create(Object.getPrototypeOf(real.compute) as object) as IsolatePorts['compute'], real.compute, {
        setInstanceGroups: async (id: string, groups: string[]) => {
          if (failed++ === 0) throw new Error('drill: ModifyInstanceAttribute refused');
          return real.compute.setInstanceGroups(id, groups);
        },
      }),
    };
    const half = await runStep(isolateStep, { target: instanceTarget(), reason: 'miner' }, flaky, ctx()).then(
      () => expect.unreachable('the swap failed'),
      (x: unknown) => x,
    );
    if (!(half instanceof PartialFailureError)) expect.unreachable(String(half));
    expect((half.result as { outcomes: Array<{ action: string; status: string }> }).outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['snapshot:applied', 'record-groups:applied', 'quarantine:failed']);
    expect(await groupsOf(fx.instanceId)).toEqual([fx.appGroupId]);
    expect(await snapshots()).toHaveLength(1);
    expect(await tagsOf(fx.instanceId)).toMatchObject({ 'firebreak:original-groups': fx.appGroupId, 'firebreak:isolated': INCIDENT });

    const again = await runStep(isolateStep, { target: instanceTarget(), reason: 'miner' }, ports(), ctx());
    expect(again.result?.status).toBe('ok');
    expect(again.plan?.changes.map((c) => c.action)).toEqual(['quarantine']);
    expect(await groupsOf(fx.instanceId)).toEqual([fx.quarantineGroupId]);
    const snaps = await snapshots();
    expect(snaps).toHaveLength(1);
    expect(Object.fromEntries(snaps[0]!.Tags!.map((t) => [t.Key, t.Value]))).toMatchObject({ 'firebreak:incident': INCIDENT, 'firebreak:instance': fx.instanceId });
  });

  it('an isolated instance is already so: nothing is changed on a re-run', async () => {
    const run = await runStep(isolateStep, { target: instanceTarget(), reason: 'miner' }, ports(), ctx());
    expect(run.result?.status).toBe('noop');
    expect(run.result?.outcomes.map((o) => o.reason)).toContain(`already isolated: only the quarantine group ${fx.quarantineGroupId} is attached`);
  });

  it('release restores exactly the recorded groups and drops the record; a re-run is a no-op', async () => {
    const run = await runStep(releaseStep, { target: instanceTarget(), reason: 'reimaged' }, ports(), ctx());
    expect(run.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['restore:applied', 'clear-record:applied']);
    expect(await groupsOf(fx.instanceId)).toEqual([fx.appGroupId]);
    expect(Object.keys(await tagsOf(fx.instanceId)).filter((k) => k.startsWith('firebreak:'))).toEqual([]);
    expect((await runStep(releaseStep, { target: instanceTarget(), reason: 'reimaged' }, ports(), ctx())).result?.status).toBe('noop');
  });

  it('with capture off, the snapshot outcome of the earlier run in this incident counts as the capture on record', async () => {
    const records = await fileRecords(auditFile());
    expect(records.some((r) => r.step === 'isolate' && JSON.stringify(r.result).includes('"action":"snapshot"'))).toBe(true);
    const run = await runStep(isolateStep, { target: instanceTarget(), reason: 'again', capture: 'false' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await groupsOf(fx.instanceId)).toEqual([fx.quarantineGroupId]);
    await runStep(releaseStep, { target: instanceTarget(), reason: 'done' }, ports(), ctx());
  });

  it('in another incident the same capture does not count; an override with a reason passes and is recorded', async () => {
    const other = 'INC-20261202-other';
    const e = await refusal(runStep(isolateStep, { target: instanceTarget(), reason: 'x', capture: 'false' }, ports(), ctx([], other)));
    expect(e.code).toBe('EVIDENCE_NOT_CAPTURED');
    const run = await runStep(isolateStep, { target: instanceTarget(), reason: 'x', capture: 'false' }, ports(), ctx([{ guard: 'EVIDENCE_NOT_CAPTURED', reason: 'disk imaged by the host team' }], other));
    expect(run.overridden).toEqual([{ guard: 'EVIDENCE_NOT_CAPTURED', reason: 'disk imaged by the host team' }]);
    expect(await groupsOf(fx.instanceId)).toEqual([fx.quarantineGroupId]);
    await runStep(releaseStep, { target: instanceTarget(), reason: 'done' }, ports(), ctx([], other));
    expect(await groupsOf(fx.instanceId)).toEqual([fx.appGroupId]);
  });

  it('release refuses when someone changed the groups since isolation, and changes nothing', async () => {
    await runStep(isolateStep, { target: instanceTarget(), reason: 'miner' }, ports(), ctx());
    await ports().compute.setInstanceGroups(fx.instanceId, [fx.appGroupId, fx.quarantineGroupId]);
    const e = await refusal(runStep(releaseStep, { target: instanceTarget(), reason: 'x' }, ports(), ctx()));
    expect(e.code).toBe('GROUPS_CHANGED');
    expect((await groupsOf(fx.instanceId)).sort()).toEqual([fx.appGroupId, fx.quarantineGroupId].sort());
    await ports().compute.setInstanceGroups(fx.instanceId, [fx.quarantineGroupId]);
    expect((await runStep(releaseStep, { target: instanceTarget(), reason: 'x' }, ports(), ctx())).result?.status).toBe('ok');
  });

  it('without the kit quarantine group, or without an incident, it is refused before any call changes anything', async () => {
    const noKit = buildIsolatePorts({ ...fx.env, [ENV.auditFile]: auditFile(), FIREBREAK_QUARANTINE_SG_ID: '' }, CONFIG, { sleep: async () => {} });
    expect((await refusal(runStep(isolateStep, { target: instanceTarget(), reason: 'x' }, noKit, ctx()))).code).toBe('KIT_MISSING');
    expect((await refusal(runStep(isolateStep, { target: instanceTarget(), reason: 'x' }, ports(), ctx([], null)))).code).toBe('INCIDENT_ID_MISSING');
    expect((await refusal(runStep(isolateStep, { target: 'aws:instance:i-0123456789abcdef0', reason: 'x' }, ports(), ctx()))).code).toBe('TARGET_NOT_FOUND');
    expect((await refusal(runStep(isolateStep, { target: instanceTarget(), reason: 'x', cidr: '203.0.113.9' }, ports(), ctx()))).code).toBe('INPUT_CONFLICT');
  });
});

describe('isolate an ECS task (moto)', () => {
  const taskTarget = () => `aws:ecs-task:${fx.cluster}/${fx.taskId}`;
  const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: fx.bucket, Prefix: `incidents/${INCIDENT}/isolate/ecs-task/` }))).Contents ?? []).map((o) => o.Key!.split('/').pop()).sort();
  const task = async () => (await fx.ecs.send(new DescribeTasksCommand({ cluster: fx.cluster, tasks: [fx.taskArn] }))).tasks![0]!;

  it('a failed evidence put skips the stop: the task keeps running (and its tags)', async () => {
    moto.faults.add({ method: 'PUT', path: new RegExp(`^/${fx.bucket}/incidents/`), times: Infinity, status: 503, body: '' });
    try {
      const e = await runStep(isolateStep, { target: taskTarget(), reason: 'crypto miner' }, ports(), ctx()).then(
        () => expect.unreachable('the capture failed'),
        (x: unknown) => x,
      );
      if (!(e instanceof PartialFailureError)) expect.unreachable(String(e));
      expect((e.result as { outcomes: Array<{ action: string; status: string }> }).outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['capture:failed', 'stop:skipped']);
    } finally {
      moto.faults.clear();
    }
    expect((await task()).desiredStatus).toBe('RUNNING');
  });

  it('captures metadata, tags and logs into the evidence bucket, then stops the task with the reason', async () => {
    const run = await runStep(isolateStep, { target: taskTarget(), reason: 'crypto miner' }, ports(), ctx());
    expect(run.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['capture:applied', 'stop:applied']);
    expect(await keys()).toEqual(['logs.json', 'tags.json', 'task.json']);
    const body = async (name: string) =>
      JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: fx.bucket, Key: `incidents/${INCIDENT}/isolate/ecs-task/${fx.cluster}/${fx.taskId}/${name}` }))).Body!.transformToString()) as Record<string, unknown>;
    expect((await body('tags.json')).tags).toEqual([{ key: 'team', value: 'payments' }, { key: 'commit', value: 'abc123' }]);
    expect(JSON.stringify((await body('logs.json')).streams)).toContain('spawned /tmp/.x/miner');
    expect(((await body('task.json')).describeTasks as { taskArn: string }).taskArn).toBe(fx.taskArn);
    const stopped = await task();
    expect(stopped.desiredStatus).toBe('STOPPED');
    expect(stopped.stoppedReason).toBe(`firebreak ${INCIDENT}: crypto miner`);
  });

  it('a stopped task is already isolated; release of a task is refused with what to do instead', async () => {
    const again = await runStep(isolateStep, { target: taskTarget(), reason: 'crypto miner' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect((await refusal(runStep(releaseStep, { target: taskTarget(), reason: 'x' }, ports(), ctx()))).code).toBe('RELEASE_NOT_POSSIBLE');
  });
});

describe('block below the edge (moto)', () => {
  const sg = () => `aws:security-group:${fx.appGroupId}`;
  const acl = () => `aws:network-acl:${fx.aclId}`;

  it('never blocks every address or a protected range (no override passes)', async () => {
    const all = await refusal(runStep(isolateStep, { target: sg(), reason: 'x', cidr: '0.0.0.0/0' }, ports(), ctx([{ guard: 'ALL_ADDRESSES', reason: 'try' }])));
    expect(all.code).toBe('ALL_ADDRESSES');
    expect((await refusal(runStep(isolateStep, { target: acl(), reason: 'x', cidr: '::/0' }, ports(), ctx()))).code).toBe('ALL_ADDRESSES');
    const office = await refusal(runStep(isolateStep, { target: acl(), reason: 'x', cidr: '192.0.2.128/25' }, ports(), ctx([{ guard: 'PROTECTED_RANGE', reason: 'try' }])));
    expect(office.code).toBe('PROTECTED_RANGE');
    expect(await inbound(fx.aclId)).toEqual(['100 allow 0.0.0.0/0', '200 allow 10.0.0.0/8']);
  });

  it('security group: revokes the rule allowing the range, release re-authorizes it with its description', async () => {
    const before = await ingress(fx.appGroupId);
    const run = await runStep(isolateStep, { target: sg(), reason: 'vendor key leaked', cidr: '203.0.113.0/24', protocol: 'tcp', ports: '22' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await ingress(fx.appGroupId)).toEqual(['tcp 443-443 10.0.0.0/8 internal https']);
    expect((await runStep(isolateStep, { target: sg(), reason: 'again', cidr: '203.0.113.0/24' }, ports(), ctx())).result?.status).toBe('noop');
    const back = await runStep(releaseStep, { target: sg(), reason: 'key rotated', cidr: '203.0.113.0/24' }, ports(), ctx());
    expect(back.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['authorize:applied']);
    expect(await ingress(fx.appGroupId)).toEqual(before);
    expect(Object.keys(await tagsOf(fx.appGroupId)).filter((k) => k.startsWith('firebreak:'))).toEqual([]);
    expect((await runStep(releaseStep, { target: sg(), reason: 'again', cidr: '203.0.113.0/24' }, ports(), ctx())).result?.status).toBe('noop');
  });

  it('network ACL: denies below the lowest allow, the next one below that; re-runs are no-ops; release removes exactly those', async () => {
    const one = await runStep(isolateStep, { target: acl(), reason: 'scanner', cidr: '198.51.100.0/24' }, ports(), ctx());
    expect(one.plan?.changes.map((c) => c.subject)).toEqual(['rule 99']);
    const two = await runStep(isolateStep, { target: acl(), reason: 'scanner', cidr: '2001:db8:66::/48' }, ports(), ctx());
    expect(two.plan?.changes.map((c) => c.subject)).toEqual(['rule 98']);
    expect((await runStep(isolateStep, { target: acl(), reason: 'scanner', cidr: '198.51.100.0/24' }, ports(), ctx())).result?.status).toBe('noop');
    expect(await inbound(fx.aclId)).toEqual(['100 allow 0.0.0.0/0', '200 allow 10.0.0.0/8', '98 deny undefined', '99 deny 198.51.100.0/24']);
    const back = await runStep(releaseStep, { target: acl(), reason: 'done', cidr: '198.51.100.0/24' }, ports(), ctx());
    expect(back.result?.outcomes.map((o) => `${o.subject}:${o.action}:${o.status}`)).toEqual(['rule 99:remove:applied']);
    expect(await inbound(fx.aclId)).toEqual(['100 allow 0.0.0.0/0', '200 allow 10.0.0.0/8', '98 deny undefined']);
    await runStep(releaseStep, { target: acl(), reason: 'done', cidr: '2001:db8:66::/48' }, ports(), ctx());
    expect(await inbound(fx.aclId)).toEqual(['100 allow 0.0.0.0/0', '200 allow 10.0.0.0/8']);
  });

  it('network ACL: refused when no number is free below the lowest allow', async () => {
    const e = await refusal(runStep(isolateStep, { target: `aws:network-acl:${fx.fullAclId}`, reason: 'x', cidr: '198.51.100.0/24' }, ports(), ctx()));
    expect(e.code).toBe('NACL_NO_RULE_NUMBER');
    expect(await inbound(fx.fullAclId)).toEqual(['1 allow 0.0.0.0/0']);
  });
});

describe('isolate an instance in an Auto Scaling group (moto)', () => {
  const asg = async () => new AutoScalingClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const membership = async (id: string) => {
    const c = await asg();
    try {
      return (await c.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [id] }))).AutoScalingInstances?.[0]?.AutoScalingGroupName;
    } finally {
      c.destroy();
    }
  };

  it('detaches it first (not replaced or served while quarantined), and release attaches it back', async () => {
    const target = `aws:instance:${fx.asgInstanceId}`;
    expect(await membership(fx.asgInstanceId)).toBe(fx.autoScalingGroup);
    const run = await runStep(isolateStep, { target, reason: 'web host compromised', capture: 'false' }, ports(), ctx([{ guard: 'EVIDENCE_NOT_CAPTURED', reason: 'moto instance without volumes' }]));
    expect(run.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['record-groups:applied', 'detach:applied', 'quarantine:applied']);
    expect(await membership(fx.asgInstanceId)).toBeUndefined();
    expect(await tagsOf(fx.asgInstanceId)).toMatchObject({ 'firebreak:auto-scaling-group': fx.autoScalingGroup });
    expect(await groupsOf(fx.asgInstanceId)).toEqual([fx.quarantineGroupId]);
    expect((await runStep(isolateStep, { target, reason: 'again', capture: 'false' }, ports(), ctx())).result?.status).toBe('noop');

    const back = await runStep(releaseStep, { target, reason: 'rebuilt' }, ports(), ctx());
    expect(back.result?.outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['restore:applied', 'reattach:applied', 'clear-record:applied']);
    expect(await membership(fx.asgInstanceId)).toBe(fx.autoScalingGroup);
    expect(await groupsOf(fx.asgInstanceId)).toEqual([fx.appGroupId]);
    expect(Object.keys(await tagsOf(fx.asgInstanceId)).filter((k) => k.startsWith('firebreak:'))).toEqual([]);
  });

  it('with detach off it stays in the group, and the plan says what that risks', async () => {
    const target = `aws:instance:${fx.asgInstanceId}`;
    const run = await runStep(isolateStep, { target, reason: 'x', capture: 'false', detach: 'false' }, ports(), ctx([{ guard: 'EVIDENCE_NOT_CAPTURED', reason: 'test' }]));
    expect(run.plan?.changes.map((c) => c.action)).toEqual(['record-groups', 'quarantine']);
    expect(run.plan?.warnings.some((w) => w.includes(`stays in Auto Scaling group ${fx.autoScalingGroup}`))).toBe(true);
    expect(await membership(fx.asgInstanceId)).toBe(fx.autoScalingGroup);
    await runStep(releaseStep, { target, reason: 'x' }, ports(), ctx());
    expect(await groupsOf(fx.asgInstanceId)).toEqual([fx.appGroupId]);
  });
});
