import { InputError, ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * HashiCorp Vault over its HTTP API with plain `fetch` and `X-Vault-Token`: HashiCorp publishes no
 * official JavaScript client (the maintained ones are Go, .NET, Ruby, Python-by-community), and the
 * calls rotate-secret needs are a handful of JSON requests. Reads are retried on 5xx/429; a write is
 * retried only when Vault answered (never after a timeout, where it may have happened).
 */
export interface VaultHttpOptions {
  addr: string;
  token: string;
  /** Vault Enterprise namespace (X-Vault-Namespace). */
  namespace?: string | undefined;
  sleep: Sleep;
  timeoutMs?: number;
  callAttempts?: number;
  random?: () => number;
}

export interface KvMetadata {
  currentVersion: number;
  customMetadata: Record<string, string>;
  versions: Map<number, { deleted: boolean; destroyed: boolean }>;
}

export interface KvVersionData {
  version: number;
  data: Record<string, unknown>;
}

export class CasMismatchError extends ProviderError {
  constructor(what: string) {
    super(`${what}: the secret changed since it was read (check-and-set did not match); nothing written`, { provider: 'vault', operation: 'kv-v2-write', status: 400, retryable: false, code: 'CAS_MISMATCH' });
  }
}

export class VaultHttp {
  constructor(private readonly opts: VaultHttpOptions) {}

  private async call(method: string, path: string, body: unknown, opts: { retry: boolean; notFound?: 'undefined' }): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
    const url = `${this.opts.addr.replace(/\/+$/, '')}/v1/${path}`;
    const operation = `${method} ${path.split('?')[0]}`;
    return withProviderRetry(
      async () => {
        let res: Response;
        try {
          res = await fetch(url, {
            method,
            headers: {
              'x-vault-token': this.opts.token,
              ...(this.opts.namespace ? { 'x-vault-namespace': this.opts.namespace } : {}),
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
          });
        } catch (e) {
          throw new ProviderError(`vault ${operation}: no answer (${(e as Error).name})`, { provider: 'vault', operation, retryable: opts.retry });
        }
        const text = await res.text();
        let json: Record<string, unknown> | undefined;
        try {
          json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        } catch {
          json = undefined;
        }
        if (res.status === 404 && opts.notFound) return { status: 404, json };
        if (res.status >= 400) {
          const errors = Array.isArray(json?.errors) ? (json.errors as unknown[]).map(String).join('; ') : '';
          if (res.status === 403) {
            throw new ProviderError(`vault ${operation}: permission denied`, { provider: 'vault', operation, status: 403, retryable: false, code: 'PROVIDER_DENIED', hint: 'The responder token lacks a policy for this path; see docs/responders/rotate-secret.md for the Vault policy.' });
          }
          if (/check-and-set parameter did not match/.test(errors)) throw new CasMismatchError(operation);
          throw new ProviderError(`vault ${operation}: HTTP ${res.status}: ${clipText(errors || 'no error text', 300)}`, { provider: 'vault', operation, status: res.status, retryable: opts.retry && isRetryableStatus(res.status) });
        }
        return { status: res.status, json };
      },
      { attempts: this.opts.callAttempts ?? 3, baseMs: 200, maxMs: 2_000, sleep: this.opts.sleep, ...(this.opts.random ? { random: this.opts.random } : {}) },
    );
  }

  /** KV v2 metadata; undefined when the secret does not exist. */
  async kvMetadata(mount: string, path: string): Promise<KvMetadata | undefined> {
    const r = await this.call('GET', `${mount}/metadata/${path}`, undefined, { retry: true, notFound: 'undefined' });
    if (r.status === 404) return undefined;
    const d = (r.json?.data ?? {}) as { current_version?: number; custom_metadata?: Record<string, string> | null; versions?: Record<string, { deletion_time?: string; destroyed?: boolean }> };
    return {
      currentVersion: d.current_version ?? 0,
      customMetadata: d.custom_metadata ?? {},
      versions: new Map(Object.entries(d.versions ?? {}).map(([n, v]) => [Number(n), { deleted: (v.deletion_time ?? '') !== '', destroyed: v.destroyed === true }])),
    };
  }

  async kvRead(mount: string, path: string, version: number): Promise<KvVersionData> {
    const r = await this.call('GET', `${mount}/data/${path}?version=${version}`, undefined, { retry: true, notFound: 'undefined' });
    const d = r.json?.data as { data?: Record<string, unknown> | null; metadata?: { version?: number } } | undefined;
    if (r.status === 404 || !d?.data) throw new InputError(`vault ${mount}/${path} version ${version} is deleted or destroyed`, { field: 'target', code: 'SECRET_VERSION_GONE' });
    return { version: d.metadata?.version ?? version, data: d.data };
  }

  /** A new version with check-and-set on `cas`: Vault refuses it when another write came first. */
  async kvWrite(mount: string, path: string, data: Record<string, unknown>, cas: number): Promise<number> {
    const r = await this.call('POST', `${mount}/data/${path}`, { data, options: { cas } }, { retry: false });
    const v = (r.json?.data as { version?: number } | undefined)?.version;
    if (typeof v !== 'number') throw new ProviderError(`vault write ${mount}/${path} returned no version`, { provider: 'vault', operation: 'kv-v2-write', retryable: false });
    return v;
  }

  /** Replaces the secret's custom_metadata map (POST semantics). */
  async kvWriteCustomMetadata(mount: string, path: string, custom: Record<string, string>): Promise<void> {
    await this.call('POST', `${mount}/metadata/${path}`, { custom_metadata: custom }, { retry: true });
  }

  async lookupSelfAccessor(): Promise<string> {
    const r = await this.call('GET', 'auth/token/lookup-self', undefined, { retry: true });
    return String((r.json?.data as { accessor?: string } | undefined)?.accessor ?? '');
  }

  /** Token facts by accessor; undefined when Vault does not know it (never issued, or revoked). */
  async lookupAccessor(accessor: string): Promise<{ displayName: string; path: string; policies: string[] } | undefined> {
    try {
      const r = await this.call('POST', 'auth/token/lookup-accessor', { accessor }, { retry: true });
      const d = (r.json?.data ?? {}) as { display_name?: string; path?: string; policies?: string[] };
      return { displayName: d.display_name ?? '', path: d.path ?? '', policies: d.policies ?? [] };
    } catch (e) {
      if (e instanceof ProviderError && e.status === 400 && /invalid accessor/.test(e.message)) return undefined;
      throw e;
    }
  }

  async revokeAccessor(accessor: string): Promise<void> {
    await this.call('POST', 'auth/token/revoke-accessor', { accessor }, { retry: true });
  }

  /** Lease ids directly under `prefix` (sub-prefixes end in `/`); [] when there are none. */
  async listLeases(prefix: string): Promise<string[]> {
    const r = await this.call('GET', `sys/leases/lookup/${prefix.replace(/\/+$/, '')}/?list=true`, undefined, { retry: true, notFound: 'undefined' });
    if (r.status === 404) return [];
    return ((r.json?.data as { keys?: string[] } | undefined)?.keys ?? []).map(String);
  }

  async revokePrefix(prefix: string): Promise<void> {
    await this.call('POST', `sys/leases/revoke-prefix/${prefix.replace(/\/+$/, '')}`, { sync: true }, { retry: true });
  }
}
