import type { ResourceValidationPolicy } from '@pulumi/policy';

export const DEFAULT_MIN_RETENTION_DAYS = 365;

/** Log groups keep their events at least N days (0 or unset means "never expire", which passes). */
export const logGroupRetention: ResourceValidationPolicy = {
  name: 'aws-cloudwatch-log-group-retention',
  description: 'CloudWatch log groups keep events at least the configured number of days; logs are evidence.',
  enforcementLevel: 'mandatory',
  configSchema: {
    properties: { minRetentionDays: { type: 'integer', minimum: 1, default: DEFAULT_MIN_RETENTION_DAYS } },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== 'aws:cloudwatch/logGroup:LogGroup') return;
    const min = args.getConfig<{ minRetentionDays?: number }>().minRetentionDays ?? DEFAULT_MIN_RETENTION_DAYS;
    const days: unknown = args.props['retentionInDays'];
    if (days === undefined || days === 0) return;
    if (typeof days !== 'number' || days < min) {
      reportViolation(`log group "${args.props['name'] ?? args.name}" keeps logs ${String(days)} days; at least ${min} are required`);
    }
  },
};
