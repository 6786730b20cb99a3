import { DescribeInstancesCommand, DescribeSnapshotsCommand } from '@aws-sdk/client-ec2';
import { DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { FirebreakError } from '../../core/errors.js';
import { parseConfig } from '../../core/config/parse.js';
import { runStep } from '../../core/step.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { ENV } from '../../runtime/env.js';
import { buildIsolatePorts } from './build-ports.js';
import { provisionComputeFixture } from './fixture.js';
import { isolateStep, releaseStep } from './step.js';

/**
 * Seeds 002/003: a compromised instance and a compromised task are taken out of service with their
 * evidence kept first, then released; seed 003's "block traffic: security groups" below the edge.
 */
export const isolateScenario: DrillScenario = {
  name: 'isolate',
  description: 'quarantine an instance (snapshot first) and release it, stop a task (evidence first), deny a scanner at the network ACL and release it (moto)',
  needs: ['aws'],

  async run(env) {
    const out: Expectation[] = [];
    const fx = await provisionComputeFixture(env.aws!, { suffix: 'drill' });
    const config = parseConfig('version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: office egress\n');
    const ports = () => buildIsolatePorts({ ...env.env, ...fx.env, [ENV.auditFile]: env.auditFile }, config, { sleep: env.sleep, callAttempts: 2, timeoutMs: 5_000 });
    const groups = async () => (await fx.ec2.send(new DescribeInstancesCommand({ InstanceIds: [fx.instanceId] }))).Reservations![0]!.Instances![0]!.SecurityGroups!.map((g) => g.GroupId);
    const instance = `aws:instance:${fx.instanceId}`;
    try {
      const refused = await runStep(isolateStep, { target: instance, reason: 'drill: miner', capture: 'false' }, ports(), env.context()).catch((e: unknown) => e);
      out.push(checkEqual('capture off, nothing on record: refused', refused instanceof FirebreakError ? refused.code : String(refused), 'EVIDENCE_NOT_CAPTURED'));

      const isolated = await runStep(isolateStep, { target: instance, reason: 'drill: miner' }, ports(), env.context());
      out.push(checkEqual('instance: snapshot, record, quarantine', isolated.result?.outcomes.map((o) => `${o.action}:${o.status}`), ['snapshot:applied', 'record-groups:applied', 'quarantine:applied']));
      out.push(checkEqual('instance: only the quarantine group', await groups(), [fx.quarantineGroupId]));
      const snaps = (await fx.ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: [{ Name: 'tag:firebreak:instance', Values: [fx.instanceId] }] }))).Snapshots ?? [];
      out.push(checkEqual('instance: one snapshot tagged with the incident', snaps.map((s) => s.Tags?.find((t) => t.Key === 'firebreak:incident')?.Value), ['drill']));
      out.push(checkEqual('instance: a re-run is a no-op', (await runStep(isolateStep, { target: instance, reason: 'drill: miner' }, ports(), env.context())).result?.status, 'noop'));
      const released = await runStep(releaseStep, { target: instance, reason: 'drill: reimaged' }, ports(), env.context());
      out.push(checkEqual('instance: release applied', released.result?.status, 'ok'));
      out.push(checkEqual('instance: original groups back', await groups(), [fx.appGroupId]));

      const task = await runStep(isolateStep, { target: `aws:ecs-task:${fx.cluster}/${fx.taskId}`, reason: 'drill: miner in task' }, ports(), env.context());
      out.push(checkEqual('task: capture, then stop', task.result?.outcomes.map((o) => `${o.action}:${o.status}`), ['capture:applied', 'stop:applied']));
      out.push(check('task: evidence files written', /task\.json \(written\).*tags\.json \(written\).*logs\.json \(written\)/.test(task.result?.outcomes[0]?.reason ?? ''), task.result?.outcomes[0]?.reason));
      const stopped = (await fx.ecs.send(new DescribeTasksCommand({ cluster: fx.cluster, tasks: [fx.taskArn] }))).tasks![0]!;
      out.push(checkEqual('task: stopped with the reason', [stopped.desiredStatus, stopped.stoppedReason], ['STOPPED', 'firebreak drill: drill: miner in task']));

      const acl = `aws:network-acl:${fx.aclId}`;
      const deny = await runStep(isolateStep, { target: acl, reason: 'drill: scanner', cidr: '198.51.100.0/24' }, ports(), env.context());
      out.push(checkEqual('network ACL: deny before the lowest allow', deny.plan?.changes.map((c) => c.subject), ['rule 99']));
      const office = await runStep(isolateStep, { target: acl, reason: 'drill', cidr: '192.0.2.0/25' }, ports(), env.context()).catch((e: unknown) => e);
      out.push(checkEqual('network ACL: a protected range is refused', office instanceof FirebreakError ? office.code : String(office), 'PROTECTED_RANGE'));
      out.push(checkEqual('network ACL: release removes the deny', (await runStep(releaseStep, { target: acl, reason: 'drill: done', cidr: '198.51.100.0/24' }, ports(), env.context())).result?.status, 'ok'));
    } finally {
      fx.destroy();
    }
    return out;
  },
};
