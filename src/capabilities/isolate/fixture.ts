import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateLaunchTemplateCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeImagesCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { AutoScalingClient, CreateAutoScalingGroupCommand, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CreateClusterCommand, ECSClient, RegisterContainerInstanceCommand, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { KIT_VARIABLES } from '../../core/names.js';
import type { MotoServer } from '../../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';

/**
 * What isolate acts on, made in moto through its direct endpoint (neither faulted nor counted): a
 * VPC with the kit's quarantine group, an app group with an SSH rule for a vendor range, an instance
 * with one EBS volume, a network ACL with allow rules at 100 and 200, an ECS cluster running a task
 * whose definition logs through awslogs (with events in its stream), and the evidence bucket.
 */
export interface ComputeFixture {
  env: Record<string, string>;
  vpcId: string;
  quarantineGroupId: string;
  appGroupId: string;
  instanceId: string;
  /** An Auto Scaling group of one instance (launched with the app group). */
  autoScalingGroup: string;
  asgInstanceId: string;
  aclId: string;
  /** An ACL whose first inbound rule is an allow at 1: no deny fits before it. */
  fullAclId: string;
  cluster: string;
  taskArn: string;
  taskId: string;
  bucket: string;
  ec2: EC2Client;
  ecs: ECSClient;
  destroy(): void;
}

export async function provisionComputeFixture(moto: MotoServer, opts: { suffix?: string; withQuarantine?: boolean } = {}): Promise<ComputeFixture> {
  const suffix = opts.suffix ?? Math.random().toString(36).slice(2, 8);
  const cfg = { region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const ec2 = new EC2Client(cfg);
  const ecs = new ECSClient(cfg);
  const logs = new CloudWatchLogsClient(cfg);
  const vpcId = (await ec2.send(new CreateVpcCommand({ CidrBlock: '10.20.0.0/16' }))).Vpc!.VpcId!;
  const subnetId = (await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.20.1.0/24' }))).Subnet!.SubnetId!;
  const quarantineGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `fb-quarantine-${suffix}`, Description: 'firebreak quarantine', VpcId: vpcId }))).GroupId!;
  const appGroupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: `app-${suffix}`, Description: 'app', VpcId: vpcId }))).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: appGroupId,
      IpPermissions: [
        { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'vendor ssh' }] },
        { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'internal https' }] },
      ],
    }),
  );
  const ami = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
  const instanceId = (
    await ec2.send(
      new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro', SubnetId: subnetId, SecurityGroupIds: [appGroupId], BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { VolumeSize: 8 } }] }),
    )
  ).Instances![0]!.InstanceId!;
  const autoscaling = new AutoScalingClient(cfg);
  const autoScalingGroup = `web-${suffix}`;
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `web-${suffix}`, LaunchTemplateData: { ImageId: ami, InstanceType: 't3.micro', SecurityGroupIds: [appGroupId] } }));
  await autoscaling.send(
    new CreateAutoScalingGroupCommand({ AutoScalingGroupName: autoScalingGroup, LaunchTemplate: { LaunchTemplateName: `web-${suffix}` }, MinSize: 1, MaxSize: 3, DesiredCapacity: 1, VPCZoneIdentifier: subnetId }),
  );
  const asgInstanceId = (await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [autoScalingGroup] }))).AutoScalingGroups![0]!.Instances![0]!.InstanceId!;
  autoscaling.destroy();
  const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
  for (const [n, cidr] of [[100, '0.0.0.0/0'], [200, '10.0.0.0/8']] as const) {
    await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: aclId, RuleNumber: n, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: cidr }));
  }
  const fullAclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!.NetworkAclId!;
  await ec2.send(new CreateNetworkAclEntryCommand({ NetworkAclId: fullAclId, RuleNumber: 1, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' }));

  // moto advances a task's lastStatus on every DescribeTasks (through DEACTIVATING to STOPPED) by
  // default; the state manager keeps it RUNNING until StopTask, as ECS does.
  await holdTaskStatus(moto);
  const cluster = `prod-${suffix}`;
  await ecs.send(new CreateClusterCommand({ clusterName: cluster }));
  // moto places tasks on registered container instances (it runs no Fargate tasks).
  await ecs.send(new RegisterContainerInstanceCommand({ cluster, instanceIdentityDocument: JSON.stringify({ instanceId, region: moto.region, accountId: '123456789012' }) }));
  const group = `/ecs/api-${suffix}`;
  await ecs.send(
    new RegisterTaskDefinitionCommand({
      family: `api-${suffix}`,
      containerDefinitions: [{ name: 'api', image: 'api:1', memory: 128, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-stream-prefix': 'ecs', 'awslogs-region': moto.region } } }],
    }),
  );
  const taskArn = (await ecs.send(new RunTaskCommand({ cluster, taskDefinition: `api-${suffix}`, count: 1, tags: [{ key: 'team', value: 'payments' }, { key: 'commit', value: 'abc123' }] }))).tasks![0]!.taskArn!;
  const taskId = taskArn.split('/').pop()!;
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: `ecs/api/${taskId}` }));
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: `ecs/api/${taskId}`,
      logEvents: [
        { timestamp: Date.parse('2026-12-02T03:00:00Z'), message: 'GET /admin 200 from 198.51.100.23' },
        { timestamp: Date.parse('2026-12-02T03:00:05Z'), message: 'spawned /tmp/.x/miner' },
      ],
    }),
  );
  logs.destroy();
  const bucket = await provisionEvidenceBucket(moto, `fb-evidence-isolate-${suffix}`);
  const env: Record<string, string> = {
    ...moto.env(),
    [KIT_VARIABLES.evidenceBucket]: bucket,
    [KIT_VARIABLES.evidencePrefix]: 'incidents/',
    ...(opts.withQuarantine === false ? {} : { [KIT_VARIABLES.quarantineSecurityGroupId]: quarantineGroupId }),
  };
  return {
    env,
    vpcId,
    quarantineGroupId,
    appGroupId,
    instanceId,
    autoScalingGroup,
    asgInstanceId,
    aclId,
    fullAclId,
    cluster,
    taskArn,
    taskId,
    bucket,
    ec2,
    ecs,
    destroy() {
      ec2.destroy();
      ecs.destroy();
    },
  };
}

/** moto's state manager (POST /moto-api/state-manager/set-transition): tasks stay as they are until told otherwise. */
export async function holdTaskStatus(moto: MotoServer): Promise<void> {
  const res = await fetch(`${moto.directEndpoint}/moto-api/state-manager/set-transition`, {
    method: 'POST',
    body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'manual', times: 1_000_000 } }),
  });
  if (!res.ok) throw new Error(`moto state manager refused: HTTP ${res.status}`);
}
