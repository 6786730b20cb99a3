import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { AwsContext } from './iam-document.js';

/**
 * Reads account, region and partition from the provider the resource would use, so ARNs in
 * least-privilege policies are exact (GovCloud and China use other partitions).
 */
export function lookupAwsContext(parent: pulumi.Resource, region?: string): pulumi.Output<AwsContext> {
  const opts: pulumi.InvokeOutputOptions = { parent };
  const identity = aws.getCallerIdentityOutput({}, opts);
  const partition = aws.getPartitionOutput({}, opts);
  const current = aws.getRegionOutput(region ? { region } : {}, opts);
  return pulumi.all([identity.accountId, current.region, partition.partition]).apply(([accountId, r, p]) => ({
    accountId,
    region: r,
    partition: p,
  }));
}

/** A kit-wide tag set; the policy pack and cost reports find the kit's resources by it. */
export function kitTags(role: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'firebreak:managed': 'true', 'firebreak:role': role, ...extra };
}
