import { GetIPSetCommand, UpdateIPSetCommand, WAFV2Client } from '@aws-sdk/client-wafv2';
import { ConflictError, ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import type { WafEdit, WafEditResult, WafIpSetRef, WafIpSets, WafScope } from '../../core/ports/waf.js';
import { DEFAULT_RETRY_BUDGET_MS, isRetryableStatus, withProviderRetry, withRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * WAFv2 IP sets over the AWS SDK v3. No domain decisions here: the step hands `edit` a pure function.
 *
 * Two retry loops, both through `withRetry`:
 * - per call: throttling, 5xx, timeouts and connection errors (the SDK's own retries are off, so the
 *   attempt count in a report is the real one);
 * - per edit: WAFOptimisticLockException → re-read, re-apply the edit to the fresh list, write again.
 *   Another writer's entries are in the fresh list, so they survive.
 *
 * The lock token from `read` (the plan) is reused for the first write: when nobody wrote in between,
 * a block costs one GetIPSet and one UpdateIPSet per set; when somebody did, the stale token fails
 * the write and the loop re-reads.
 */
export interface AwsWafIpSetsOptions {
  /** One client per scope: CLOUDFRONT sets are only reachable in us-east-1. */
  clients: Partial<Record<WafScope, WAFV2Client>>;
  sleep: Sleep;
  random?: () => number;
  /** Attempts per call for transient failures (default 4). */
  callAttempts?: number;
  /** Read-modify-write rounds on lock conflicts (default 12: enough for 20 concurrent writers). */
  lockRounds?: number;
  onRetry?: (message: string) => void;
  /** Total wait per call across retries (default DEFAULT_RETRY_BUDGET_MS); AWS sends no Retry-After. */
  retryBudgetMs?: number;
}

interface Snapshot {
  addresses: string[];
  lockToken: string;
  description: string | undefined;
}

class LockConflict extends Error {}

export class AwsWafIpSets implements WafIpSets {
  private readonly snapshots = new Map<string, Snapshot>();

  constructor(private readonly opts: AwsWafIpSetsOptions) {}

  async read(ref: WafIpSetRef): Promise<string[]> {
    const snap = await this.get(ref);
    this.snapshots.set(key(ref), snap);
    return [...snap.addresses];
  }

  async edit(ref: WafIpSetRef, edit: WafEdit): Promise<WafEditResult> {
    let rounds = 0;
    try {
      return await withRetry(
        async (round) => {
          rounds = round;
          const cached = round === 1 ? this.snapshots.get(key(ref)) : undefined;
          this.snapshots.delete(key(ref));
          const snap = cached ?? (await this.get(ref));
          const next = edit(snap.addresses);
          if (next === null) return { before: snap.addresses, after: snap.addresses, written: false, rounds: round };
          await this.update(ref, snap, next);
          return { before: snap.addresses, after: next, written: true, rounds: round };
        },
        {
          attempts: this.opts.lockRounds ?? 12,
          baseMs: 50,
          maxMs: 1_000,
          sleep: this.opts.sleep,
          ...(this.opts.random ? { random: this.opts.random } : {}),
          retryOn: (e) => e instanceof LockConflict,
          onRetry: ({ attempt }) => this.opts.onRetry?.(`${label(ref)}: another writer changed the set; re-reading and merging (round ${attempt + 1})`),
        },
      );
    } catch (error) {
      if (error instanceof LockConflict) {
        throw new ConflictError(`${label(ref)}: the set kept changing under us for ${rounds} read-merge-write rounds (WAFOptimisticLockException)`, {
          code: 'WAF_LOCK_CONFLICT',
          hint: 'Nothing from this run was written to this set. Re-run: it converges.',
        });
      }
      throw error;
    }
  }

  private client(ref: WafIpSetRef): WAFV2Client {
    const c = this.opts.clients[ref.scope];
    if (!c) throw new ProviderError(`no WAFv2 client for scope ${ref.scope}`, { provider: 'aws', operation: 'wafv2', retryable: false });
    return c;
  }

  private async get(ref: WafIpSetRef): Promise<Snapshot> {
    const out = await this.call(ref, 'GetIPSet', () => this.client(ref).send(new GetIPSetCommand({ Name: ref.name, Scope: ref.scope, Id: ref.id })));
    if (!out.IPSet || !out.LockToken) {
      throw new ProviderError(`${label(ref)}: GetIPSet returned no IP set or lock token`, { provider: 'aws', operation: 'wafv2:GetIPSet', retryable: true });
    }
    if (out.IPSet.IPAddressVersion && out.IPSet.IPAddressVersion !== ref.ipVersion) {
      throw new ProviderError(`${label(ref)}: the set holds ${out.IPSet.IPAddressVersion} addresses, configured as ${ref.ipVersion}`, {
        provider: 'aws',
        operation: 'wafv2:GetIPSet',
        retryable: false,
        code: 'WAF_SET_MISCONFIGURED',
      });
    }
    return { addresses: out.IPSet.Addresses ?? [], lockToken: out.LockToken, description: out.IPSet.Description };
  }

  private async update(ref: WafIpSetRef, snap: Snapshot, addresses: string[]): Promise<void> {
    await this.call(ref, 'UpdateIPSet', () =>
      this.client(ref).send(
        new UpdateIPSetCommand({
          Name: ref.name,
          Scope: ref.scope,
          Id: ref.id,
          Addresses: addresses,
          LockToken: snap.lockToken,
          // UpdateIPSet resets omitted fields: send the description back unchanged.
          ...(snap.description !== undefined ? { Description: snap.description } : {}),
        }),
      ),
    );
  }

  private async call<T>(ref: WafIpSetRef, operation: string, fn: () => Promise<T>): Promise<T> {
    return withProviderRetry(
      async () => {
        try {
          return await fn();
        } catch (error) {
          if (errorName(error) === 'WAFOptimisticLockException') throw new LockConflict();
          throw toProviderError(ref, operation, error);
        }
      },
      {
        attempts: this.opts.callAttempts ?? 4,
        baseMs: 200,
        maxMs: 2_000,
        budgetMs: this.opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS,
        sleep: this.opts.sleep,
        ...(this.opts.random ? { random: this.opts.random } : {}),
        onRetry: ({ attempt, error }) => this.opts.onRetry?.(`${label(ref)}: ${operation} attempt ${attempt} failed (${(error as Error).message}); retrying`),
      },
    );
  }
}

const TRANSIENT_NAMES = new Set(['ThrottlingException', 'Throttling', 'TooManyRequestsException', 'WAFInternalErrorException', 'TimeoutError', 'RequestTimeout']);

function errorName(error: unknown): string {
  return (error as { name?: string })?.name ?? '';
}

function toProviderError(ref: WafIpSetRef, operation: string, error: unknown): ProviderError {
  const e = error as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  const name = e?.name ?? 'Error';
  const retryable = TRANSIENT_NAMES.has(name) || (status === undefined ? !name.endsWith('Exception') : isRetryableStatus(status) && status !== 400);
  const what = status === undefined ? name : `HTTP ${status} ${name}`;
  return new ProviderError(`${label(ref)}: ${operation} failed: ${what}: ${clipText(e?.message ?? String(error), 300)}`, {
    provider: 'aws',
    operation: `wafv2:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable,
    cause: error,
  });
}

function key(ref: WafIpSetRef): string {
  return `${ref.scope}/${ref.id}`;
}

function label(ref: WafIpSetRef): string {
  return `waf:${ref.scope}:${ref.ipVersion} (${ref.name})`;
}

/** Name and id from an IP set ARN: `arn:aws:wafv2:REGION:ACCOUNT:regional/ipset/NAME/ID`. */
export function parseIpSetArn(arn: string): { scope: WafScope; name: string; id: string } | undefined {
  const m = /^arn:aws[\w-]*:wafv2:[\w-]*:\d*:(regional|global)\/ipset\/([\w-]+)\/([\w-]+)$/.exec(arn.trim());
  if (!m) return undefined;
  return { scope: m[1] === 'global' ? 'CLOUDFRONT' : 'REGIONAL', name: m[2]!, id: m[3]! };
}
