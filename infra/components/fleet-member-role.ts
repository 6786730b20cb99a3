import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags, lookupAwsContext } from './aws-context.js';
import type { AwsContext, Statement } from './iam-document.js';
import { blockIpsStatements, rotateSecretStatements, type TagCondition } from './responder-role.js';

/**
 * The role a fleet run assumes in each member account (docs/operators/fleet.md). It trusts exactly
 * the home account's responder role (by ARN, never the whole account) and may do only what the
 * fleet-capable capabilities need there (src/fleet/capabilities.ts): block-ips on that account's kit
 * IP sets, rotate-secret on that account's tagged secrets (freeze acts on GitHub only). Its name is
 * fixed so the stack-reference layer (infra/fleet-targets.ts) can name it in every account without
 * anyone typing an ARN.
 */
export const FLEET_MEMBER_ROLE_NAME = 'firebreak-fleet-member';

/** The fleet jobs' GitHub environment (src/fleet/workflow.ts: `${{ inputs.environment }}-fleet`). */
export function fleetEnvironmentName(environment: string): string {
  return `${environment}-fleet`;
}

export interface FleetMemberRoleArgs {
  /** The home kit's responder role (`responderRoleArn` output of the home stack). */
  responderRoleArn: pulumi.Input<string>;
  /** This account's kit IP sets, in every region the account is a fleet target (block-ips); none: no WAF grant. */
  ipSetArns: pulumi.Input<string>[];
  /** rotate-secret: secrets carrying this tag, in these regions (default: the stack's). Absent: no Secrets Manager grant. */
  rotateSecret?: { tag: TagCondition; regions?: string[] };
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

/** rotate-secret's statements for each region the account's secrets live in (IAM roles are global). */
export function fleetRotateSecretStatements(c: AwsContext, i: { tag: TagCondition; regions?: string[] }): Statement[] {
  const regions = i.regions?.length ? [...new Set(i.regions)].sort() : [c.region];
  const perRegion = regions.map((region) => rotateSecretStatements({ ...c, region }, { tag: i.tag }));
  // Same Sids per region: merge each statement's resources so the document stays valid.
  return perRegion[0]!.map((first, k) => {
    const resources = [...new Set(perRegion.flatMap((st) => [st[k]!.Resource ?? []].flat()))];
    return { ...first, Resource: resources.length === 1 ? resources[0]! : resources };
  });
}

/**
 * The member role's ARN in `account` (its name is fixed), for the home stack's `fleet.memberRoleArns`
 * and the stack-reference layer.
 */
export function fleetMemberRoleArn(account: string, partition = 'aws'): string {
  return `arn:${partition}:iam::${account}:role/${FLEET_MEMBER_ROLE_NAME}`;
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
    if (args.ipSetArns.length > 0) {
      new aws.iam.RolePolicy(
        `${name}-block-ips`,
        {
          role: role.name,
          name: 'firebreak-fleet-block-ips',
          policy: pulumi.all(args.ipSetArns).apply((arns) => JSON.stringify({ Version: '2012-10-17', Statement: blockIpsStatements({} as never, { ipSetArns: arns }) })),
        },
        { parent: this },
      );
    }
    const rotate = args.rotateSecret;
    if (rotate) {
      new aws.iam.RolePolicy(
        `${name}-rotate-secret`,
        {
          role: role.name,
          name: 'firebreak-fleet-rotate-secret',
          policy: lookupAwsContext(this).apply((c) => JSON.stringify({ Version: '2012-10-17', Statement: fleetRotateSecretStatements(c, rotate) })),
        },
        { parent: this },
      );
    }
    this.roleArn = role.arn;
    this.registerOutputs({ roleArn: this.roleArn });
  }
}
