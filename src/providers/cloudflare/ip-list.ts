import type { Lists } from 'cloudflare/resources/rules/lists/lists';
import type { PartialCloudflare } from 'cloudflare/tree-shakable';
import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import type { CloudflareBulkResult, CloudflareIpList, CloudflareListItem } from '../../core/ports/cloudflare-list.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, retryAfterFromHeaders, withProviderRetry } from '../../core/retry.js';
import { systemClock, type Clock, type Sleep } from '../../core/runtime.js';

/** The part of the Cloudflare SDK this port calls: account lists, their items and bulk operations. */
export type CloudflareListsClient = PartialCloudflare<{ rules: { lists: Lists } }>;

/**
 * A Cloudflare account IP list over the official SDK. Retries are ours (the client is built with
 * `maxRetries: 0`, see src/runtime/clients.ts): the SDK would silently retry 429/5xx twice, and a
 * report must say how many calls were really made.
 *
 * Writes are bulk operations: submit → poll `bulk_operations/{id}` until `completed` or `failed`.
 * One pending operation per account: a submit answered 429 (code 10429) waits with jittered backoff
 * and submits again. The first two polls are immediate (small lists complete fast), later ones back off.
 */
export interface CloudflareIpListOptions {
  client: CloudflareListsClient;
  accountId: string;
  listId: string;
  sleep: Sleep;
  random?: () => number;
  /** Attempts per call for 429/5xx/timeouts, including "another bulk operation is pending" (default 8). */
  callAttempts?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Polls before giving up on an operation (default 60). */
  maxPolls?: number;
  pollBaseMs?: number;
  pollMaxMs?: number;
  onRetry?: (message: string) => void;
  /** Total wait per call across retries, Retry-After included (default DEFAULT_RETRY_BUDGET_MS). */
  retryBudgetMs?: number;
  /** Reads HTTP-date Retry-After values and says when to retry (default: the system clock). */
  clock?: Clock;
}

export class CloudflareAccountIpList implements CloudflareIpList {
  readonly description: string;

  constructor(private readonly opts: CloudflareIpListOptions) {
    this.description = `cloudflare:list ${opts.listId}`;
  }

  async items(): Promise<CloudflareListItem[]> {
    return this.call('list items', async () => {
      const out: CloudflareListItem[] = [];
      for await (const item of this.opts.client.rules.lists.items.list(this.opts.listId, { account_id: this.opts.accountId, per_page: 500 })) {
        const it = item as { id?: string; ip?: string; comment?: string };
        if (it.id && it.ip) out.push({ id: it.id, ip: it.ip, comment: it.comment });
      }
      return out;
    });
  }

  async append(items: ReadonlyArray<{ ip: string; comment?: string }>, progress?: (message: string) => void): Promise<CloudflareBulkResult> {
    const body = items.map((i) => (i.comment === undefined ? { ip: i.ip } : { ip: i.ip, comment: i.comment }));
    const submitted = await this.call('append items', () => this.opts.client.rules.lists.items.create(this.opts.listId, { account_id: this.opts.accountId, body }));
    return this.waitFor(submitted.operation_id, `append ${items.length} item(s)`, progress);
  }

  async remove(ids: readonly string[], progress?: (message: string) => void): Promise<CloudflareBulkResult> {
    const submitted = await this.call('delete items', () =>
      this.opts.client.rules.lists.items.delete(this.opts.listId, { account_id: this.opts.accountId, items: ids.map((id) => ({ id })) }),
    );
    return this.waitFor(submitted.operation_id, `delete ${ids.length} item(s)`, progress);
  }

  private async waitFor(operationId: string, what: string, progress?: (message: string) => void): Promise<CloudflareBulkResult> {
    const max = this.opts.maxPolls ?? 60;
    for (let poll = 1; poll <= max; poll++) {
      const op = await this.call('poll bulk operation', () => this.opts.client.rules.lists.bulkOperations.get(operationId, { account_id: this.opts.accountId }));
      if (op.status === 'completed') {
        progress?.(`Cloudflare: ${what} completed (operation ${operationId}, ${poll} poll(s))`);
        return { operationId, polls: poll };
      }
      if (op.status === 'failed') {
        throw new ProviderError(`Cloudflare bulk operation ${operationId} (${what}) failed: ${op.error}`, {
          provider: 'cloudflare',
          operation: 'lists:bulk_operation',
          retryable: false,
          code: 'CLOUDFLARE_BULK_FAILED',
          hint: 'Nothing from this operation was applied (bulk operations are all-or-nothing).',
        });
      }
      progress?.(`Cloudflare: ${what} ${op.status} (operation ${operationId}, poll ${poll})`);
      // The first polls go back to back (each already costs a round trip; most operations finish
      // within two), later ones back off so a slow operation does not eat the account's rate limit.
      if (poll >= 2) await this.opts.sleep(Math.min(this.opts.pollMaxMs ?? 2_000, (this.opts.pollBaseMs ?? 100) * 2 ** (poll - 2)));
    }
    throw new ProviderError(`Cloudflare bulk operation ${operationId} (${what}) did not complete after ${max} polls`, {
      provider: 'cloudflare',
      operation: 'lists:bulk_operation',
      retryable: true,
      code: 'CLOUDFLARE_BULK_TIMEOUT',
      hint: 'It may still complete: re-run the step, which reads the list first and converges.',
    });
  }

  private async call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          throw toProviderError(operation, error, (this.opts.clock ?? systemClock).now());
        }
      },
      {
        attempts: this.opts.callAttempts ?? 8,
        budgetMs: this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
        clock: this.opts.clock ?? systemClock,
        baseMs: this.opts.retryBaseMs ?? 250,
        maxMs: this.opts.retryMaxMs ?? 5_000,
        sleep: this.opts.sleep,
        ...(this.opts.random ? { random: this.opts.random } : {}),
        onRetry: ({ attempt, error }) => this.opts.onRetry?.(`Cloudflare: ${operation} attempt ${attempt} failed (${(error as Error).message}); retrying`),
      },
    );
  }
}

function toProviderError(operation: string, error: unknown, now: Date): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: string; message?: string; status?: number; headers?: Headers | Record<string, string>; errors?: Array<{ code?: number; message?: string }> };
  // Cloudflare's 429s carry Retry-After (seconds); honoured by withRetry, capped by the budget.
  const retryAfterMs = typeof e?.status === 'number' && isRetryableStatus(e.status) ? retryAfterFromHeaders(e.headers, now) : undefined;
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const apiCode = e?.errors?.[0]?.code;
  const pending = status === 429 && apiCode === 10429;
  const detail = e?.errors?.[0]?.message ?? e?.message ?? String(error);
  const what = status === undefined ? (e?.name ?? 'connection error') : `HTTP ${status}${apiCode ? ` (code ${apiCode})` : ''}`;
  return new ProviderError(`Cloudflare ${operation} failed: ${what}: ${clipText(String(detail), 300)}`, {
    provider: 'cloudflare',
    operation: `lists:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable: isRetryableStatus(status),
    code: pending ? 'CLOUDFLARE_BULK_PENDING' : status === 429 ? 'RATE_LIMITED' : 'PROVIDER_ERROR',
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    cause: error,
  });
}
