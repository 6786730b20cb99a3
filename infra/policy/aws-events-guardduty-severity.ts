import type { ResourceValidationPolicy } from '@pulumi/policy';

/**
 * An EventBridge rule that forwards GuardDuty findings matches only findings (detail-type
 * "GuardDuty Finding") at or above a severity floor: every low finding of an account would
 * otherwise open an incident. The floor is the pack's `minGuardDutySeverity` (default 4, medium).
 */
export const guardDutySeverity: ResourceValidationPolicy = {
  name: 'aws-events-guardduty-severity',
  description: 'Rules on GuardDuty findings match only "GuardDuty Finding" events with a numeric severity floor.',
  enforcementLevel: 'mandatory',
  validateResource: (args, reportViolation) => {
    if (args.type !== 'aws:cloudwatch/eventRule:EventRule') return;
    const raw = args.props['eventPattern'];
    if (typeof raw !== 'string') return;
    let pattern: Record<string, any>;
    try {
      pattern = JSON.parse(raw);
    } catch {
      return;
    }
    const sources = [pattern['source']].flat();
    if (!sources.includes('aws.guardduty')) return;
    const floor = (args.getConfig<{ minGuardDutySeverity?: number }>() ?? {}).minGuardDutySeverity ?? 4;
    const where = `rule "${args.name}"`;
    if (sources.length !== 1) reportViolation(`${where} mixes aws.guardduty with other sources`);
    const types = [pattern['detail-type']].flat();
    if (types.length !== 1 || types[0] !== 'GuardDuty Finding') reportViolation(`${where} must match detail-type ["GuardDuty Finding"] only (got ${JSON.stringify(pattern['detail-type'])})`);
    const severity = pattern['detail']?.['severity'];
    const numeric = Array.isArray(severity) && severity.length === 1 ? severity[0]?.['numeric'] : undefined;
    if (!Array.isArray(numeric) || numeric.length !== 2 || !['>=', '>'].includes(numeric[0]) || typeof numeric[1] !== 'number') {
      reportViolation(`${where} must bound detail.severity with [{ "numeric": [">=", N] }] (got ${JSON.stringify(severity)})`);
    } else if (numeric[1] < floor) {
      reportViolation(`${where} sends findings from severity ${numeric[1]}; at least ${floor} is required`);
    }
  },
};
