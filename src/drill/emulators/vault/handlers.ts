import type { SpecOperation } from '../github/spec.js';
import { EmulatorHttpError, type HandlerInput, type HandlerOutput } from '../openapi/http-emulator.js';
import type { KvSecret, VaultState } from './state.js';

/**
 * Vault HTTP API handlers, written from Vault's API documentation (KV v2 secrets engine, token auth
 * method, /sys/leases). Responses use Vault's envelope; the spec subset describes its `data`.
 */

type In = HandlerInput<VaultState>;

let requestSeq = 0;
export function envelope(data: unknown): Record<string, unknown> {
  return { request_id: `emu-${++requestSeq}`, lease_id: '', renewable: false, lease_duration: 0, data, wrap_info: null, warnings: null, auth: null, mount_type: '' };
}

export const vaultError = (status: number, ...errors: string[]) => new EmulatorHttpError(status, { errors });

function kvSecret(input: In, create = false): { store: Map<string, KvSecret>; path: string; secret: KvSecret | undefined } {
  const mount = String(input.params.kv_v2_mount_path);
  const store = input.state.kv.get(mount);
  // Vault answers an unmounted path with 403 "permission denied" for most tokens, 404 for root.
  if (!store) throw vaultError(404, `no handler for route "${mount}/data/${String(input.params.path)}". route entry not found.`);
  const path = String(input.params.path);
  const secret = store.get(path);
  if (!secret && !create) throw vaultError(404);
  return { store, path, secret };
}

function versionMeta(s: KvSecret, v: number) {
  const ver = s.versions.get(v)!;
  return { created_time: ver.createdTime, custom_metadata: s.customMetadata ?? {}, deletion_time: ver.deletionTime, destroyed: ver.destroyed, version: v };
}

const CUSTOM_METADATA_LIMITS = { keys: 64, keyBytes: 128, valueBytes: 512 };

