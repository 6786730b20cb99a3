import { createHash } from 'node:crypto';
import { ConflictError, InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome, Plan, Unchanged } from '../../core/plan.js';
import { fingerprint, sameSecret } from '../../core/secret-fingerprint.js';
import type { StepContext, StepDefinition } from '../../core/step.js';
import { formatTarget, parseTarget, type TargetRef } from '../../core/target.js';
import { parseConsumers, planConsumers, restartConsumers, type Consumer } from './consumers.js';
import { applyDirect, checkDirectInput, DIRECT_KINDS, planDirect, registerValue, rotationRunKey, runHashOf, type DirectMeta } from './direct.js';
import { rotateSecretInputs } from './inputs.js';
import { bytesBesidesKey, patchKey } from './json-key.js';
import { STAGE, type RotateSecretPorts, type SecretDescription, type SecretStore } from './ports.js';
import { checkPlacement, generateLocal, parsePolicy, type ValuePolicy } from './value-policy.js';

/**
 * rotate-secret: a new value from a policy, staged beside the current one, checked, then switched.
 *
 *   read AWSCURRENT (explicit stage) → PutSecretValue as AWSPENDING with a version id derived from
 *   the run → verification hook → move AWSCURRENT to it (the old one becomes AWSPREVIOUS) → drop
 *   AWSPENDING → read the stages and the value back.
 *
 * Re-runs: the version id is a hash of the secret and the run (rotation-id, else the workflow run,
 * else the incident), so a re-run finds its own version and finishes it instead of making another.
 * A pending version from a different run is refused, never overwritten.
 *
 * Rollback moves AWSCURRENT back to AWSPREVIOUS, marking the restored version with a label derived
 * from the run so that a re-run sees it already happened and does not flip the versions back.
 *
 * Values: generated in apply (never in a dry run), registered with the redactor with every encoding
 * before the first provider call that carries them, and kept only in memory; records get version ids
 * and keyed fingerprints (src/core/secret-fingerprint.ts).
 */

export const ROTATE_KINDS = ['aws:secret', ...DIRECT_KINDS] as const;

export interface RotateSecretInput {
  target: TargetRef;
  jsonKey: string | undefined;
  createKey: boolean;
  policy: ValuePolicy | undefined;
  rollback: boolean;
  rotationId: string | undefined;
  /** atlas:db-user only: lock out instead of handing out a new password. */
  disable: boolean;
  /** aws:secret only: the Atlas database user whose password the new value becomes (set between stage and promote). */
  atlasUser: TargetRef | undefined;
  /** ECS services restarted once the new value is current. */
  consumers: Consumer[];
  restartTimeoutMs: number;
}

type StepMeta = RotateMeta | DirectMeta;

interface RotateMeta {
  mode: 'rotate' | 'finish' | 'rollback';
  secretId: string;
  name: string;
  /** The version this run writes (rotate/finish) or restores (rollback). */
  versionId: string;
  /** AWSCURRENT when the plan was made. */
  fromVersionId: string;
  /** finish: the version already holds AWSCURRENT; only AWSPENDING is left to drop. */
  promoted?: boolean;
  /** Nothing left to do for the secret itself (a re-run that only restarts consumers). */
  rotationDone?: boolean;
  rollbackLabel?: string;
  marked?: boolean;
}

/** Values of one run, kept out of the plan (which is audited) and dropped with it. */
interface Secrets {
  previousText?: string;
  previousValue?: string;
  newText?: string;
  newValue?: string;
}
const memory = new WeakMap<Plan<StepMeta>, Secrets>();

const NAME = 'rotate-secret';

