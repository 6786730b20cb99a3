import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclEntryCommand,
  CreateSnapshotCommand,
  CreateTagsCommand,
  DeleteNetworkAclEntryCommand,
  DeleteTagsCommand,
  DescribeInstancesCommand,
  DescribeNetworkAclsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSnapshotsCommand,
  ModifyInstanceAttributeCommand,
  RevokeSecurityGroupIngressCommand,
  type EC2Client,
  type IpPermission,
} from '@aws-sdk/client-ec2';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTagsForResourceCommand, StopTaskCommand, type ECSClient } from '@aws-sdk/client-ecs';
import { AttachInstancesCommand, DescribeAutoScalingInstancesCommand, DetachInstancesCommand, type AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { GetLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { NaclEntry } from '../../core/compute/network-acl.js';
import { awsCall, awsErrorName, type AwsCallOptions } from '../../providers/aws/aws-provider-call.js';
import type { ComputeApi, IngressRule, InstanceInfo, LogStreamRef, SnapshotInfo, TaskInfo } from './ports.js';
import { TAG } from './ports.js';

export interface AwsComputeOptions extends AwsCallOptions {
  ec2: EC2Client;
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  autoscaling: AutoScalingClient;
}

/** Protocol names the steps use; AWS writes -1 (SG) or numbers (NACL). */
export function protocolName(p: string | undefined): string {
  if (p === undefined || p === '-1' || p === 'all') return 'all';
  if (p === '6') return 'tcp';
  if (p === '17') return 'udp';
  if (p === '1') return 'icmp';
  return p.toLowerCase();
}

const NACL_PROTOCOL: Record<string, string> = { all: '-1', tcp: '6', udp: '17', icmp: '1' };

const tagsOf = (tags: Array<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? '']));

const NOT_FOUND = /NotFound|Malformed/;

/** EC2, ECS and CloudWatch Logs over the AWS SDK v3: calls, paging and retries; no decisions. */
export class AwsCompute implements ComputeApi {
  constructor(private readonly o: AwsComputeOptions) {}

