import { ProviderError } from '../../core/errors.js';
import { clipText } from '../../core/redact.js';
import { isRetryableStatus, withProviderRetry } from '../../core/retry.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * The MongoDB Atlas Administration API v2, with a service account (OAuth 2.0 client credentials →
 * bearer token, the method MongoDB recommends over Digest API keys). Plain `fetch`: the official
 * Atlas SDK is Go only. Every call names the resource version it was written against in Accept.
 */
export const ATLAS_MEDIA_TYPE = 'application/vnd.atlas.2023-01-01+json';

export interface AtlasAdminOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  sleep: Sleep;
  timeoutMs?: number;
  callAttempts?: number;
  random?: () => number;
}

export interface AtlasUser {
  databaseName: string;
  username: string;
  labels: Array<{ key: string; value: string }>;
  roles: unknown[];
}

export class AtlasAdmin {
  private token: string | undefined;

  constructor(private readonly opts: AtlasAdminOptions) {}

  private async bearer(): Promise<string> {
    if (this.token) return this.token;
    const res = await fetch(`${this.base()}/api/oauth/token`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${this.opts.clientId}:${this.opts.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: 'grant_type=client_credentials',
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
    });
    const json = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
    if (!res.ok || !json.access_token) {
      throw new ProviderError(`atlas: the service account could not get a token (HTTP ${res.status} ${json.error ?? ''})`.trim(), {
        provider: 'atlas',
        operation: 'oauth/token',
        status: res.status,
        retryable: isRetryableStatus(res.status),
        code: res.status === 401 ? 'PROVIDER_DENIED' : 'PROVIDER_ERROR',
        hint: 'Check FIREBREAK_ATLAS_CLIENT_ID / FIREBREAK_ATLAS_CLIENT_SECRET (an Atlas service account with Project Owner on the project).',
      });
    }
    this.token = json.access_token;
    return this.token;
  }

  private base(): string {
    return this.opts.baseUrl.replace(/\/+$/, '');
  }

  /** For other Atlas areas built on the same client (preserve-evidence's backup snapshots). */
  protected async call(method: string, path: string, body: unknown, operation: string, retry: boolean): Promise<{ status: number; json: Record<string, unknown> | undefined }> {
    return withProviderRetry(
      async () => {
        const res = await fetch(`${this.base()}/api/atlas/v2/${path}`, {
          method,
          headers: { authorization: `Bearer ${await this.bearer()}`, accept: ATLAS_MEDIA_TYPE, ...(body === undefined ? {} : { 'content-type': ATLAS_MEDIA_TYPE }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(this.opts.timeoutMs ?? 30_000),
        }).catch((e: unknown) => {
          throw new ProviderError(`atlas ${operation}: no answer (${(e as Error).name})`, { provider: 'atlas', operation, retryable: retry });
        });
        const text = await res.text();
        const json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
        if (res.status === 404) return { status: 404, json };
        if (res.status >= 400) {
          throw new ProviderError(`atlas ${operation}: HTTP ${res.status} ${String(json?.errorCode ?? '')}: ${clipText(String(json?.detail ?? ''), 300)}`, {
            provider: 'atlas',
            operation,
            status: res.status,
            retryable: retry && isRetryableStatus(res.status),
            ...(res.status === 401 || res.status === 403 ? { code: 'PROVIDER_DENIED' } : {}),
          });
        }
        return { status: res.status, json };
      },
      { attempts: this.opts.callAttempts ?? 3, baseMs: 200, maxMs: 2_000, sleep: this.opts.sleep, ...(this.opts.random ? { random: this.opts.random } : {}) },
    );
  }

  async getUser(groupId: string, databaseName: string, username: string): Promise<AtlasUser | undefined> {
    const r = await this.call('GET', `groups/${groupId}/databaseUsers/${encodeURIComponent(databaseName)}/${encodeURIComponent(username)}`, undefined, 'getDatabaseUser', true);
    if (r.status === 404) return undefined;
    const j = r.json as unknown as AtlasUser;
    return { databaseName: j.databaseName, username: j.username, labels: j.labels ?? [], roles: j.roles ?? [] };
  }

  /**
   * PATCH with password and labels in one request (one atomic write). The published description
   * requires the user's identity and roles in the body, so they are sent as read, unchanged.
   */
  async updateUser(groupId: string, databaseName: string, username: string, patch: { password?: string; labels?: AtlasUser['labels'] }, current?: AtlasUser): Promise<AtlasUser> {
    const user = current ?? (await this.getUser(groupId, databaseName, username));
    if (!user) throw new ProviderError(`atlas: database user ${databaseName}/${username} does not exist`, { provider: 'atlas', operation: 'updateDatabaseUser', status: 404, retryable: false });
    const body = { databaseName, groupId, username, roles: user.roles, ...patch };
    const r = await this.call('PATCH', `groups/${groupId}/databaseUsers/${encodeURIComponent(databaseName)}/${encodeURIComponent(username)}`, body, 'updateDatabaseUser', false);
    if (r.status === 404) throw new ProviderError(`atlas: database user ${databaseName}/${username} disappeared`, { provider: 'atlas', operation: 'updateDatabaseUser', status: 404, retryable: false });
    const j = r.json as unknown as AtlasUser;
    return { databaseName: j.databaseName, username: j.username, labels: j.labels ?? [], roles: j.roles ?? [] };
  }

  async getAccessEntry(groupId: string, entry: string): Promise<{ comment?: string } | undefined> {
    const r = await this.call('GET', `groups/${groupId}/accessList/${encodeURIComponent(entry)}`, undefined, 'getAccessListEntry', true);
    if (r.status === 404) return undefined;
    return { ...(typeof r.json?.comment === 'string' ? { comment: r.json.comment } : {}) };
  }

  /** true when removed, false when it was not there. */
  async deleteAccessEntry(groupId: string, entry: string): Promise<boolean> {
    const r = await this.call('DELETE', `groups/${groupId}/accessList/${encodeURIComponent(entry)}`, undefined, 'deleteAccessListEntry', true);
    return r.status !== 404;
  }
}