export const rotateSecretStep: StepDefinition<RotateSecretInput, RotateSecretPorts, StepMeta> = {
  name: NAME,
  description: 'Rotate a secret to a new generated value (staged, verified, promoted; previous kept), revoke a Vault token or leases, lock out an Atlas user, restart the services that read it; or roll back',

  parse(raw) {
    const v = readInputs(rotateSecretInputs, raw);
    const target = parseTarget(v.target, { kinds: ROTATE_KINDS });
    const consumers = parseConsumers(v.restartServices);
    if (!/^\d{1,2}$/.test(v.restartTimeoutMinutes) || Number(v.restartTimeoutMinutes) < 1 || Number(v.restartTimeoutMinutes) > 20) {
      throw new InputError('restart-timeout-minutes must be a whole number from 1 to 20', { field: 'restart-timeout-minutes', code: 'INPUT_INVALID' });
    }
    const atlasUser = v.atlasUser ? parseTarget(v.atlasUser, { field: 'atlas-user', kinds: ['atlas:db-user'] }) : undefined;
    if (atlasUser && target.provider !== 'aws') {
      throw new InputError('atlas-user needs an aws:secret target: the new password is staged there, set on the user, then promoted', { field: 'atlas-user', code: 'INPUT_CONFLICT' });
    }
    if (atlasUser && !atlasUser.scope.account) throw new InputError('atlas-user needs its project: atlas:db-user:DB/USER@PROJECT_ID', { field: 'atlas-user', code: 'TARGET_INVALID' });
    if (target.provider === 'aws' && v.disable) {
      throw new InputError('disable applies to atlas:db-user targets only', { field: 'disable', code: 'INPUT_CONFLICT' });
    }
    if (target.provider === 'atlas' && !target.scope.account) throw new InputError('an Atlas target needs its project: @PROJECT_ID (24 hex)', { field: 'target', code: 'TARGET_INVALID' });
    const base = { target, rotationId: v.rotationId, disable: v.disable, atlasUser, consumers, restartTimeoutMs: Number(v.restartTimeoutMinutes) * 60_000 };
    if (v.rollback) {
      if ((v.jsonKey || v.createKey) && target.provider === 'aws') {
        throw new InputError('rollback restores the whole previous version; json-key and create-key do not apply', { field: 'rollback', code: 'INPUT_CONFLICT' });
      }
      if (atlasUser) throw new InputError('rollback cannot restore an Atlas password (Atlas never returns one); rotate again instead', { field: 'atlas-user', code: 'ROLLBACK_IMPOSSIBLE' });
      const input = { ...base, jsonKey: undefined, createKey: false, policy: undefined, rollback: true };
      if (target.provider !== 'aws') checkDirectInput(input);
      return input;
    }
    if (v.createKey && !v.jsonKey) throw new InputError('create-key needs json-key: the key to add', { field: 'create-key', code: 'INPUT_CONFLICT' });
    const policy = parsePolicy({ length: v.length, alphabet: v.alphabet, bytes: v.bytes, excludeCharacters: v.excludeCharacters, excludePunctuation: v.excludePunctuation });
    if (!v.jsonKey && target.provider === 'aws') checkPlacement(policy, { otherBytes: 0, jsonKey: false });
    const input = { ...base, jsonKey: v.jsonKey, createKey: v.createKey, policy, rollback: false };
    if (target.provider !== 'aws') checkDirectInput(input);
    return input;
  },

  async plan(input, ports, ctx) {
    const runKey = runKeyOf(input, ctx);
    // Consumers first: a missing service is bad input, refused before any secret is read.
    const restarts = await planConsumers(input.consumers, ports);
    if (input.target.provider !== 'aws') {
      const direct = await planDirect(input, ports, runKey, ctx);
      if (!ports.fingerprintKey && direct.changes.some((c) => c.action === 'rotate')) direct.warnings.push('No fingerprint key configured: records carry version ids only, no fingerprints.');
      const plan: Plan<StepMeta> = { step: NAME, changes: [...direct.changes, ...restarts], unchanged: direct.unchanged, warnings: direct.warnings, meta: direct.meta };
      memory.set(plan, {});
      return plan;
    }
    const store = ports.store(input.target);
    const desc = await store.describe(input.target.id);
    const current = withStage(desc, STAGE.current);
    if (!current) throw new InputError(`secret ${desc.name} has no AWSCURRENT version`, { field: 'target', code: 'SECRET_NO_CURRENT' });
    const label = targetLabel(input.target, desc);
    const warnings: string[] = [];
    if (!ports.fingerprintKey) warnings.push('No fingerprint key configured: records carry version ids only, no fingerprints.');
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const secrets: Secrets = {};
    let meta: RotateMeta;

    if (input.rollback) {
      const rollbackLabel = `fb-rollback-${digest(`${desc.id}\u0000${runKey}`).slice(0, 24)}`;
      const marked = desc.versions.find((v) => v.stages.includes(rollbackLabel));
      const previous = withStage(desc, STAGE.previous);
      const to = marked ?? previous;
      if (!to) throw new InputError(`secret ${desc.name} has no AWSPREVIOUS version to roll back to`, { field: 'rollback', code: 'NO_PREVIOUS_VERSION' });
      meta = { mode: 'rollback', secretId: desc.id, name: desc.name, versionId: to.id, fromVersionId: current.id, rollbackLabel, marked: marked !== undefined };
      if (to.id === current.id) {
        unchanged.push({ target: label, subject: desc.name, reason: `already rolled back by this run: version ${to.id} is AWSCURRENT` });
      } else {
        changes.push({ target: label, action: 'rollback', subject: desc.name, detail: { secret: desc.id, toVersionId: to.id, fromVersionId: current.id } });
        const pending = pendingElsewhere(desc);
        if (pending) warnings.push(`Version ${pending.id} is still AWSPENDING; rollback leaves it as it is.`);
      }
    } else {
      const versionId = rotationToken(desc.id, rotationRunKey(runKey, input.jsonKey));
      const mine = desc.versions.find((v) => v.id === versionId);
      const pending = pendingElsewhere(desc);
      if (mine?.stages.includes(STAGE.current)) {
        meta = { mode: 'finish', secretId: desc.id, name: desc.name, versionId, fromVersionId: current.id, promoted: true };
        if (mine.stages.includes(STAGE.pending)) changes.push({ target: label, action: 'finish', subject: desc.name, detail: { secret: desc.id, versionId, step: 'drop AWSPENDING' } });
        else unchanged.push({ target: label, subject: desc.name, reason: `already rotated by this run: version ${versionId} is AWSCURRENT (pass a new rotation-id to rotate again)` });
      } else if (mine?.stages.includes(STAGE.pending)) {
        meta = { mode: 'finish', secretId: desc.id, name: desc.name, versionId, fromVersionId: current.id };
        changes.push({ target: label, action: 'promote', subject: desc.name, detail: { secret: desc.id, versionId, fromVersionId: current.id, reuse: 'staged by an earlier attempt of this rotation' } });
      } else if (mine) {
        throw new ConflictError(
          `secret ${desc.name}: version ${versionId} of this rotation is no longer current or pending (labels: ${mine.stages.join(', ') || 'none'}); it was rolled back or replaced`,
          { code: 'ROTATION_SUPERSEDED', hint: 'To rotate again, run with a new rotation-id.' },
        );
      } else if (pending) {
        throw new ConflictError(`secret ${desc.name}: another rotation is in progress (version ${pending.id} is AWSPENDING and was not staged by this run)`, {
          code: 'ROTATION_PENDING',
          hint:
            `Finish that rotation by re-running it (same workflow run or rotation-id), or abandon it: ` +
            `aws secretsmanager update-secret-version-stage --secret-id ${desc.id} --version-stage AWSPENDING --remove-from-version-id ${pending.id}; then run this again.`,
        });
      } else {
        const now = await store.readStage(desc.id, STAGE.current);
        ctx.redactor.register(now.text);
        secrets.previousText = now.text;
        secrets.previousValue = now.text;
        const policy = input.policy!;
        if (input.jsonKey) {
          // Validates before anything changes: JSON object, key present (or create-key), a string.
          patchKey(now.text, input.jsonKey, '', { create: input.createKey });
          const old = (JSON.parse(now.text) as Record<string, unknown>)[input.jsonKey];
          secrets.previousValue = typeof old === 'string' ? old : undefined;
          registerEncodings(ctx, secrets.previousValue);
          checkPlacement(policy, { otherBytes: bytesBesidesKey(now.text, input.jsonKey), jsonKey: true });
        } else {
          registerEncodings(ctx, now.text);
        }
        meta = { mode: 'rotate', secretId: desc.id, name: desc.name, versionId, fromVersionId: now.versionId || current.id };
        changes.push({
          target: label,
          action: 'rotate',
          subject: input.jsonKey ? `${desc.name} key ${input.jsonKey}` : desc.name,
          detail: { secret: desc.id, newVersionId: versionId, fromVersionId: meta.fromVersionId, length: policy.length, alphabet: policy.alphabet, ...(input.jsonKey ? { jsonKey: input.jsonKey } : {}) },
        });
      }
    }
    if (input.atlasUser) {
      const atlas = ports.atlas;
      if (!atlas) throw new InputError('atlas-user needs Atlas credentials (FIREBREAK_ATLAS_CLIENT_ID, FIREBREAK_ATLAS_CLIENT_SECRET)', { field: 'atlas-user', code: 'PROVIDER_NOT_CONFIGURED' });
      const u = input.atlasUser;
      const slash = u.id.indexOf('/');
      if (!(await atlas.getUser(u.scope.account!, u.id.slice(0, slash), u.id.slice(slash + 1)))) {
        throw new InputError(`Atlas database user ${u.id} does not exist in project ${u.scope.account}`, { field: 'atlas-user', code: 'SECRET_NOT_FOUND' });
      }
    }
    if (changes.length === 0) meta.rotationDone = true;
    const plan: Plan<StepMeta> = { step: NAME, changes: [...changes, ...restarts], unchanged, warnings, meta };
    memory.set(plan, secrets);
    return plan;
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    let rotation: Outcome[];
    if (meta.mode === 'direct') {
      const out = (action: string, status: Outcome['status'], reason?: string): Outcome => ({ target: plan.changes[0]!.target, action, subject: plan.changes[0]!.subject, status, ...(reason ? { reason: ctx.redactor.scrub(reason) } : {}) });
      rotation = meta.done && meta.confirmVersion === undefined ? [] : await applyDirect(meta, input, ports, ctx, out, () => generateValue(input, ports, undefined));
    } else if (meta.rotationDone) {
      rotation = [];
    } else {
      rotation = await readBack(plan as Plan<RotateMeta>, await applyAws(plan as Plan<RotateMeta>, input, ports, ctx), input, ports, ctx);
    }
    if (input.consumers.length === 0) return rotation;
    const failed = rotation.find((o) => o.status === 'failed');
    if (failed) {
      return [...rotation, ...input.consumers.map((c) => ({ target: `aws:ecs-service:${c.cluster}/${c.service}`, action: 'restart', subject: `${c.cluster}/${c.service}`, status: 'skipped' as const, reason: `not restarted: ${failed.action} failed, so the new value is not current` }))];
    }
    const because = rotation.length === 0 ? 'the secret was already rotated by this run' : 'the new value is current';
    return [...rotation, ...(await restartConsumers(input.consumers, ports, ctx, input.restartTimeoutMs, because))];
  },
};

