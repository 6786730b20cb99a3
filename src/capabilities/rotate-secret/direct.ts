import { createHash } from 'node:crypto';
import { ConflictError, InputError, asError } from '../../core/errors.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import { fingerprint, sameSecret, verifyFingerprint } from '../../core/secret-fingerprint.js';
import type { StepContext } from '../../core/step.js';
import { formatTarget, type TargetRef } from '../../core/target.js';
import { checkGitHubValueSize, type GitHubSecretRef } from './github-secrets.js';
import type { RotateSecretPorts } from './ports.js';
import { CasMismatchError } from './vault-http.js';
import type { ValuePolicy } from './value-policy.js';

/**
 * rotate-secret on stores without staging labels: GitHub Actions secrets, Vault KV v2, and the
 * revocations the same incident step needs on Vault (a token by accessor, leases by prefix) and
 * Atlas (lock a database user out, drop an IP access-list entry).
 *
 * "Already done by this run" lives beside the thing changed, never only in the run's memory:
 *   GitHub     a variable ROTATION_MARKER_PREFIX + <NAME> holding the run's key hash (written after the secret)
 *   Vault KV   custom_metadata `firebreak-<hash>`: `pending:v<c>[:<fingerprint>]` before the write,
 *              `v<n>` after it; the write itself is check-and-set on version c
 *   Atlas      a label `firebreak-disabled` = hash, sent in the same PATCH as the password
 * Revocations are idempotent by nature: a token or entry already gone is reported, not re-done.
 */

export type DirectKind = 'github-secret' | 'vault-kv' | 'vault-token' | 'vault-leases' | 'atlas-disable' | 'atlas-access';

export interface DirectMeta {
  mode: 'direct';
  kind: DirectKind;
  /** The store's id for records and fingerprints (`vault:kv:secret/app`). */
  secretId: string;
  /** sha-256 of target and run, 16 hex: the rotation's idempotency key (not secret). */
  runHash: string;
  /** The rotation (or revocation) is already in place: only consumers are left. */
  done: boolean;
  rollback?: boolean;
  /** Vault: the version the change is based on (check-and-set) and the one rolled back to. */
  fromVersion?: number;
  toVersion?: number;
  /** Vault: a pending marker whose write is confirmed by its fingerprint; apply only records it. */
  confirmVersion?: number;
}

export interface DirectInput {
  target: TargetRef;
  jsonKey: string | undefined;
  createKey: boolean;
  policy: ValuePolicy | undefined;
  rollback: boolean;
  disable: boolean;
}

export interface DirectPlan {
  changes: Change[];
  unchanged: Unchanged[];
  warnings: string[];
  meta: DirectMeta;
}

export const DIRECT_KINDS = ['github:repo-secret', 'github:env-secret', 'vault:kv', 'vault:token-accessor', 'vault:lease-prefix', 'atlas:db-user', 'atlas:access-list-entry'] as const;

const MARKER_PREFIX = 'firebreak-';
const MARKERS_KEPT = 16;

export function directKind(target: TargetRef): DirectKind {
  const k = `${target.provider}:${target.kind}`;
  if (k === 'github:repo-secret' || k === 'github:env-secret') return 'github-secret';
  if (k === 'vault:kv') return 'vault-kv';
  if (k === 'vault:token-accessor') return 'vault-token';
  if (k === 'vault:lease-prefix') return 'vault-leases';
  if (k === 'atlas:db-user') return 'atlas-disable';
  return 'atlas-access';
}

