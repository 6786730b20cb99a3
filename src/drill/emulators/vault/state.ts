import { randomBytes } from 'node:crypto';

/**
 * What the Vault emulator remembers: tokens (by id and accessor), KV v2 mounts with every version
 * of every secret and its metadata, and leases. Values live here only; no response log holds them.
 */

export interface VaultToken {
  id: string;
  accessor: string;
  displayName: string;
  policies: string[];
  /** Token store path it was created under (auth/token/create, auth/approle/login …). */
  path: string;
  /** Tokens created by this one: revoked with it. */
  children: string[];
}

export interface KvVersion {
  data: Record<string, unknown>;
  createdTime: string;
  deletionTime: string;
  destroyed: boolean;
}

export interface KvSecret {
  versions: Map<number, KvVersion>;
  currentVersion: number;
  customMetadata: Record<string, string> | null;
  casRequired: boolean;
  maxVersions: number;
  createdTime: string;
  updatedTime: string;
}

export interface VaultLease {
  id: string;
  /** The token the lease belongs to: revoking the token revokes the lease. */
  token?: string | undefined;
}

export class VaultState {
  readonly tokens = new Map<string, VaultToken>();
  readonly kv = new Map<string, Map<string, KvSecret>>();
  readonly leases = new Map<string, VaultLease>();
  readonly rootToken: VaultToken;

  constructor(
    rootToken: string,
    readonly now: () => Date = () => new Date(),
    mounts: string[] = ['secret'],
  ) {
    this.rootToken = this.addToken({ id: rootToken, displayName: 'firebreak-responder', policies: ['root'], path: 'auth/token/root' });
    for (const m of mounts) this.kv.set(m, new Map());
  }

  addToken(t: { id?: string; displayName: string; policies: string[]; path: string; parent?: string }): VaultToken {
    const token: VaultToken = {
      id: t.id ?? `hvs.${randomBytes(18).toString('base64url')}`,
      accessor: randomBytes(12).toString('base64url'),
      displayName: t.displayName,
      policies: t.policies,
      path: t.path,
      children: [],
    };
    this.tokens.set(token.id, token);
    if (t.parent) this.tokens.get(t.parent)?.children.push(token.id);
    return token;
  }

  byAccessor(accessor: string): VaultToken | undefined {
    return [...this.tokens.values()].find((t) => t.accessor === accessor);
  }

  /** Revokes a token, its children and their leases (Vault's default, non-orphan revocation). */
  revokeToken(id: string): void {
    const t = this.tokens.get(id);
    if (!t) return;
    this.tokens.delete(id);
    for (const [leaseId, lease] of this.leases) if (lease.token === id) this.leases.delete(leaseId);
    for (const child of t.children) this.revokeToken(child);
  }

  addLease(id: string, token?: string): void {
    this.leases.set(id, { id, token });
  }

  /** Test and drill setup: writes a KV v2 secret version the way `vault kv put` would. */
  putKv(mount: string, path: string, data: Record<string, unknown>): number {
    const store = this.kv.get(mount);
    if (!store) throw new Error(`no KV v2 mount ${mount}`);
    const at = this.now().toISOString();
    let secret = store.get(path);
    if (!secret) {
      secret = { versions: new Map(), currentVersion: 0, customMetadata: null, casRequired: false, maxVersions: 0, createdTime: at, updatedTime: at };
      store.set(path, secret);
    }
    secret.currentVersion++;
    secret.versions.set(secret.currentVersion, { data: structuredClone(data), createdTime: at, deletionTime: '', destroyed: false });
    secret.updatedTime = at;
    return secret.currentVersion;
  }

  /** Test-only: a version's data. */
  readKv(mount: string, path: string, version?: number): Record<string, unknown> | undefined {
    const s = this.kv.get(mount)?.get(path);
    if (!s) return undefined;
    return s.versions.get(version ?? s.currentVersion)?.data;
  }
}