/** The new value: a test's canary, the provider's generator (alphabet aws), or a local one. */
async function generateValue(input: RotateSecretInput, ports: RotateSecretPorts, store: SecretStore | undefined): Promise<string> {
  const policy = input.policy!;
  if (ports.generate) return ports.generate(policy);
  if (policy.alphabet === 'aws') {
    if (!store) throw new InputError('alphabet aws is available for aws:secret targets only', { field: 'alphabet', code: 'POLICY_IMPOSSIBLE' });
    return requireRandom(store, policy);
  }
  return generateLocal(policy);
}

async function applyAws(plan: Plan<RotateMeta>, input: RotateSecretInput, ports: RotateSecretPorts, ctx: StepContext): Promise<Outcome[]> {
  {
    const meta = plan.meta!;
    const store = ports.store(input.target);
    const target = plan.changes[0]!.target;
    const subject = plan.changes[0]!.subject;
    const secrets = memory.get(plan) ?? {};
    memory.set(plan, secrets);
    const out = (action: string, status: Outcome['status'], reason?: string): Outcome => ({ target, action, subject, status, ...(reason ? { reason: ctx.redactor.scrub(reason) } : {}) });
    const why = (e: unknown) => ctx.redactor.scrub(asError(e).message);

    if (meta.mode === 'rollback') return applyRollback(meta, store, out, why);

    if (meta.mode === 'rotate') {
      let value: string;
      try {
        value = await generateValue(input, ports, store);
      } catch (e) {
        return [out('stage', 'failed', `no value generated, nothing written: ${why(e)}`)];
      }
      registerEncodings(ctx, value);
      secrets.newValue = value;
      let text: string;
      try {
        // Re-read right before writing: the JSON patched is the latest, and a rotation by someone
        // else since the plan is caught instead of overwritten.
        const fresh = await store.readStage(meta.secretId, STAGE.current);
        ctx.redactor.register(fresh.text);
        if (fresh.versionId && fresh.versionId !== meta.fromVersionId) {
          return [out('stage', 'failed', `AWSCURRENT moved from ${meta.fromVersionId} to ${fresh.versionId} since the plan; nothing written. Re-run to rotate from the new version.`)];
        }
        text = input.jsonKey ? patchKey(fresh.text, input.jsonKey, value, { create: input.createKey }) : value;
        registerEncodings(ctx, text);
        secrets.previousText = fresh.text;
        secrets.newText = text;
        if (Buffer.byteLength(text, 'utf8') > 65536) return [out('stage', 'failed', `the new secret is over 65536 bytes; nothing written`)];
        // PutSecretValue with AWSPENDING silently takes the label from another version: a rotation
        // started by someone else since the plan would lose its staged value.
        const raced = pendingElsewhere(await store.describe(meta.secretId));
        if (raced) return [out('stage', 'failed', `version ${raced.id} became AWSPENDING since the plan (another rotation); nothing written. Finish or abandon it, then re-run.`)];
        await store.stage(meta.secretId, meta.versionId, text);
      } catch (e) {
        return [out('stage', 'failed', `nothing written: ${why(e)}`), out('promote', 'skipped', 'the value was not staged')];
      }
      const staged = out('stage', 'applied', `version ${meta.versionId} staged as AWSPENDING`);
      return [staged, ...(await promote(meta, input, ports, store, secrets, out, why, runKeyOf(input, ctx)))];
    }

    // finish: a version of this rotation is already there; use its value, never a new one.
    if (meta.promoted) {
      try {
        await store.removeLabel(meta.secretId, STAGE.pending, meta.versionId);
        return [out('finish', 'applied', `version ${meta.versionId} was already AWSCURRENT; dropped its AWSPENDING label`)];
      } catch (e) {
        return [out('finish', 'failed', `version ${meta.versionId} is AWSCURRENT but its AWSPENDING label could not be dropped: ${why(e)}. Re-run to finish.`)];
      }
    }
    try {
      const pending = await store.readStage(meta.secretId, STAGE.pending);
      ctx.redactor.register(pending.text);
      if (pending.versionId !== meta.versionId) return [out('promote', 'failed', `AWSPENDING moved to version ${pending.versionId} since the plan; nothing changed`)];
      secrets.newText = pending.text;
      secrets.newValue = input.jsonKey ? stringKey(pending.text, input.jsonKey) : pending.text;
      registerEncodings(ctx, secrets.newValue);
      const previous = await store.readStage(meta.secretId, STAGE.current);
      ctx.redactor.register(previous.text);
      secrets.previousText = previous.text;
      secrets.previousValue = input.jsonKey ? stringKey(previous.text, input.jsonKey) : previous.text;
      registerEncodings(ctx, secrets.previousValue);
    } catch (e) {
      return [out('promote', 'failed', `could not read the staged version ${meta.versionId} back: ${why(e)}; AWSCURRENT unchanged. Re-run to finish.`)];
    }
    return [out('stage', 'already', `version ${meta.versionId} was staged by an earlier attempt of this rotation; reused, no new version`), ...(await promote(meta, input, ports, store, secrets, out, why, runKeyOf(input, ctx)))];
  }
}