/** Input rules per kind, before anything is read. */
export function checkDirectInput(input: DirectInput): void {
  const kind = directKind(input.target);
  const conflict = (message: string, field: string) => new InputError(message, { field, code: 'INPUT_CONFLICT' });
  if (input.policy?.alphabet === 'aws') throw new InputError('alphabet aws (GetRandomPassword) exists for aws:secret targets only', { field: 'alphabet', code: 'POLICY_IMPOSSIBLE' });
  if (input.disable && kind !== 'atlas-disable') throw conflict('disable applies to atlas:db-user targets only', 'disable');
  // Local alphabets are ASCII: characters are bytes.
  if (kind === 'github-secret' && input.policy) checkGitHubValueSize(input.policy.length);
  if (kind === 'vault-kv') {
    if (!input.rollback && !input.jsonKey) {
      throw new InputError('a Vault KV v2 secret is a map of keys: name the key to rotate with json-key (the other keys are kept)', { field: 'json-key', code: 'JSON_KEY_REQUIRED' });
    }
    return;
  }
  if (input.jsonKey || input.createKey) throw conflict(`json-key applies to aws:secret and vault:kv targets; ${formatTarget(input.target)} holds one value`, 'json-key');
  if (input.rollback) {
    const why =
      kind === 'github-secret'
        ? 'GitHub Actions secrets are write-only: GitHub never returns a value, so there is no previous one to restore. Rotate again instead.'
        : kind === 'atlas-disable'
          ? 'Atlas never returns a database user password: re-enable the user by rotating the secret the application reads (with atlas-user) to a new password.'
          : 'a revoked token, lease or access-list entry cannot be brought back by firebreak: issue a new one deliberately.';
    throw new InputError(`rollback is not possible for ${formatTarget(input.target)}: ${why}`, { field: 'rollback', code: 'ROLLBACK_IMPOSSIBLE' });
  }
  if (kind === 'atlas-disable' && !input.disable) {
    throw new InputError(
      'a new Atlas database user password has to land where the application reads it: rotate that secret (aws:secret) with atlas-user set to this user, or pass disable: true to lock the user out',
      { field: 'disable', code: 'INPUT_CONFLICT' },
    );
  }
}

/**
 * The run key of one rotation: a secret that holds several keys (JSON in Secrets Manager, a Vault KV
 * map) gets one rotation per key, so rotating a second key in the same run is not taken for a
 * re-run of the first.
 */
export function rotationRunKey(runKey: string, jsonKey: string | undefined): string {
  return jsonKey ? `${runKey}\u0000key:${jsonKey}` : runKey;
}

export function runHashOf(target: TargetRef, runKey: string): string {
  return createHash('sha256').update(`firebreak-rotate\u0000${formatTarget(target)}\u0000${runKey}`, 'utf8').digest('hex').slice(0, 16);
}

function githubRef(target: TargetRef, ports: RotateSecretPorts): GitHubSecretRef {
  const repo = target.scope.account ? { owner: target.scope.account.split('/')[0]!, repo: target.scope.account.split('/')[1]! } : ports.github?.repository;
  if (!repo) throw new InputError('no repository: give the target an @owner/repo scope, or run where GITHUB_REPOSITORY is set', { field: 'target', code: 'TARGET_INVALID' });
  if (target.kind === 'env-secret') {
    const [environment, name] = target.id.split('/') as [string, string];
    return { ...repo, environment, name: name.toUpperCase() };
  }
  return { ...repo, name: target.id.toUpperCase() };
}

function vaultPath(target: TargetRef): { mount: string; path: string } {
  const [mount, ...rest] = target.id.split('/');
  return { mount: mount!, path: rest.join('/') };
}

function atlasUser(target: TargetRef): { groupId: string; databaseName: string; username: string } {
  const slash = target.id.indexOf('/');
  return { groupId: target.scope.account!, databaseName: target.id.slice(0, slash), username: target.id.slice(slash + 1) };
}

function need<T>(port: T | undefined, what: string): T {
  if (!port) throw new InputError(`${what} is not configured for this run`, { field: 'target', code: 'PROVIDER_NOT_CONFIGURED', hint: 'See docs/responders/rotate-secret.md for the variables each provider needs.' });
  return port;
}