export const VAULT_HANDLERS: Record<string, (input: In) => HandlerOutput> = {
  'kv-v2-read'(input) {
    const { secret } = kvSecret(input);
    const version = input.query.get('version') ? Number(input.query.get('version')) : secret!.currentVersion;
    const ver = secret!.versions.get(version);
    if (!ver || ver.destroyed || ver.deletionTime !== '') {
      // Vault answers a deleted or destroyed version with 404 and the metadata, without data.
      if (ver) return { status: 404, body: envelope({ data: null, metadata: versionMeta(secret!, version) }) };
      throw vaultError(404);
    }
    return { status: 200, body: envelope({ data: ver.data, metadata: versionMeta(secret!, version) }) };
  },

  'kv-v2-write'(input) {
    const { store, path, secret } = kvSecret(input, true);
    const body = input.body as { data?: Record<string, unknown>; options?: { cas?: number } };
    if (!body?.data || typeof body.data !== 'object') throw vaultError(400, 'no data provided');
    const cas = body.options?.cas;
    const current = secret?.currentVersion ?? 0;
    if (secret?.casRequired && cas === undefined) throw vaultError(400, 'check-and-set parameter required for this call');
    if (cas !== undefined && Number(cas) !== current) throw vaultError(400, 'check-and-set parameter did not match the current version');
    const at = input.state.now().toISOString();
    const s: KvSecret = secret ?? { versions: new Map(), currentVersion: 0, customMetadata: null, casRequired: false, maxVersions: 0, createdTime: at, updatedTime: at };
    store.set(path, s);
    s.currentVersion = current + 1;
    s.versions.set(s.currentVersion, { data: structuredClone(body.data), createdTime: at, deletionTime: '', destroyed: false });
    s.updatedTime = at;
    return { status: 200, body: envelope(versionMeta(s, s.currentVersion)) };
  },

  'kv-v2-read-metadata'(input) {
    const { secret: s } = kvSecret(input);
    const versions = Object.fromEntries([...s!.versions].map(([n, v]) => [String(n), { created_time: v.createdTime, deletion_time: v.deletionTime, destroyed: v.destroyed }]));
    return {
      status: 200,
      body: envelope({
        cas_required: s!.casRequired,
        created_time: s!.createdTime,
        current_version: s!.currentVersion,
        // Vault itself answers null when unset; the published description says object, and the client reads both.
        custom_metadata: s!.customMetadata ?? {},
        delete_version_after: '0s',
        max_versions: s!.maxVersions,
        oldest_version: Math.min(...s!.versions.keys()),
        updated_time: s!.updatedTime,
        versions,
      }),
    };
  },

  'kv-v2-write-metadata'(input) {
    const { secret: s } = kvSecret(input);
    const body = (input.body ?? {}) as { custom_metadata?: Record<string, unknown>; cas_required?: boolean; max_versions?: number };
    if (body.custom_metadata !== undefined) {
      const entries = Object.entries(body.custom_metadata);
      if (entries.length > CUSTOM_METADATA_LIMITS.keys) throw vaultError(400, `custom_metadata: ${entries.length} keys exceeds the limit of ${CUSTOM_METADATA_LIMITS.keys}`);
      for (const [k, v] of entries) {
        if (typeof v !== 'string') throw vaultError(400, `custom_metadata: value of ${k} is not a string`);
        if (Buffer.byteLength(k) > CUSTOM_METADATA_LIMITS.keyBytes || Buffer.byteLength(v) > CUSTOM_METADATA_LIMITS.valueBytes) throw vaultError(400, `custom_metadata: ${k} is too long`);
      }
      // POST replaces the whole map (PATCH would merge).
      s!.customMetadata = Object.fromEntries(entries) as Record<string, string>;
    }
    if (body.cas_required !== undefined) s!.casRequired = body.cas_required;
    if (body.max_versions !== undefined) s!.maxVersions = body.max_versions;
    s!.updatedTime = input.state.now().toISOString();
    return { status: 204 };
  },

  'token-look-up-self'(input) {
    const t = input.state.tokens.get(String(input.headers['x-vault-token']))!;
    return { status: 200, body: envelope(tokenInfo(t)) };
  },

  'token-look-up-accessor'(input) {
    const t = input.state.byAccessor(String((input.body as { accessor?: string })?.accessor ?? ''));
    if (!t) throw vaultError(400, 'invalid accessor');
    // Looked up by accessor, the token's id is not returned.
    return { status: 200, body: envelope({ ...tokenInfo(t), id: '' }) };
  },

  'token-revoke-accessor'(input) {
    const t = input.state.byAccessor(String((input.body as { accessor?: string })?.accessor ?? ''));
    if (!t) throw vaultError(400, 'invalid accessor');
    input.state.revokeToken(t.id);
    return { status: 204 };
  },

  'leases-look-up'(input) {
    const prefix = String(input.params.prefix).replace(/\/+$/, '');
    const keys = new Set<string>();
    for (const id of input.state.leases.keys()) {
      if (!id.startsWith(`${prefix}/`)) continue;
      const rest = id.slice(prefix.length + 1);
      const slash = rest.indexOf('/');
      keys.add(slash === -1 ? rest : `${rest.slice(0, slash + 1)}`);
    }
    if (keys.size === 0) throw vaultError(404);
    return { status: 200, body: envelope({ keys: [...keys].sort() }) };
  },

  'leases-revoke-lease-with-prefix'(input) {
    const prefix = String(input.params.prefix).replace(/\/+$/, '');
    for (const id of [...input.state.leases.keys()]) if (id === prefix || id.startsWith(`${prefix}/`)) input.state.leases.delete(id);
    return { status: 204 };
  },
};

function tokenInfo(t: { id: string; accessor: string; displayName: string; policies: string[]; path: string }) {
  return {
    accessor: t.accessor,
    creation_time: 1764000000,
    creation_ttl: 0,
    display_name: t.displayName,
    entity_id: '',
    expire_time: null,
    explicit_max_ttl: 0,
    id: t.id,
    meta: null,
    num_uses: 0,
    orphan: false,
    path: t.path,
    policies: t.policies,
    renewable: false,
    ttl: 0,
    type: 'service',
  };
}

/** The schemas describe Vault's `data` member; a 204 has no body. */
export function vaultSchemaBody(_op: SpecOperation, _status: number, body: unknown): unknown {
  return body && typeof body === 'object' && 'data' in body ? (body as { data: unknown }).data : body;
}

export function vaultAuthorise(token: string | undefined, state: VaultState): HandlerOutput | undefined {
  if (!token || !state.tokens.has(token)) return { status: 403, body: { errors: ['permission denied'] } };
  return undefined;
}
