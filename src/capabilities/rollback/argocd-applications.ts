import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';
import type { ArgoApplicationInfo, ArgoApplications } from './ports.js';

/**
 * Argo CD's REST API (the gateway in front of its gRPC services) with a bearer token: an account
 * or project token (`argocd account generate-token`), never a user's session cookie.
 */
export class ArgoCdRestApplications implements ArgoApplications {
  private readonly base: string;

  constructor(private readonly opts: { server: string; token: string; sleep: Sleep; timeoutMs?: number }) {
    const server = /^https?:\/\//.test(opts.server) ? opts.server : `https://${opts.server}`;
    this.base = server.replace(/\/+$/, '');
  }

  private async request<T>(operation: string, method: string, path: string, body?: unknown, retry = true): Promise<T | undefined> {
    const once = async () => {
      let res: Response;
      try {
        res = await fetch(`${this.base}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.opts.token}`, accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
        });
      } catch (error) {
        throw new ProviderError(`Argo CD ${operation} failed: ${(error as Error).message}`, { provider: 'argocd', operation, retryable: true, cause: error });
      }
      const text = await res.text();
      if (res.status === 404) return undefined;
      if (!res.ok) {
        let message = text;
        try {
          message = (JSON.parse(text) as { message?: string }).message ?? text;
        } catch {
          // not JSON: keep the text
        }
        throw new ProviderError(`Argo CD ${operation} failed: HTTP ${res.status}: ${clipText(message, 300)}`, {
          provider: 'argocd',
          operation,
          status: res.status,
          retryable: isRetryableStatus(res.status),
          ...(res.status === 401 || res.status === 403 ? { hint: 'Check ARGOCD_AUTH_TOKEN and that its account may get, update and sync this Application (RBAC).' } : {}),
        });
      }
      return JSON.parse(text) as T;
    };
    return retry ? withProviderRetry(once, { attempts: 4, baseMs: 200, maxMs: 5_000, sleep: this.opts.sleep }) : once();
  }

  private path(name: string, suffix = ''): string {
    return `/api/v1/applications/${encodeURIComponent(name)}${suffix}`;
  }

  async get(name: string, namespace: string | undefined): Promise<ArgoApplicationInfo | undefined> {
    const q = namespace ? `?appNamespace=${encodeURIComponent(namespace)}` : '';
    const app = await this.request<RawApp>('ApplicationService.Get', 'GET', `${this.path(name)}${q}`);
    if (!app) return undefined;
    const automated = app.spec?.syncPolicy?.automated;
    return {
      name: app.metadata?.name ?? name,
      namespace: app.metadata?.namespace,
      project: app.spec?.project ?? 'default',
      autoSync: automated !== undefined && automated !== null && automated.enabled !== false,
      syncedRevision: app.status?.sync?.revision,
      history: (app.status?.history ?? []).map((h) => ({ id: Number(h.id ?? 0), revision: h.revision ?? '', deployedAt: h.deployedAt })),
      annotations: app.metadata?.annotations ?? {},
      operationRunning: app.operation !== undefined && app.operation !== null ? true : app.status?.operationState?.phase === 'Running',
    };
  }

  async annotate(name: string, namespace: string | undefined, key: string, value: string): Promise<void> {
    const found = await this.request('ApplicationService.Patch', 'PATCH', this.path(name), {
      name,
      patchType: 'merge',
      patch: JSON.stringify({ metadata: { annotations: { [key]: value } } }),
      ...(namespace ? { appNamespace: namespace } : {}),
    });
    if (!found) throw new ProviderError(`Argo CD Application ${name} disappeared`, { provider: 'argocd', operation: 'ApplicationService.Patch', status: 404, retryable: false });
  }

  async rollback(name: string, namespace: string | undefined, id: number): Promise<void> {
    const found = await this.request('ApplicationService.Rollback', 'POST', this.path(name, '/rollback'), { name, id, ...(namespace ? { appNamespace: namespace } : {}) }, false);
    if (!found) throw new ProviderError(`Argo CD refused the rollback of ${name} to history id ${id}: not found`, { provider: 'argocd', operation: 'ApplicationService.Rollback', status: 404, retryable: false });
  }
}

interface RawApp {
  metadata?: { name?: string; namespace?: string; annotations?: Record<string, string> };
  spec?: { project?: string; syncPolicy?: { automated?: { enabled?: boolean } | null } };
  status?: { sync?: { revision?: string }; history?: Array<{ id?: number | string; revision?: string; deployedAt?: string }>; operationState?: { phase?: string } };
  operation?: unknown;
}