export async function planDirect(input: DirectInput, ports: RotateSecretPorts, runKey: string, ctx: StepContext): Promise<DirectPlan> {
  const kind = directKind(input.target);
  const label = formatTarget(input.target);
  const runHash = runHashOf(input.target, kind === 'vault-kv' ? rotationRunKey(runKey, input.jsonKey) : runKey);
  const changes: Change[] = [];
  const unchanged: Unchanged[] = [];
  const warnings: string[] = [];
  const meta: DirectMeta = { mode: 'direct', kind, secretId: label, runHash, done: false };
  const notFound = (what: string) =>
    new InputError(`${what} does not exist (or this identity may not see it)`, { field: 'target', code: 'SECRET_NOT_FOUND', hint: 'Check the name and the @scope of the target.' });

  if (kind === 'github-secret') {
    const gh = need(ports.github, 'GitHub (FIREBREAK_GITHUB_TOKEN, an App token with secrets: write)');
    const ref = githubRef(input.target, ports);
    if (!(await gh.secrets.describe(ref))) throw notFound(`GitHub secret ${ref.name}${ref.environment ? ` of environment ${ref.environment}` : ''} in ${ref.owner}/${ref.repo}`);
    const marker = await gh.secrets.readMarker(ref);
    if (marker?.split(' ')[0] === runHash) {
      meta.done = true;
      unchanged.push({ target: label, subject: ref.name, reason: `already rotated by this run (rotation ${runHash}); pass a new rotation-id to rotate again` });
    } else {
      changes.push({ target: label, action: 'rotate', subject: ref.name, detail: { repository: `${ref.owner}/${ref.repo}`, ...(ref.environment ? { environment: ref.environment } : {}), rotation: runHash, length: input.policy!.length, alphabet: input.policy!.alphabet } });
    }
    return { changes, unchanged, warnings, meta };
  }

  if (kind === 'vault-kv') {
    const vault = need(ports.vault, 'Vault (VAULT_ADDR, VAULT_TOKEN)');
    const { mount, path } = vaultPath(input.target);
    const md = await vault.kvMetadata(mount, path);
    if (!md) throw notFound(`Vault KV v2 secret ${mount}/${path}`);
    const cur = md.versions.get(md.currentVersion);
    if (md.currentVersion === 0 || !cur || cur.deleted || cur.destroyed) {
      throw new InputError(`Vault secret ${mount}/${path}: its current version ${md.currentVersion} is deleted or destroyed`, { field: 'target', code: 'SECRET_NO_CURRENT', hint: 'Undelete it (vault kv undelete) or write a version first.' });
    }
    const markerKey = `${MARKER_PREFIX}${input.rollback ? 'rb-' : ''}${runHash}`;
    const marker = md.customMetadata[markerKey];
    const doneVersion = /^v(\d+)$/.exec(marker ?? '')?.[1];
    meta.fromVersion = md.currentVersion;
    if (doneVersion) {
      meta.done = true;
      unchanged.push({ target: label, subject: `${mount}/${path}`, reason: `already ${input.rollback ? 'rolled back' : 'rotated'} by this run: version ${doneVersion} (rotation ${runHash}); pass a new rotation-id to do it again` });
      return { changes, unchanged, warnings, meta };
    }
    if (input.rollback) {
      const prev = md.currentVersion - 1;
      const p = md.versions.get(prev);
      if (prev < 1 || !p || p.deleted || p.destroyed) throw new InputError(`Vault secret ${mount}/${path} has no readable version before ${md.currentVersion} to roll back to`, { field: 'rollback', code: 'NO_PREVIOUS_VERSION' });
      meta.rollback = true;
      meta.toVersion = prev;
      changes.push({ target: label, action: 'rollback', subject: `${mount}/${path}`, detail: { fromVersion: md.currentVersion, restoresDataOf: prev, newVersion: md.currentVersion + 1 } });
      return { changes, unchanged, warnings, meta };
    }
    const pending = /^pending:v(\d+)(?::(\S+))?$/.exec(marker ?? '');
    if (pending && Number(pending[1]) !== md.currentVersion) {
      // The earlier attempt of this run marked "about to write on version c"; the secret moved on.
      const c = Number(pending[1]);
      const next = await vault.kvRead(mount, path, c + 1).catch(() => undefined);
      const value = next?.data[input.jsonKey!];
      const mine = pending[2] && ports.fingerprintKey && typeof value === 'string' ? verifyFingerprint(value, pending[2], ports.fingerprintKey, label, `v${c + 1}`) : undefined;
      if (mine === true) {
        registerValue(ctx, value as string);
        meta.done = true;
        meta.confirmVersion = c + 1;
        changes.push({ target: label, action: 'finish', subject: `${mount}/${path} key ${input.jsonKey}`, detail: { version: c + 1, step: 'record the rotation an earlier attempt of this run wrote' } });
        return { changes, unchanged, warnings, meta };
      }
      // mine === false: version c+1 is someone else's write (ours was refused by check-and-set), so
      // this run has written nothing yet and rotates from the current version below.
      if (mine === false) warnings.push(`An earlier attempt of this rotation was refused at version ${c}; version ${c + 1} is another writer's. Rotating from version ${md.currentVersion}.`);
      else throw new ConflictError(`Vault secret ${mount}/${path}: an earlier attempt of this rotation was about to write on version ${c}, and the secret is now at version ${md.currentVersion}; firebreak cannot tell whether version ${c + 1} is its write`, {
        code: 'ROTATION_UNKNOWN',
        hint: `Check versions ${c + 1}..${md.currentVersion} (vault kv metadata get ${mount}/${path}); then rotate with a new rotation-id. Configure FIREBREAK_FINGERPRINT_KEY so firebreak can recognise its own write.`,
      });
    }
    const data = (await vault.kvRead(mount, path, md.currentVersion)).data;
    for (const v of Object.values(data)) if (typeof v === 'string') registerValue(ctx, v);
    const old = data[input.jsonKey!];
    if (old === undefined && !input.createKey) {
      throw new InputError(`Vault secret ${mount}/${path} has no key ${JSON.stringify(input.jsonKey)}`, { field: 'json-key', code: 'JSON_KEY_MISSING', hint: `Keys are case-sensitive; set create-key: true to add it.` });
    }
    if (old !== undefined && typeof old !== 'string') throw new InputError(`the key ${JSON.stringify(input.jsonKey)} holds a ${Array.isArray(old) ? 'list' : typeof old}, not a string; rotating would change its type`, { field: 'json-key', code: 'JSON_KEY_NOT_STRING' });
    changes.push({ target: label, action: 'rotate', subject: `${mount}/${path} key ${input.jsonKey}`, detail: { fromVersion: md.currentVersion, newVersion: md.currentVersion + 1, cas: md.currentVersion, keptKeys: Object.keys(data).filter((k) => k !== input.jsonKey).length, rotation: runHash } });
    return { changes, unchanged, warnings, meta };
  }

  if (kind === 'vault-token') {
    const vault = need(ports.vault, 'Vault (VAULT_ADDR, VAULT_TOKEN)');
    const self = await vault.lookupSelfAccessor();
    if (self === input.target.id) {
      throw new InputError('that accessor is the responder token this run uses: revoking it would cut off the response (this is what revoke-self does)', { field: 'target', code: 'REVOKE_SELF', hint: 'Revoke it from another identity after the incident, or let it expire.' });
    }
    const info = await vault.lookupAccessor(input.target.id);
    if (!info) {
      warnings.push(`Vault knows no token with accessor ${input.target.id}: it was revoked already, expired, or the accessor is mistyped.`);
      unchanged.push({ target: label, subject: input.target.id, reason: 'no live token with this accessor' });
      meta.done = true;
    } else {
      changes.push({ target: label, action: 'revoke', subject: input.target.id, detail: { displayName: info.displayName, path: info.path, policies: info.policies, children: 'revoked with it' } });
    }
    return { changes, unchanged, warnings, meta };
  }

  if (kind === 'vault-leases') {
    const vault = need(ports.vault, 'Vault (VAULT_ADDR, VAULT_TOKEN)');
    const leases = await vault.listLeases(input.target.id);
    if (leases.length === 0) {
      unchanged.push({ target: label, subject: input.target.id, reason: 'no leases under this prefix' });
      meta.done = true;
    } else {
      changes.push({ target: label, action: 'revoke', subject: input.target.id, detail: { entries: leases.length } });
    }
    return { changes, unchanged, warnings, meta };
  }

  if (kind === 'atlas-disable') {
    const atlas = need(ports.atlas, 'Atlas (FIREBREAK_ATLAS_CLIENT_ID, FIREBREAK_ATLAS_CLIENT_SECRET)');
    const u = atlasUser(input.target);
    const user = await atlas.getUser(u.groupId, u.databaseName, u.username);
    if (!user) throw notFound(`Atlas database user ${u.databaseName}/${u.username} in project ${u.groupId}`);
    if (user.labels.some((l) => l.key === 'firebreak-disabled' && l.value === runHash)) {
      meta.done = true;
      unchanged.push({ target: label, subject: `${u.databaseName}/${u.username}`, reason: `already locked out by this run (rotation ${runHash})` });
    } else {
      changes.push({ target: label, action: 'disable', subject: `${u.databaseName}/${u.username}`, detail: { project: u.groupId, how: 'password replaced by a random one nobody is given', rotation: runHash } });
    }
    return { changes, unchanged, warnings, meta };
  }

  const atlas = need(ports.atlas, 'Atlas (FIREBREAK_ATLAS_CLIENT_ID, FIREBREAK_ATLAS_CLIENT_SECRET)');
  const groupId = input.target.scope.account!;
  const entry = await atlas.getAccessEntry(groupId, input.target.id);
  if (!entry) {
    warnings.push(`${input.target.id} is not in the IP access list of project ${groupId}: removed already, or never there.`);
    unchanged.push({ target: label, subject: input.target.id, reason: 'not in the access list' });
    meta.done = true;
  } else {
    changes.push({ target: label, action: 'remove', subject: input.target.id, detail: { project: groupId, ...(entry.comment ? { comment: entry.comment } : {}) } });
  }
  return { changes, unchanged, warnings, meta };
}

