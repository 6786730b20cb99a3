import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';

export interface QuarantineSecurityGroupArgs {
  vpcId: pulumi.Input<string>;
  tags?: Record<string, string>;
}

/**
 * A security group with no ingress and no egress rule. isolate swaps an instance's groups for this
 * one (after recording the originals), cutting new connections while the instance stays up for
 * forensics. AWS adds an allow-all egress rule to every new group; the empty `egress` list makes
 * the provider remove it.
 */
export class QuarantineSecurityGroup extends pulumi.ComponentResource {
  public readonly securityGroupId: pulumi.Output<string>;
  public readonly securityGroupArn: pulumi.Output<string>;
  public readonly vpcId: pulumi.Output<string>;

  constructor(name: string, args: QuarantineSecurityGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:QuarantineSecurityGroup', name, {}, opts);
    const group = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      {
        vpcId: args.vpcId,
        description: 'firebreak quarantine: no inbound, no outbound',
        ingress: [],
        egress: [],
        revokeRulesOnDelete: true,
        tags: kitTags('quarantine', args.tags),
      },
      { parent: this },
    );
    this.securityGroupId = group.id;
    this.securityGroupArn = group.arn;
    this.vpcId = pulumi.output(args.vpcId);
    this.registerOutputs({ securityGroupId: this.securityGroupId, securityGroupArn: this.securityGroupArn });
  }
}