/** Reads the stages and the value back after a promotion or rollback; records version ids and fingerprints. */
async function readBack(plan: Plan<RotateMeta>, outcomes: Outcome[], input: RotateSecretInput, ports: RotateSecretPorts, ctx: StepContext): Promise<Outcome[]> {
  {
    const meta = plan.meta!;
    const main = outcomes.find((o) => o.status === 'applied' && (o.action === 'promote' || o.action === 'rollback' || o.action === 'finish'));
    if (!main) return outcomes;
    const store = ports.store(input.target);
    const secrets = memory.get(plan) ?? {};
    const fail = (reason: string) => outcomes.map((o) => (o === main ? { ...main, status: 'failed' as const, reason: ctx.redactor.scrub(reason) } : o));
    try {
      const desc = await store.describe(meta.secretId);
      const now = desc.versions.find((v) => v.id === meta.versionId);
      if (!now?.stages.includes(STAGE.current)) return fail(`read back: version ${meta.versionId} is not AWSCURRENT (labels: ${now?.stages.join(', ') || 'none'})`);
      if (meta.mode !== 'rollback' && now.stages.includes(STAGE.pending)) return fail(`read back: version ${meta.versionId} still carries AWSPENDING`);
      const prev = withStage(desc, STAGE.previous);
      if (!meta.promoted && prev?.id !== meta.fromVersionId) return fail(`read back: AWSPREVIOUS is ${prev?.id ?? 'on no version'}, expected ${meta.fromVersionId}`);
      const stored = await store.readStage(meta.secretId, STAGE.current);
      ctx.redactor.register(stored.text);
      if (secrets.newText !== undefined && !sameSecret(stored.text, secrets.newText)) return fail(`read back: AWSCURRENT does not hold the value this run wrote`);
      const facts = [`AWSCURRENT is version ${meta.versionId}`];
      const key = ports.fingerprintKey;
      const currentValue = meta.mode === 'rollback' ? stored.text : secrets.newValue;
      if (key && currentValue !== undefined) facts.push(`fingerprint ${fingerprint(currentValue, key, meta.secretId, meta.versionId)}`);
      if (prev) {
        facts.push(`version ${prev.id} is AWSPREVIOUS`);
        if (key && meta.mode !== 'rollback' && secrets.previousValue !== undefined) facts.push(`fingerprint ${fingerprint(secrets.previousValue, key, meta.secretId, prev.id)}`);
      }
      if (input.jsonKey) facts.push(`fingerprints cover json key ${input.jsonKey}`);
      return outcomes.map((o) => (o === main ? { ...main, reason: ctx.redactor.scrub(facts.join('; ')) } : o));
    } catch (e) {
      return fail(`read back failed: ${ctx.redactor.scrub(asError(e).message)}`);
    }
  }
}

