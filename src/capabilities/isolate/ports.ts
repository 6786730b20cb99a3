import type { AuditTrailReader } from '../../core/ports/audit-trail.js';
import type { NaclEntry } from '../../core/compute/network-acl.js';

/**
 * What isolate and release need from the provider. Shaped on AWS, where the suspect's state the
 * steps must restore lives on the resource itself (tags), so a re-run or a release from another
 * machine finds it without a database: `firebreak:original-groups` on an instance,
 * `firebreak:revoked:<rule>` on a security group, `firebreak:deny:<number>` on a network ACL.
 */

/** Tag keys the steps write; all start with `firebreak:` (the responder role may write only those). */
export const TAG = {
  isolated: 'firebreak:isolated',
  originalGroups: 'firebreak:original-groups',
  /** The Auto Scaling group isolate detached the instance from (release attaches it back). */
  autoScalingGroup: 'firebreak:auto-scaling-group',
  incident: 'firebreak:incident',
  instance: 'firebreak:instance',
  volume: 'firebreak:volume',
  revokedPrefix: 'firebreak:revoked:',
  revokedDescPrefix: 'firebreak:revoked-desc:',
  denyPrefix: 'firebreak:deny:',
} as const;

export interface InstanceInfo {
  id: string;
  state: string;
  vpcId: string | undefined;
  /** Network interfaces attached; ModifyInstanceAttribute changes the groups of an instance with one. */
  interfaceCount: number;
  /** The instance's security groups (those of its primary interface). */
  groups: string[];
  volumes: string[];
  tags: Record<string, string>;
}

export interface SnapshotInfo {
  id: string;
  volumeId: string;
  state: string;
}

export interface TaskInfo {
  arn: string;
  cluster: string;
  lastStatus: string;
  taskDefinitionArn: string;
  /** The DescribeTasks answer for the task, as AWS gave it: what the evidence file keeps. */
  raw: unknown;
}

export interface LogStreamRef {
  container: string;
  group: string;
  stream: string;
}

export interface IngressRule {
  ruleId: string;
  protocol: string;
  fromPort: number | undefined;
  toPort: number | undefined;
  cidr: string;
  description: string | undefined;
}

export interface ComputeApi {
  describeInstance(id: string): Promise<InstanceInfo | undefined>;
  describeGroupVpc(groupId: string): Promise<string | undefined>;
  /** Snapshots of `volumeId` tagged with this incident and instance (a re-run reuses them). */
  incidentSnapshots(incidentId: string, instanceId: string): Promise<SnapshotInfo[]>;
  createSnapshot(volumeId: string, description: string, tags: Record<string, string>): Promise<string>;
  setInstanceGroups(instanceId: string, groups: string[]): Promise<void>;
  tagResource(resourceId: string, tags: Record<string, string>): Promise<void>;
  /** The Auto Scaling group the instance is in, with its lifecycle state; undefined when none. */
  autoScalingGroupOf(instanceId: string): Promise<{ group: string; lifecycle: string } | undefined>;
  /** DetachInstances with ShouldDecrementDesiredCapacity false: the group launches a replacement. */
  detachFromGroup(instanceId: string, group: string): Promise<void>;
  attachToGroup(instanceId: string, group: string): Promise<void>;
  untagResource(resourceId: string, keys: string[]): Promise<void>;

  describeTask(cluster: string, task: string): Promise<TaskInfo | undefined>;
  taskTags(taskArn: string): Promise<Array<{ key: string; value: string }>>;
  /** awslogs streams of the task's containers, from its task definition (empty when none is configured). */
  taskLogStreams(task: TaskInfo): Promise<LogStreamRef[]>;
  /** The stream's most recent events, oldest first. */
  logEvents(ref: LogStreamRef, limit: number): Promise<Array<{ timestamp: number; message: string }>>;
  stopTask(cluster: string, taskArn: string, reason: string): Promise<void>;

  groupTags(groupId: string): Promise<Record<string, string> | undefined>;
  ingressRules(groupId: string): Promise<IngressRule[]>;
  revokeIngress(groupId: string, ruleIds: string[]): Promise<void>;
  authorizeIngress(groupId: string, rule: Omit<IngressRule, 'ruleId'>): Promise<void>;

  describeAcl(aclId: string): Promise<{ entries: NaclEntry[]; tags: Record<string, string> } | undefined>;
  addAclDeny(aclId: string, entry: Omit<NaclEntry, 'egress' | 'action'>): Promise<void>;
  deleteAclEntry(aclId: string, ruleNumber: number): Promise<void>;
}

/** The kit's evidence bucket, written once per key. */
export interface EvidenceWriter {
  /** `s3://bucket/` for messages. */
  readonly location: string;
  /** Writes `body` under `key` unless the key exists; `exists` when an earlier run wrote it. */
  putOnce(key: string, body: string): Promise<'written' | 'exists'>;
  /** The key prefix the responder role may write (FIREBREAK_EVIDENCE_PREFIX). */
  readonly prefix: string;
}

export interface IsolatePorts {
  compute: ComputeApi;
  /** Undefined when the kit has no evidence bucket: a task cannot be captured then. */
  evidence: EvidenceWriter | undefined;
  trail: AuditTrailReader;
  /** The kit's quarantine security group (FIREBREAK_QUARANTINE_SG_ID), when provisioned. */
  quarantineGroupId: string | undefined;
  /** Protected ranges from firebreak.yml: never blocked. */
  protectedRanges: ReadonlyArray<{ cidr: string; label: string }>;
}
