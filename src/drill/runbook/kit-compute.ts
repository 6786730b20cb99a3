import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { AuthorizeSecurityGroupIngressCommand, CreateNetworkAclCommand, CreateNetworkAclEntryCommand, CreateSecurityGroupCommand, CreateSubnetCommand, CreateVpcCommand, DescribeImagesCommand, DescribeInstancesCommand, DescribeSecurityGroupsCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, CreateServiceCommand, DescribeClustersCommand, DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterContainerInstanceCommand, RegisterTaskDefinitionCommand, RunTaskCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { holdTaskStatus } from '../../capabilities/isolate/fixture.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { direct } from './kit-evidence.js';
import { ensureAwsKit } from './kit.js';
import type { RunbookWorld } from './world.js';

/**
 * Compute a runbook names that moto cannot create under that name (it mints `i-…` and task ids):
 * made once per drill, aliased to what the runbook writes. The kit's quarantine security group
 * lives in the same VPC, and its id goes into the environment as the kit would write it.
 */

export interface DrillInstance {
  id: string;
  /** The groups it was launched with (what release must put back). */
  groups: string[];
  quarantineGroupId: string;
}

const instances = new WeakMap<RunbookWorld, Map<string, Promise<DrillInstance>>>();

async function network(world: RunbookWorld): Promise<{ subnetId: string; appGroupId: string; quarantineGroupId: string }> {
  const { moto } = await ensureAwsKit(world);
  return world.once('compute:network', async () => {
    const ec2 = new EC2Client(direct(moto));
    try {
      const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.40.0.0/16' }))).Vpc!.VpcId!;
      const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.40.1.0/24' }))).Subnet!.SubnetId!;
      const quarantineGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'firebreak-quarantine', Description: 'firebreak quarantine (no rules)', VpcId: vpcId }))).GroupId!;
      const appGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app hosts', VpcId: vpcId }))).GroupId!;
      world.env[KIT_VARIABLES.quarantineSecurityGroupId] = quarantineGroupId;
      return { subnetId, appGroupId, quarantineGroupId };
    } finally {
      ec2.destroy();
    }
  });
}

/**
 * The instance a runbook writes as `id` (`i-0123456789abcdef0`): a real moto instance with one
 * volume and the app group, aliased. Called again with the real id (later steps' inputs are
 * rewritten) it returns the same instance.
 */
export function ensureInstance(world: RunbookWorld, id: string): Promise<DrillInstance> {
  const known = instances.get(world) ?? new Map<string, Promise<DrillInstance>>();
  instances.set(world, known);
  const found = known.get(id);
  if (found) return found;
  const made = (async () => {
    const { moto } = await ensureAwsKit(world);
    const net = await network(world);
    const ec2 = new EC2Client(direct(moto));
    try {
      const existing = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] })).then((r) => r.Reservations?.[0]?.Instances?.[0], () => undefined);
      if (existing) return { id, groups: (existing.SecurityGroups ?? []).map((g) => g.GroupId!), quarantineGroupId: net.quarantineGroupId };
      const ami = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
      const real = (
        await ec2.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: net.subnetId, SecurityGroupIds: [net.appGroupId], BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8 } }] }))
      ).Instances![0]!.InstanceId!;
      if (id.startsWith('i-')) world.alias(id, real);
      return { id: real, groups: [net.appGroupId], quarantineGroupId: net.quarantineGroupId };
    } finally {
      ec2.destroy();
    }
  })();
  known.set(id, made);
  void made.then((i) => known.set(i.id, made), () => known.delete(id));
  return made;
}

/** A running task of `cluster` (created if missing), logging through awslogs, aliased from `cluster/written`. */
export async function ensureEcsTask(world: RunbookWorld, cluster: string, written: string): Promise<{ taskArn: string; taskId: string }> {
  const { moto } = await ensureAwsKit(world);
  return world.once(`compute:ecs-task:${cluster}/${written}`, async () => {
    const ecs = new ECSClient(direct(moto));
    const logs = new CloudWatchLogsClient(direct(moto));
    try {
      await ensureCluster(ecs, cluster);
      // moto advances a task towards STOPPED on every DescribeTasks unless told to hold it, as ECS would.
      await holdTaskStatus(moto);
      const host = await ensureInstance(world, `ecs-host-${cluster}`);
      await ecs.send(new RegisterContainerInstanceCommand({ cluster, instanceIdentityDocument: JSON.stringify({ instanceId: host.id, region: moto.region, accountId: '123456789012' }) }));
      const group = `/ecs/${cluster}-worker`;
      await ecs.send(
        new RegisterTaskDefinitionCommand({
          family: `${cluster}-worker`,
          containerDefinitions: [{ name: 'worker', image: 'worker:1', memory: 128, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-stream-prefix': 'ecs', 'awslogs-region': moto.region } } }],
        }),
      );
      const taskArn = (await ecs.send(new RunTaskCommand({ cluster, taskDefinition: `${cluster}-worker`, count: 1 }))).tasks![0]!.taskArn!;
      const taskId = taskArn.split('/').pop()!;
      await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: `ecs/worker/${taskId}` }));
      const now = Date.now();
      await logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: `ecs/worker/${taskId}`, logEvents: [{ timestamp: now - 60_000, message: 'GET /export/patients.csv 200 to 203.0.113.9' }] }));
      world.alias(`${cluster}/${written}`, `${cluster}/${taskId}`);
      return { taskArn, taskId };
    } finally {
      ecs.destroy();
      logs.destroy();
    }
  });
}