type Out = (action: string, status: Outcome['status'], reason?: string) => Outcome;

async function promote(meta: RotateMeta, input: RotateSecretInput, ports: RotateSecretPorts, store: SecretStore, secrets: Secrets, out: Out, why: (e: unknown) => string, runKey: string): Promise<Outcome[]> {
  const stillCurrent = `AWSCURRENT is still version ${meta.fromVersionId}; version ${meta.versionId} stays AWSPENDING`;
  const setOn: Outcome[] = [];
  if (input.atlasUser) {
    // The rotation Lambda's setSecret step: the staged value becomes the user's password before it
    // is promoted, so the application never reads a password the database does not accept.
    const u = input.atlasUser;
    const slash = u.id.indexOf('/');
    const [groupId, databaseName, username] = [u.scope.account!, u.id.slice(0, slash), u.id.slice(slash + 1)];
    const hash = runHashOf(input.target, rotationRunKey(runKey, input.jsonKey));
    try {
      const user = await ports.atlas!.getUser(groupId, databaseName, username);
      if (!user) throw new Error(`database user ${u.id} disappeared since the plan`);
      if (user.labels.some((l) => l.key === 'firebreak-rotation' && l.value === hash)) {
        setOn.push(out('set-password', 'already', `Atlas user ${u.id} already has this rotation's password (label firebreak-rotation=${hash})`));
      } else {
        const labels = [...user.labels.filter((l) => l.key !== 'firebreak-rotation' && l.key !== 'firebreak-disabled'), { key: 'firebreak-rotation', value: hash }];
        await ports.atlas!.updateUser(groupId, databaseName, username, { password: secrets.newValue ?? '', labels }, user);
        setOn.push(out('set-password', 'applied', `Atlas user ${u.id} in project ${groupId} now uses version ${meta.versionId}'s value (label firebreak-rotation=${hash})`));
      }
    } catch (e) {
      return [
        out('set-password', 'failed', `the Atlas password was not changed: ${why(e)}. ${stillCurrent}: the application keeps the old, still valid, password. Re-run the same rotation.`),
        out('promote', 'skipped', 'not promoted: the database does not accept the new value yet'),
      ];
    }
  }
  return [...setOn, ...(await promoteStaged(meta, input, ports, store, secrets, out, why))];
}

