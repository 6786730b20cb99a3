import { CloudWatchLogsClient, GetQueryResultsCommand, StartQueryCommand, type ResultField } from '@aws-sdk/client-cloudwatch-logs';
import { ProviderError } from '../../core/errors.js';
import type { EvidenceWindow } from '../../core/evidence/manifest.js';
import { withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import type { Indicator } from '../../core/triage/indicators.js';
import type { LogsQueryPort } from './ports.js';

/**
 * Query mode: the same indicators as a CloudWatch Logs Insights query, for logs that are still in
 * CloudWatch. Insights narrows the events server-side (`filter @message like /…/`); every row is
 * then checked again by the scanner with the exact rules (token boundaries, CIDRs, regexes), so a
 * looser server filter never adds hits. A query returns at most 10,000 rows: a window that fills
 * it is split in halves and each half queried again, so nothing is silently cut.
 */
export const INSIGHTS_ROW_LIMIT = 10_000;

export function insightsQuery(indicators: readonly Indicator[]): string {
  // CIDRs have no literal form in a like pattern: with one, the filter is left out (every event in
  // the window comes back and the scanner decides).
  const filter = indicators.some((i) => i.kind === 'cidr')
    ? ''
    : ` | filter @message like /${indicators.map((i) => (i.kind === 'regex' ? i.value : i.value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('|')}/`;
  return `fields @timestamp, @message, @logStream, @log${filter} | sort @timestamp asc | limit ${INSIGHTS_ROW_LIMIT}`;
}

export class LogsInsights implements LogsQueryPort {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly deps: { sleep: Sleep; pollMs?: number; maxPolls?: number; maxSplits?: number },
  ) {}

  async *query(group: string, window: EvidenceWindow, indicators: readonly Indicator[], progress: (m: string) => void): AsyncGenerator<string> {
    yield* this.range(group, Math.floor(Date.parse(window.from) / 1000), Math.ceil(Date.parse(window.to) / 1000), insightsQuery(indicators), progress, 0);
  }

  private async *range(group: string, from: number, to: number, query: string, progress: (m: string) => void, depth: number): AsyncGenerator<string> {
    const rows = await this.run(group, from, to, query, progress);
    if (rows.length >= INSIGHTS_ROW_LIMIT && to - from > 1 && depth < (this.deps.maxSplits ?? 16)) {
      const mid = Math.floor((from + to) / 2);
      progress(`logs:${group}: ${rows.length} rows fill the Insights limit; splitting the window`);
      yield* this.range(group, from, mid, query, progress, depth + 1);
      yield* this.range(group, mid, to, query, progress, depth + 1);
      return;
    }
    for (const row of rows) yield row;
  }

  private async run(group: string, from: number, to: number, query: string, progress: (m: string) => void): Promise<string[]> {
    const call = <T>(op: string, fn: () => Promise<T>) =>
      withRetry(
        async () => {
          try {
            return await fn();
          } catch (error) {
            const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
            const status = e.$metadata?.httpStatusCode;
            throw new ProviderError(`${op} on ${group} failed: ${e.name ?? 'Error'}: ${(e.message ?? '').slice(0, 200)}`, {
              provider: 'aws',
              operation: op,
              ...(status === undefined ? {} : { status }),
              retryable: status === undefined || status >= 500 || /Throttl|LimitExceeded/.test(e.name ?? ''),
            });
          }
        },
        { attempts: 4, baseMs: 250, maxMs: 4_000, sleep: this.deps.sleep, retryOn: (e) => e instanceof ProviderError && e.retryable },
      );
    const started = await call('logs:StartQuery', () => this.client.send(new StartQueryCommand({ logGroupName: group, startTime: from, endTime: to, queryString: query })));
    for (let i = 0; i < (this.deps.maxPolls ?? 600); i++) {
      const out = await call('logs:GetQueryResults', () => this.client.send(new GetQueryResultsCommand({ queryId: started.queryId })));
      if (out.status === 'Complete') {
        progress(`logs:${group}: query ${started.queryId} complete, ${out.results?.length ?? 0} row(s)`);
        return (out.results ?? []).map((r) => rowLine(group, r));
      }
      if (out.status === 'Failed' || out.status === 'Cancelled' || out.status === 'Timeout') {
        throw new ProviderError(`Logs Insights query on ${group} ended ${out.status}`, { provider: 'aws', operation: 'logs:GetQueryResults', retryable: true });
      }
      await this.deps.sleep(this.deps.pollMs ?? 1_000);
    }
    throw new ProviderError(`Logs Insights query on ${group} did not complete in time`, { provider: 'aws', operation: 'logs:GetQueryResults', retryable: true });
  }
}

/** One row as a JSON line: the event's own JSON (when it is JSON) with the Insights fields beside it. */
function rowLine(group: string, fields: ResultField[]): string {
  const f: Record<string, string> = {};
  for (const { field, value } of fields) if (field && value !== undefined) f[field] = value;
  const ts = /^\d+$/.test(f['@timestamp'] ?? '') ? Number(f['@timestamp']) : f['@timestamp'];
  const meta = { '@timestamp': ts, '@logStream': f['@logStream'], '@log': f['@log'] ?? group };
  const message = f['@message'] ?? '';
  if (message.trimStart().startsWith('{')) {
    try {
      const obj = JSON.parse(message) as unknown;
      if (obj && typeof obj === 'object' && !Array.isArray(obj)) return JSON.stringify({ ...meta, ...(obj as Record<string, unknown>) });
    } catch {
      // not JSON after all: kept as the message text below
    }
  }
  return JSON.stringify({ ...meta, message });
}