  async describeInstance(id: string): Promise<InstanceInfo | undefined> {
    let out;
    try {
      out = await awsCall(this.o, 'ec2', 'DescribeInstances', `instance ${id}`, () => this.o.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })));
    } catch (error) {
      if (NOT_FOUND.test(awsErrorName(error) ?? '')) return undefined;
      throw error;
    }
    const i = out.Reservations?.flatMap((r) => r.Instances ?? []).find((x) => x.InstanceId === id);
    if (!i) return undefined;
    return {
      id,
      state: i.State?.Name ?? '',
      vpcId: i.VpcId,
      interfaceCount: (i.NetworkInterfaces ?? []).length,
      groups: (i.SecurityGroups ?? []).map((g) => g.GroupId ?? ''),
      volumes: (i.BlockDeviceMappings ?? []).map((b) => b.Ebs?.VolumeId).filter((v): v is string => typeof v === 'string'),
      tags: tagsOf(i.Tags),
    };
  }

  async describeGroupVpc(groupId: string): Promise<string | undefined> {
    return (await this.describeGroup(groupId))?.VpcId;
  }

  async groupTags(groupId: string): Promise<Record<string, string> | undefined> {
    const g = await this.describeGroup(groupId);
    return g ? tagsOf(g.Tags) : undefined;
  }

  private async describeGroup(groupId: string) {
    try {
      const out = await awsCall(this.o, 'ec2', 'DescribeSecurityGroups', `security group ${groupId}`, () => this.o.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })));
      return out.SecurityGroups?.find((g) => g.GroupId === groupId);
    } catch (error) {
      if (NOT_FOUND.test(awsErrorName(error) ?? '')) return undefined;
      throw error;
    }
  }

  async incidentSnapshots(incidentId: string, instanceId: string): Promise<SnapshotInfo[]> {
    const found: SnapshotInfo[] = [];
    let token: string | undefined;
    do {
      const next = token;
      const out = await awsCall(this.o, 'ec2', 'DescribeSnapshots', `snapshots of ${instanceId}`, () =>
        this.o.ec2.send(
          new DescribeSnapshotsCommand({
            OwnerIds: ['self'],
            Filters: [
              { Name: `tag:${TAG.incident}`, Values: [incidentId] },
              { Name: `tag:${TAG.instance}`, Values: [instanceId] },
            ],
            ...(next ? { NextToken: next } : {}),
          }),
        ),
      );
      for (const s of out.Snapshots ?? []) found.push({ id: s.SnapshotId ?? '', volumeId: s.VolumeId ?? '', state: s.State ?? '' });
      token = out.NextToken;
    } while (token);
    return found;
  }

  async createSnapshot(volumeId: string, description: string, tags: Record<string, string>): Promise<string> {
    // Not retried after an ambiguous failure: a second call makes a second snapshot. A re-run finds
    // the first by its tags instead.
    const out = await awsCall(
      this.o,
      'ec2',
      'CreateSnapshot',
      `volume ${volumeId}`,
      () =>
        this.o.ec2.send(
          new CreateSnapshotCommand({
            VolumeId: volumeId,
            Description: description,
            TagSpecifications: [{ ResourceType: 'snapshot', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
          }),
        ),
      false,
    );
    return out.SnapshotId ?? '';
  }

  async setInstanceGroups(instanceId: string, groups: string[]): Promise<void> {
    await awsCall(this.o, 'ec2', 'ModifyInstanceAttribute', `instance ${instanceId}`, () => this.o.ec2.send(new ModifyInstanceAttributeCommand({ InstanceId: instanceId, Groups: groups })));
  }

  async tagResource(resourceId: string, tags: Record<string, string>): Promise<void> {
    await awsCall(this.o, 'ec2', 'CreateTags', resourceId, () => this.o.ec2.send(new CreateTagsCommand({ Resources: [resourceId], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })));
  }

  async untagResource(resourceId: string, keys: string[]): Promise<void> {
    if (keys.length === 0) return;
    await awsCall(this.o, 'ec2', 'DeleteTags', resourceId, () => this.o.ec2.send(new DeleteTagsCommand({ Resources: [resourceId], Tags: keys.map((Key) => ({ Key })) })));
  }

  async autoScalingGroupOf(instanceId: string): Promise<{ group: string; lifecycle: string } | undefined> {
    const out = await awsCall(this.o, 'autoscaling', 'DescribeAutoScalingInstances', `instance ${instanceId}`, () =>
      this.o.autoscaling.send(new DescribeAutoScalingInstancesCommand({ InstanceIds: [instanceId] })),
    );
    const found = out.AutoScalingInstances?.find((i) => i.InstanceId === instanceId);
    return found?.AutoScalingGroupName ? { group: found.AutoScalingGroupName, lifecycle: found.LifecycleState ?? '' } : undefined;
  }

  async detachFromGroup(instanceId: string, group: string): Promise<void> {
    await awsCall(this.o, 'autoscaling', 'DetachInstances', `instance ${instanceId} from ${group}`, () =>
      this.o.autoscaling.send(new DetachInstancesCommand({ AutoScalingGroupName: group, InstanceIds: [instanceId], ShouldDecrementDesiredCapacity: false })),
    );
  }

  async attachToGroup(instanceId: string, group: string): Promise<void> {
    await awsCall(this.o, 'autoscaling', 'AttachInstances', `instance ${instanceId} to ${group}`, () =>
      this.o.autoscaling.send(new AttachInstancesCommand({ AutoScalingGroupName: group, InstanceIds: [instanceId] })),
    );
  }

  async describeTask(cluster: string, task: string): Promise<TaskInfo | undefined> {
    const out = await awsCall(this.o, 'ecs', 'DescribeTasks', `task ${task} in cluster ${cluster}`, () => this.o.ecs.send(new DescribeTasksCommand({ cluster, tasks: [task], include: ['TAGS'] })));
    const t = out.tasks?.[0];
    if (!t?.taskArn) return undefined;
    return { arn: t.taskArn, cluster, lastStatus: t.lastStatus ?? '', taskDefinitionArn: t.taskDefinitionArn ?? '', raw: t };
  }

  async taskTags(taskArn: string): Promise<Array<{ key: string; value: string }>> {
    const out = await awsCall(this.o, 'ecs', 'ListTagsForResource', taskArn, () => this.o.ecs.send(new ListTagsForResourceCommand({ resourceArn: taskArn })));
    return (out.tags ?? []).map((t) => ({ key: t.key ?? '', value: t.value ?? '' }));
  }

  async taskLogStreams(task: TaskInfo): Promise<LogStreamRef[]> {
    if (!task.taskDefinitionArn) return [];
    const out = await awsCall(this.o, 'ecs', 'DescribeTaskDefinition', task.taskDefinitionArn, () => this.o.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: task.taskDefinitionArn })));
    const taskId = task.arn.split('/').pop() ?? '';
    const refs: LogStreamRef[] = [];
    for (const c of out.taskDefinition?.containerDefinitions ?? []) {
      const lc = c.logConfiguration;
      const group = lc?.options?.['awslogs-group'];
      const prefix = lc?.options?.['awslogs-stream-prefix'];
      // awslogs names a task's stream prefix/container/task-id; without a prefix it has no stable name.
      if (lc?.logDriver !== 'awslogs' || !group || !prefix || !c.name) continue;
      refs.push({ container: c.name, group, stream: `${prefix}/${c.name}/${taskId}` });
    }
    return refs;
  }

  async logEvents(ref: LogStreamRef, limit: number): Promise<Array<{ timestamp: number; message: string }>> {
    try {
      const out = await awsCall(this.o, 'logs', 'GetLogEvents', `log stream ${ref.group}/${ref.stream}`, () =>
        this.o.logs.send(new GetLogEventsCommand({ logGroupName: ref.group, logStreamName: ref.stream, limit, startFromHead: false })),
      );
      return (out.events ?? []).map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? '' }));
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') return [];
      throw error;
    }
  }

  async stopTask(cluster: string, taskArn: string, reason: string): Promise<void> {
    await awsCall(this.o, 'ecs', 'StopTask', `task ${taskArn}`, () => this.o.ecs.send(new StopTaskCommand({ cluster, task: taskArn, reason })));
  }

  async ingressRules(groupId: string): Promise<IngressRule[]> {
    const rules: IngressRule[] = [];
    let token: string | undefined;
    do {
      const next = token;
      const out = await awsCall(this.o, 'ec2', 'DescribeSecurityGroupRules', `security group ${groupId}`, () =>
        this.o.ec2.send(new DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [groupId] }], ...(next ? { NextToken: next } : {}) })),
      );
      for (const r of out.SecurityGroupRules ?? []) {
        const cidr = r.CidrIpv4 ?? r.CidrIpv6;
        if (r.IsEgress || !cidr) continue;
        const protocol = protocolName(r.IpProtocol);
        rules.push({
          ruleId: r.SecurityGroupRuleId ?? '',
          protocol,
          fromPort: protocol === 'all' || r.FromPort === -1 ? undefined : r.FromPort,
          toPort: protocol === 'all' || r.ToPort === -1 ? undefined : r.ToPort,
          cidr,
          description: r.Description || undefined,
        });
      }
      token = out.NextToken;
    } while (token);
    return rules;
  }

  async revokeIngress(groupId: string, ruleIds: string[]): Promise<void> {
    // By the rules' full specification (not SecurityGroupRuleIds): exact, and understood everywhere.
    const current = (await this.ingressRules(groupId)).filter((r) => ruleIds.includes(r.ruleId));
    if (current.length === 0) return;
    await awsCall(this.o, 'ec2', 'RevokeSecurityGroupIngress', `security group ${groupId}`, () =>
      this.o.ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: current.map((r) => permission(r)) })),
    );
  }

  async authorizeIngress(groupId: string, rule: Omit<IngressRule, 'ruleId'>): Promise<void> {
    await awsCall(this.o, 'ec2', 'AuthorizeSecurityGroupIngress', `security group ${groupId}`, () =>
      this.o.ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission(rule)] })),
    );
  }

  async describeAcl(aclId: string): Promise<{ entries: NaclEntry[]; tags: Record<string, string> } | undefined> {
    let out;
    try {
      out = await awsCall(this.o, 'ec2', 'DescribeNetworkAcls', `network ACL ${aclId}`, () => this.o.ec2.send(new DescribeNetworkAclsCommand({ NetworkAclIds: [aclId] })));
    } catch (error) {
      if (NOT_FOUND.test(awsErrorName(error) ?? '')) return undefined;
      throw error;
    }
    const acl = out.NetworkAcls?.find((a) => a.NetworkAclId === aclId);
    if (!acl) return undefined;
    const entries: NaclEntry[] = (acl.Entries ?? []).map((e) => ({
      ruleNumber: e.RuleNumber ?? 0,
      egress: e.Egress ?? false,
      action: e.RuleAction === 'deny' ? 'deny' : 'allow',
      protocol: protocolName(e.Protocol),
      cidr: e.CidrBlock ?? e.Ipv6CidrBlock,
      fromPort: e.PortRange?.From,
      toPort: e.PortRange?.To,
    }));
    return { entries, tags: tagsOf(acl.Tags) };
  }

  async addAclDeny(aclId: string, entry: Omit<NaclEntry, 'egress' | 'action'>): Promise<void> {
    const v6 = entry.cidr?.includes(':');
    await awsCall(this.o, 'ec2', 'CreateNetworkAclEntry', `network ACL ${aclId} rule ${entry.ruleNumber}`, () =>
      this.o.ec2.send(
        new CreateNetworkAclEntryCommand({
          NetworkAclId: aclId,
          RuleNumber: entry.ruleNumber,
          Egress: false,
          RuleAction: 'deny',
          Protocol: NACL_PROTOCOL[entry.protocol] ?? entry.protocol,
          ...(v6 ? { Ipv6CidrBlock: entry.cidr } : { CidrBlock: entry.cidr }),
          ...(entry.fromPort !== undefined ? { PortRange: { From: entry.fromPort, To: entry.toPort ?? entry.fromPort } } : {}),
        }),
      ),
    );
  }

  async deleteAclEntry(aclId: string, ruleNumber: number): Promise<void> {
    await awsCall(this.o, 'ec2', 'DeleteNetworkAclEntry', `network ACL ${aclId} rule ${ruleNumber}`, () =>
      this.o.ec2.send(new DeleteNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: ruleNumber, Egress: false })),
    );
  }
}

function permission(r: Omit<IngressRule, 'ruleId'>): IpPermission {
  const v6 = r.cidr.includes(':');
  const desc = r.description ? { Description: r.description } : {};
  return {
    IpProtocol: r.protocol === 'all' ? '-1' : r.protocol,
    ...(r.protocol === 'all' ? {} : { FromPort: r.fromPort ?? -1, ToPort: r.toPort ?? -1 }),
    ...(v6 ? { Ipv6Ranges: [{ CidrIpv6: r.cidr, ...desc }] } : { IpRanges: [{ CidrIp: r.cidr, ...desc }] }),
  };
}