async function promoteStaged(meta: RotateMeta, input: RotateSecretInput, ports: RotateSecretPorts, store: SecretStore, secrets: Secrets, out: Out, why: (e: unknown) => string): Promise<Outcome[]> {
  const stillCurrent = `AWSCURRENT is still version ${meta.fromVersionId}; version ${meta.versionId} stays AWSPENDING`;
  if (ports.verify) {
    try {
      await ports.verify({ target: input.target, secretId: meta.secretId, versionId: meta.versionId, value: secrets.newValue ?? '', jsonKey: input.jsonKey });
    } catch (e) {
      return [
        out('verify', 'failed', `the verification hook refused version ${meta.versionId}: ${why(e)}. ${stillCurrent}. Fix the consumer and re-run the same rotation: it re-checks the same value, no new version.`),
        out('promote', 'skipped', 'not promoted: verification failed'),
      ];
    }
  }
  try {
    await store.moveLabel(meta.secretId, STAGE.current, meta.versionId, meta.fromVersionId);
  } catch (e) {
    return [out('promote', 'failed', `value staged but not promoted: ${why(e)}. ${stillCurrent}. Re-run the same rotation: it promotes version ${meta.versionId}, no new version.`)];
  }
  try {
    await store.removeLabel(meta.secretId, STAGE.pending, meta.versionId);
  } catch (e) {
    return [
      out('promote', 'applied', `version ${meta.versionId} is AWSCURRENT`),
      out('finish', 'failed', `version ${meta.versionId} is AWSCURRENT, but its AWSPENDING label could not be dropped: ${why(e)}. Re-run to finish.`),
    ];
  }
  return [out('promote', 'applied', `version ${meta.versionId} is AWSCURRENT`)];
}

