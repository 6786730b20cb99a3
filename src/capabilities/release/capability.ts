import { releaseInputs as inputs } from '../isolate/inputs.js';
import type { CapabilityDefinition } from '../types.js';

export const capability: CapabilityDefinition<typeof inputs> = {
  slug: 'release',
  title: 'Release an isolation',
  summary: "Undoes isolate exactly: an instance's recorded groups back, revoked ingress rules re-authorized, a network ACL deny removed",
  description:
    "Undoes what isolate recorded on the resource: restores an instance's original security groups (refused if someone changed them since), re-authorizes the ingress rules revoked for a source range with their descriptions, deletes the network ACL deny it added. A stopped ECS task cannot be released.",
  status: 'built',
  group: 'containment',
  inputs,
  incident: 'required',
  action: true,
  cli: 'generated',
  runtime: () => import('./runtime.js').then((m) => m.runtime),
  workflow: {
    mode: 'generated',
    aws: true,
    environment: 'pick',
    concurrency: 'firebreak-isolate-${{ inputs.environment }}-${{ inputs.target }}',
    timeoutMinutes: 15,
  },
  iam: [
    'autoscaling:AttachInstances',
    'autoscaling:DescribeAutoScalingInstances',
    'ec2:AuthorizeSecurityGroupIngress',
    'ec2:DeleteNetworkAclEntry',
    'ec2:DeleteTags',
    'ec2:DescribeInstances',
    'ec2:DescribeNetworkAcls',
    'ec2:DescribeSecurityGroupRules',
    'ec2:DescribeSecurityGroups',
    'ec2:ModifyInstanceAttribute',
  ],
  kitVariables: ['awsRegion', 'quarantineSecurityGroupId'],
  drill: 'isolate',
};
