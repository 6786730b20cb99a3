import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { kitTags } from './aws-context.js';
import { CLOUDTRAIL_PREFIX } from './evidence-store.js';

export interface AuditTrailArgs {
  /** Trail name; the evidence bucket policy names the trail's ARN, so it is fixed up front. */
  trailName: string;
  bucketName: pulumi.Input<string>;
  kmsKeyArn: pulumi.Input<string>;
  tags?: Record<string, string>;
}

/** ARN of a trail before it exists (the bucket and key policies must name it). */
export function trailArn(partition: string, region: string, accountId: string, trailName: string): string {
  return `arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
}

/**
 * A multi-Region CloudTrail trail with log file validation (signed digest files prove that no log
 * was altered or removed), encrypted with the evidence key, delivered into the evidence bucket.
 * Pass the evidence bucket policy in `dependsOn`: CloudTrail checks its access on creation.
 */
export class AuditTrail extends pulumi.ComponentResource {
  public readonly trailArn: pulumi.Output<string>;
  public readonly trailName: pulumi.Output<string>;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super('firebreak:aws:AuditTrail', name, {}, opts);
    if (!/^[A-Za-z0-9][\w.-]{2,127}$/.test(args.trailName)) {
      throw new Error(`AuditTrail: trailName must be 3-128 letters, digits, '.', '_' or '-', got "${args.trailName}"`);
    }
    const trail = new aws.cloudtrail.Trail(
      `${name}-trail`,
      {
        name: args.trailName,
        s3BucketName: args.bucketName,
        s3KeyPrefix: CLOUDTRAIL_PREFIX,
        isMultiRegionTrail: true,
        includeGlobalServiceEvents: true,
        enableLogFileValidation: true,
        enableLogging: true,
        kmsKeyId: args.kmsKeyArn,
        tags: kitTags('audit', args.tags),
      },
      { parent: this },
    );
    this.trailArn = trail.arn;
    this.trailName = trail.name;
    this.registerOutputs({ trailArn: this.trailArn });
  }
}
