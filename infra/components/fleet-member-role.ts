import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';
import { blockIpsStatements } from './responder-role.js';

/**
 * The role a fleet run assumes in each member account (docs/operators/fleet.md). It trusts exactly
 * the home account's responder role (by ARN, never the whole account) and may do only what the
 * fleet-capable capabilities need there: today block-ips on that account's kit IP sets. Its name is
 * fixed so the stack-reference layer (infra/fleet-targets.ts) can name it in every account without
 * anyone typing an ARN.
 */
export const FLEET_MEMBER_ROLE_NAME = 'firebreak-fleet-member';

export interface FleetMemberRoleArgs {
  /** The home kit's responder role (`responderRoleArn` output of the home stack). */
  responderRoleArn: pulumi.Input<string>;
  /** This account's kit IP sets, in every region the account is a fleet target. */
  ipSetArns: pulumi.Input<string>[];
  /** Session length in seconds (one hour: a fleet run is minutes). */
  maxSessionDuration?: number;
}

/** Trust: only the responder role, only sts:AssumeRole. */
export function fleetMemberTrustPolicy(responderRoleArn: string): string {
  if (!/^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(responderRoleArn)) {
    throw new Error(`fleet member role: responderRoleArn must be an IAM role ARN, got ${JSON.stringify(responderRoleArn)}`);
  }
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'FirebreakResponderOnly', Effect: 'Allow', Principal: { AWS: responderRoleArn }, Action: 'sts:AssumeRole' }],
  });
}

/** What the responder role needs to reach the member roles (add to its policy in the home account). */
export function fleetAssumeStatement(memberRoleArns: string[]): { Sid: string; Effect: 'Allow'; Action: string[]; Resource: string[] } {
  return { Sid: 'AssumeFleetMemberRoles', Effect: 'Allow', Action: ['sts:AssumeRole'], Resource: memberRoleArns };
}

export class FleetMemberRole extends pulumi.ComponentResource {
  public readonly roleArn: pulumi.Output<string>;

  constructor(name: string, args: FleetMemberRoleArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:FleetMemberRole', name, {}, opts);
    const role = new aws.iam.Role(
      name,
      {
        name: FLEET_MEMBER_ROLE_NAME,
        assumeRolePolicy: pulumi.output(args.responderRoleArn).apply(fleetMemberTrustPolicy),
        maxSessionDuration: args.maxSessionDuration ?? 3600,
        description: 'firebreak fleet: assumed by the home responder role to act in this account',
        tags: kitTags('fleet-member'),
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-block-ips`,
      {
        role: role.name,
        policy: pulumi.all(args.ipSetArns).apply((arns) => JSON.stringify({ Version: '2012-10-17', Statement: blockIpsStatements({} as never, { ipSetArns: arns }) })),
      },
      { parent: this },
    );
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