async function ensureCluster(ecs: ECSClient, cluster: string): Promise<void> {
  const found = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
  if (!found.clusters?.some((c) => c.clusterName === cluster && c.status === 'ACTIVE')) await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
}

/**
 * A bad deploy of `cluster/service`, once per drill: the service (created with a good revision when
 * missing, as another fixture may already have made it) is moved to a new revision of its family.
 * Returns the revision it ran before: what rollback must bring back.
 * TODO(lead): use ensureEcsService from kit-ecs.ts (wip/r3) for the creation once it lands.
 */
export async function ensureBadEcsDeploy(world: RunbookWorld, cluster: string, service: string): Promise<{ good: string; bad: string }> {
  const { moto } = await ensureAwsKit(world);
  return world.once(`compute:ecs-bad-deploy:${cluster}/${service}`, async () => {
    const ecs = new ECSClient(direct(moto));
    try {
      await ensureCluster(ecs, cluster);
      let current = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.find((s) => s.status === 'ACTIVE')?.taskDefinition;
      if (!current) {
        current = (await ecs.send(new RegisterTaskDefinitionCommand({ family: service, containerDefinitions: [{ name: service, image: `${service}:good`, memory: 128 }] }))).taskDefinition!.taskDefinitionArn!;
        await ecs.send(new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: current, desiredCount: 1 }));
      }
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: current }))).taskDefinition!;
      const bad = (await ecs.send(new RegisterTaskDefinitionCommand({ family: td.family!, containerDefinitions: (td.containerDefinitions ?? []).map((c) => ({ ...c, image: `${(c.image ?? service).split(':')[0]}:bad` })) }))).taskDefinition!.taskDefinitionArn!;
      const desiredCount = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.[0]?.desiredCount || 1;
      // moto schedules no tasks for a new service; giving the count with the update makes them "running".
      await ecs.send(new UpdateServiceCommand({ cluster, service, taskDefinition: bad, desiredCount }));
      return { good: current, bad };
    } finally {
      ecs.destroy();
    }
  });
}

/**
 * A network ACL the runbook writes as `written` (`acl-0123456789abcdef0`): a real one in the drill's
 * VPC with the allow rules a subnet's ACL has (100: everything, 200: the internal range), aliased.
 */
export async function ensureNetworkAcl(world: RunbookWorld, written: string): Promise<string> {
  const { moto } = await ensureAwsKit(world);
  return world.once(`compute:network-acl:${written}`, async () => {
    const net = await network(world);
    const ec2 = new EC2Client(direct(moto));
    try {
      const vpcId = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [net.appGroupId] }))).SecurityGroups![0]!.VpcId!;
      const id = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
      for (const [n, cidr] of [[100, '0.0.0.0/0'], [200, '10.0.0.0/8']] as const) {
        await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: n, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: cidr }));
      }
      world.alias(written, id);
      return id;
    } finally {
      ec2.destroy();
    }
  });
}

/**
 * A security group the runbook writes as `written` (`sg-0123456789abcdef0`): a real one in the
 * drill's VPC letting a vendor's range in on SSH and the internal range on HTTPS, aliased.
 */
export async function ensureSecurityGroup(world: RunbookWorld, written: string): Promise<string> {
  const { moto } = await ensureAwsKit(world);
  return world.once(`compute:security-group:${written}`, async () => {
    const net = await network(world);
    const ec2 = new EC2Client(direct(moto));
    try {
      const vpcId = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [net.appGroupId] }))).SecurityGroups![0]!.VpcId!;
      const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `bastion-${written}`, Description: 'bastion hosts', VpcId: vpcId }))).GroupId!;
      await ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: id,
          IpPermissions: [
            { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'vendor ssh' }] },
            { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'internal https' }] },
          ],
        }),
      );
      world.alias(written, id);
      return id;
    } finally {
      ec2.destroy();
    }
  });
}
