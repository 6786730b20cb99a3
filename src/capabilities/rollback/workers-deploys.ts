import type { Workers } from 'cloudflare/resources/workers/workers';
import type { PartialCloudflare } from 'cloudflare/tree-shakable';
import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import { WorkerSecretsChangedError, type WorkerDeploymentInfo, type WorkersDeploys, type WorkerVersionInfo } from './ports.js';

export type CloudflareWorkersClient = PartialCloudflare<{ workers: Workers }>;

/** The error code Cloudflare (and wrangler) use for a rollback across a secrets or bindings change. */
export const SECRETS_CHANGED_CODE = 10220;

/** Workers versions and deployments over the official SDK. */
export class CloudflareWorkersDeploys implements WorkersDeploys {
  constructor(private readonly opts: { client: CloudflareWorkersClient; accountId: string; sleep: Sleep }) {}

  private call<T>(operation: string, fn: () => Promise<T>, retry = true): Promise<T> {
    const once = async () => {
      try {
        return await fn();
      } catch (error) {
        throw toProviderError(operation, error);
      }
    };
    return retry ? withProviderRetry(once, { attempts: 4, baseMs: 200, maxMs: 5_000, sleep: this.opts.sleep }) : once();
  }

  async versions(script: string, limit: number): Promise<WorkerVersionInfo[]> {
    return this.call('versions.list', async () => {
      const out: WorkerVersionInfo[] = [];
      for await (const v of this.opts.client.workers.scripts.versions.list(script, { account_id: this.opts.accountId })) {
        if (v.id && typeof v.number === 'number') out.push({ id: v.id, number: v.number, createdOn: v.metadata?.created_on ?? '' });
        if (out.length >= limit) break;
      }
      return out;
    });
  }

  async deployments(script: string): Promise<WorkerDeploymentInfo[]> {
    return this.call('deployments.list', async () => {
      const page = await this.opts.client.workers.scripts.deployments.list(script, { account_id: this.opts.accountId });
      // The SDK types this list as paged; the API answers `{ deployments: [...] }` in `result`.
      const list = (page.result as unknown as { deployments?: { id: string; created_on: string; versions: { version_id: string; percentage: number }[]; annotations?: { 'workers/message'?: string } }[] }).deployments ?? [];
      return list.map((d) => ({ id: d.id, createdOn: d.created_on, versions: d.versions.map((v) => ({ versionId: v.version_id, percentage: v.percentage })), message: d.annotations?.['workers/message'] }));
    });
  }

  async deploy(script: string, versionId: string, message: string, force: boolean): Promise<{ id: string }> {
    try {
      const d = await this.call(
        'deployments.create',
        () =>
          this.opts.client.workers.scripts.deployments.create(script, {
            account_id: this.opts.accountId,
            strategy: 'percentage',
            versions: [{ version_id: versionId, percentage: 100 }],
            annotations: { 'workers/message': message.slice(0, 100) },
            ...(force ? { force: true } : {}),
          }),
        false,
      );
      return { id: d.id };
    } catch (error) {
      if (error instanceof ProviderError && (error.cause as { errors?: { code?: number }[] } | undefined)?.errors?.some((e) => e.code === SECRETS_CHANGED_CODE)) {
        throw new WorkerSecretsChangedError(error.message);
      }
      throw error;
    }
  }
}

function toProviderError(operation: string, error: unknown): ProviderError {
  if (error instanceof ProviderError) return error;
  const e = error as { name?: string; message?: string; status?: number; errors?: Array<{ code?: number; message?: string }> };
  const status = typeof e?.status === 'number' ? e.status : undefined;
  const apiCode = e?.errors?.[0]?.code;
  const detail = e?.errors?.[0]?.message ?? e?.message ?? String(error);
  const what = status === undefined ? (e?.name ?? 'connection error') : `HTTP ${status}${apiCode ? ` (code ${apiCode})` : ''}`;
  return new ProviderError(`Cloudflare workers ${operation} failed: ${what}: ${clipText(String(detail), 300)}`, {
    provider: 'cloudflare',
    operation: `workers:${operation}`,
    ...(status === undefined ? {} : { status }),
    retryable: isRetryableStatus(status),
    cause: error,
  });
}
