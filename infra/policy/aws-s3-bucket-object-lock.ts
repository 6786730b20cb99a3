import type { ResourceValidationPolicy } from '@pulumi/policy';

/** Buckets tagged as evidence are created with Object Lock, and their default retention is COMPLIANCE. */
export const objectLock: ResourceValidationPolicy = {
  name: 'aws-s3-bucket-object-lock',
  description: 'Evidence buckets have Object Lock on, with a COMPLIANCE-mode default retention.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    if (args.type === 'aws:s3/bucket:Bucket') {
      const tags = (args.props['tags'] ?? {}) as Record<string, string>;
      if (tags['firebreak:role'] === 'evidence' && args.props['objectLockEnabled'] !== true) {
        reportViolation(`evidence bucket "${args.name}" must set objectLockEnabled: true (it can only be turned on at creation)`);
      }
      return;
    }
    if (args.type !== 'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration') return;
    const enabled = args.props['objectLockEnabled'] ?? 'Enabled';
    if (enabled !== 'Enabled') reportViolation(`object lock configuration "${args.name}" must have objectLockEnabled: Enabled, got ${String(enabled)}`);
    const retention = (args.props['rule'] as { defaultRetention?: { mode?: string; days?: number; years?: number } } | undefined)?.defaultRetention;
    if (!retention) {
      reportViolation(`object lock configuration "${args.name}" has no default retention: objects would not be locked`);
      return;
    }
    if (retention.mode !== 'COMPLIANCE') {
      reportViolation(`object lock configuration "${args.name}" uses mode ${String(retention.mode)}; COMPLIANCE is required (GOVERNANCE can be bypassed)`);
    }
    if (!((retention.days ?? 0) > 0 || (retention.years ?? 0) > 0)) {
      reportViolation(`object lock configuration "${args.name}" needs a default retention of at least one day`);
    }
  },
};