export function registerValue(ctx: StepContext, value: string | undefined): void {
  if (value === undefined) return;
  ctx.redactor.register(value);
  ctx.redactor.register(Buffer.from(value, 'utf8').toString('hex'));
  ctx.redactor.register(Buffer.from(value, 'utf8').toString('base64url'));
  ctx.redactor.register(JSON.stringify(value).slice(1, -1));
}

type Out = (action: string, status: Outcome['status'], reason?: string) => Outcome;

export async function applyDirect(meta: DirectMeta, input: DirectInput, ports: RotateSecretPorts, ctx: StepContext, out: Out, generate: () => Promise<string>): Promise<Outcome[]> {
  const why = (e: unknown) => ctx.redactor.scrub(asError(e).message);
  const fp = (value: string, version: string) => (ports.fingerprintKey ? `; fingerprint ${fingerprint(value, ports.fingerprintKey, meta.secretId, version)}` : '');
  const fresh = async () => {
    const v = await generate();
    registerValue(ctx, v);
    return v;
  };

  if (meta.kind === 'github-secret') {
    const gh = ports.github!;
    const ref = githubRef(input.target, ports);
    let value: string;
    try {
      value = await fresh();
      checkGitHubValueSize(Buffer.byteLength(value, 'utf8'));
      await gh.secrets.put(ref, value);
    } catch (e) {
      return [out('rotate', 'failed', `secret not written: ${why(e)}`)];
    }
    const at = (await gh.secrets.describe(ref).catch(() => undefined))?.updatedAt ?? 'unknown';
    try {
      await gh.secrets.writeMarker(ref, `${meta.runHash} ${at}`);
    } catch (e) {
      return [
        out('rotate', 'applied', `secret ${ref.name} written (updated_at ${at})${fp(value, at)}`),
        out('record', 'failed', `the run marker variable was not written: ${why(e)}. A re-run would rotate again (harmless for a write-only secret, but consumers restarted since would need another restart).`),
      ];
    }
    return [out('rotate', 'applied', `secret ${ref.name} written (updated_at ${at})${fp(value, at)}; GitHub keeps no previous value`)];
  }

  if (meta.kind === 'vault-kv') return applyVaultKv(meta, input, ports, ctx, out, fresh, fp, why);

  if (meta.kind === 'vault-token') {
    try {
      await ports.vault!.revokeAccessor(input.target.id);
    } catch (e) {
      return [out('revoke', 'failed', `token not revoked: ${why(e)}`)];
    }
    const still = await ports.vault!.lookupAccessor(input.target.id).catch(() => 'unknown' as const);
    if (still) return [out('revoke', 'failed', `read back: the token with accessor ${input.target.id} ${still === 'unknown' ? 'could not be looked up' : 'is still live'}`)];
    return [out('revoke', 'applied', `token with accessor ${input.target.id} and its child tokens revoked`)];
  }

  if (meta.kind === 'vault-leases') {
    try {
      await ports.vault!.revokePrefix(input.target.id);
    } catch (e) {
      return [out('revoke', 'failed', `leases not revoked: ${why(e)}`)];
    }
    const left = await ports.vault!.listLeases(input.target.id).catch(() => ['unknown']);
    if (left.length > 0) return [out('revoke', 'failed', `read back: ${left.length} lease entries are still under ${input.target.id}`)];
    return [out('revoke', 'applied', `every lease under ${input.target.id} revoked`)];
  }

  if (meta.kind === 'atlas-disable') {
    const u = atlasUser(input.target);
    try {
      const user = await ports.atlas!.getUser(u.groupId, u.databaseName, u.username);
      if (!user) return [out('disable', 'failed', 'the database user disappeared since the plan; nothing changed')];
      const value = await fresh();
      const labels = [...user.labels.filter((l) => l.key !== 'firebreak-disabled'), { key: 'firebreak-disabled', value: meta.runHash }];
      // Password and label in one PATCH: the label says "done" exactly when the password changed.
      await ports.atlas!.updateUser(u.groupId, u.databaseName, u.username, { password: value, labels }, user);
    } catch (e) {
      return [out('disable', 'failed', `user not locked out: ${why(e)}`)];
    }
    return [out('disable', 'applied', `password replaced by a random one nobody holds; label firebreak-disabled=${meta.runHash}. Re-enable by rotating the application's secret with atlas-user.`)];
  }

  const groupId = input.target.scope.account!;
  try {
    const removed = await ports.atlas!.deleteAccessEntry(groupId, input.target.id);
    return [out('remove', removed ? 'applied' : 'already', removed ? `removed from the IP access list of project ${groupId}; open connections from it may stay up for a while` : 'it was removed by someone else since the plan')];
  } catch (e) {
    return [out('remove', 'failed', `entry not removed: ${why(e)}`)];
  }
}

