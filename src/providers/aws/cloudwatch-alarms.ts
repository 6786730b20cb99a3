import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import type { AlarmReader, AlarmState } from '../../core/health/probe.js';
import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * A CloudWatch alarm's state (metric alarms, metric math included, and composite alarms) over the
 * AWS SDK v3: DescribeAlarms by exact name, both alarm types.
 */
export class CloudWatchAlarmReader implements AlarmReader {
  constructor(private readonly opts: { client: CloudWatchClient; sleep: Sleep; random?: () => number }) {}

  async state(alarmName: string): Promise<AlarmState> {
    const out = await withProviderRetry(
      async () => {
        try {
          return await this.opts.client.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }));
        } catch (error) {
          const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
          const status = e?.$metadata?.httpStatusCode;
          throw new ProviderError(`CloudWatch DescribeAlarms ${alarmName} failed: ${e?.name ?? 'Error'}: ${clipText(e?.message ?? String(error), 300)}`, {
            provider: 'aws',
            operation: 'cloudwatch:DescribeAlarms',
            ...(status === undefined ? {} : { status }),
            retryable: status === undefined || (isRetryableStatus(status) && status !== 400) || e?.name === 'Throttling',
            cause: error,
          });
        }
      },
      { attempts: 4, baseMs: 200, maxMs: 2_000, sleep: this.opts.sleep, ...(this.opts.random ? { random: this.opts.random } : {}) },
    );
    const alarm = out.MetricAlarms?.find((a) => a.AlarmName === alarmName) ?? out.CompositeAlarms?.find((a) => a.AlarmName === alarmName);
    if (!alarm) return 'MISSING';
    const s = alarm.StateValue;
    return s === 'OK' || s === 'ALARM' || s === 'INSUFFICIENT_DATA' ? s : 'INSUFFICIENT_DATA';
  }
}