async function applyRollback(meta: RotateMeta, store: SecretStore, out: Out, why: (e: unknown) => string): Promise<Outcome[]> {
  if (!meta.marked) {
    try {
      // The mark first: once AWSCURRENT moves, AWSPREVIOUS names the version we left, and a re-run
      // would otherwise roll "back" to it.
      await store.moveLabel(meta.secretId, meta.rollbackLabel!, meta.versionId, undefined);
    } catch (e) {
      return [out('rollback', 'failed', `nothing changed: could not mark version ${meta.versionId}: ${why(e)}`)];
    }
  }
  try {
    await store.moveLabel(meta.secretId, STAGE.current, meta.versionId, meta.fromVersionId);
  } catch (e) {
    return [out('rollback', 'failed', `AWSCURRENT is still version ${meta.fromVersionId}: ${why(e)}. Re-run the same rollback: it restores version ${meta.versionId}.`)];
  }
  return [out('rollback', 'applied', `version ${meta.versionId} is AWSCURRENT again; ${meta.fromVersionId} is AWSPREVIOUS`)];
}

async function requireRandom(store: SecretStore, policy: ValuePolicy): Promise<string> {
  if (!store.randomValue) throw new InputError(`alphabet aws is not available for ${store.kind}`, { field: 'alphabet', code: 'POLICY_IMPOSSIBLE' });
  return store.randomValue(policy);
}

/** The value and every form it travels in: base64 and URL (the redactor adds those), hex, JSON-escaped. */
export const registerEncodings = registerValue;

function stringKey(text: string, key: string): string | undefined {
  try {
    const v = (JSON.parse(text) as Record<string, unknown>)[key];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function withStage(desc: SecretDescription, stage: string) {
  return desc.versions.find((v) => v.stages.includes(stage));
}

/** A pending version that is not also current (a finished AWS rotation may leave the label there). */
function pendingElsewhere(desc: SecretDescription) {
  return desc.versions.find((v) => v.stages.includes(STAGE.pending) && !v.stages.includes(STAGE.current));
}

function targetLabel(target: TargetRef, desc: SecretDescription): string {
  return formatTarget({ ...target, id: desc.name });
}

function runKeyOf(input: RotateSecretInput, ctx: StepContext): string {
  if (input.rotationId) return `id:${input.rotationId}`;
  if (ctx.runUrl) return `run:${ctx.runUrl}`;
  if (ctx.incidentId) return `incident:${ctx.incidentId}`;
  throw new InputError('rotation-id is required outside a workflow run and an incident: a re-run needs it to find this rotation instead of rotating twice', {
    field: 'rotation-id',
    code: 'INPUT_MISSING',
  });
}

function digest(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/**
 * The ClientRequestToken (and so the version id) of this run's rotation: a UUID-shaped hash of the
 * secret and the run. Not secret; the same run always gets the same version.
 */
export function rotationToken(secretId: string, runKey: string): string {
  const h = digest(`firebreak-rotate-secret\u0000${secretId}\u0000${runKey}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