async function applyVaultKv(
  meta: DirectMeta,
  input: DirectInput,
  ports: RotateSecretPorts,
  ctx: StepContext,
  out: Out,
  fresh: () => Promise<string>,
  fp: (value: string, version: string) => string,
  why: (e: unknown) => string,
): Promise<Outcome[]> {
  const vault = ports.vault!;
  const { mount, path } = vaultPath(input.target);
  const c = meta.fromVersion!;
  const markerKey = `${MARKER_PREFIX}${meta.rollback ? 'rb-' : ''}${meta.runHash}`;
  const mark = async (value: string) => {
    const md = await vault.kvMetadata(mount, path);
    const custom = { ...(md?.customMetadata ?? {}), [markerKey]: value };
    // Vault allows 64 custom_metadata keys: keep the newest firebreak markers, never others' keys.
    const ours = Object.keys(custom).filter((k) => k.startsWith(MARKER_PREFIX) && k !== markerKey);
    const version = (k: string) => Number(/v(\d+)/.exec(custom[k] ?? '')?.[1] ?? 0);
    for (const k of ours.sort((a, b) => version(b) - version(a)).slice(MARKERS_KEPT - 1)) delete custom[k];
    await vault.kvWriteCustomMetadata(mount, path, custom);
  };

  if (meta.confirmVersion !== undefined) {
    try {
      await mark(`v${meta.confirmVersion}`);
      return [out('finish', 'applied', `version ${meta.confirmVersion} is this rotation's write (its fingerprint matches); recorded`)];
    } catch (e) {
      return [out('finish', 'failed', `could not record version ${meta.confirmVersion}: ${why(e)}`)];
    }
  }

  let data: Record<string, unknown>;
  let value: string;
  const action = meta.rollback ? 'rollback' : 'rotate';
  try {
    if (meta.rollback) {
      data = (await vault.kvRead(mount, path, meta.toVersion!)).data;
      for (const v of Object.values(data)) if (typeof v === 'string') registerValue(ctx, v);
      value = '';
    } else {
      const current = (await vault.kvRead(mount, path, c)).data;
      for (const v of Object.values(current)) if (typeof v === 'string') registerValue(ctx, v);
      value = await fresh();
      data = { ...current, [input.jsonKey!]: value };
      // Before the write: an interrupted run can tell its own write from someone else's.
      await mark(`pending:v${c}${ports.fingerprintKey ? `:${fingerprint(value, ports.fingerprintKey, meta.secretId, `v${c + 1}`)}` : ''}`);
    }
  } catch (e) {
    return [out(action, 'failed', `nothing written: ${why(e)}`)];
  }
  let written: number;
  try {
    written = await vault.kvWrite(mount, path, data, c);
  } catch (e) {
    const moved = e instanceof CasMismatchError;
    return [out(action, 'failed', moved ? `the secret moved past version ${c} since the plan (check-and-set refused the write); nothing written. Re-run to rotate from the new version.` : `version ${c} is still current; the write failed: ${why(e)}`)];
  }
  const done = meta.rollback
    ? `version ${written} holds the data of version ${meta.toVersion}; version ${c} kept`
    : `version ${written} is current${fp(value, `v${written}`)}; version ${c} kept as the previous one; every other key unchanged`;
  try {
    const back = await vault.kvRead(mount, path, written);
    const same = meta.rollback ? JSON.stringify(back.data) === JSON.stringify(data) : sameSecret(String(back.data[input.jsonKey!] ?? ''), value) && Object.keys(back.data).length === Object.keys(data).length;
    if (!same) return [out(action, 'failed', `read back: version ${written} does not hold what this run wrote`)];
  } catch (e) {
    return [out(action, 'failed', `version ${written} written, but the read back failed: ${why(e)}`)];
  }
  try {
    await mark(`v${written}`);
  } catch (e) {
    return [out(action, 'applied', done), out('record', 'failed', `the run marker was not updated: ${why(e)}. A re-run recognises version ${written} by its fingerprint when a fingerprint key is configured.`)];
  }
  return [out(action, 'applied', done)];
}
