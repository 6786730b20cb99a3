import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';

/** The only values CloudWatch Logs accepts for retentionInDays. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Smallest retention CloudWatch accepts that keeps logs at least `days` days. */
export function retentionAtLeast(days: number): number {
  const found = CLOUDWATCH_RETENTION_DAYS.find((allowed) => allowed >= days);
  if (found === undefined) {
    throw new Error(`LogRetention: CloudWatch keeps logs at most 3653 days with a retention; ${days} requested`);
  }
  return found;
}

export interface LogRetentionArgs {
  /** Log groups to keep; existing groups must be imported first (see docs/operators/kit.md). */
  logGroupNames: string[];
  /** Minimum days; rounded up to the next value CloudWatch accepts. */
  retentionDays: number;
  tags?: Record<string, string>;
}

/**
 * Keeps the listed log groups for at least the configured days, with deletion protection on, and
 * leaves them in place on `pulumi destroy`: logs are evidence, and evidence outlives the kit.
 */
export class LogRetention extends pulumi.ComponentResource {
  public readonly logGroupNames: pulumi.Output<string[]>;
  public readonly logGroupArns: pulumi.Output<string[]>;
  public readonly retentionInDays: number;

  constructor(name: string, args: LogRetentionArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:LogRetention', name, {}, opts);
    const duplicates = args.logGroupNames.filter((g, i) => args.logGroupNames.indexOf(g) !== i);
    if (duplicates.length > 0) throw new Error(`LogRetention: log group listed twice: ${duplicates.join(', ')}`);
    for (const group of args.logGroupNames) {
      if (!/^[\w\-/.#]{1,512}$/.test(group)) throw new Error(`LogRetention: invalid log group name "${group}"`);
    }
    this.retentionInDays = retentionAtLeast(args.retentionDays);
    const groups = args.logGroupNames.map(
      (logGroupName) =>
        new aws.cloudwatch.LogGroup(
          `${name}-${childSuffix(logGroupName)}`,
          {
            name: logGroupName,
            retentionInDays: this.retentionInDays,
            deletionProtectionEnabled: true,
            skipDestroy: true,
            tags: kitTags('logs', args.tags),
          },
          { parent: this },
        ),
    );
    this.logGroupNames = pulumi.output(args.logGroupNames);
    this.logGroupArns = pulumi.all(groups.map((g) => g.arn));
    this.registerOutputs({ logGroupNames: this.logGroupNames, logGroupArns: this.logGroupArns });
  }
}

/** A readable, stable Pulumi name for a log group: `/aws/ecs/api` → `aws-ecs-api`. */
export function childSuffix(logGroupName: string): string {
  return logGroupName.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'root';
}
