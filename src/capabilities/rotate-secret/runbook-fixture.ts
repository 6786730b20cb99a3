import { randomBytes } from 'node:crypto';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseTarget, type TargetRef } from '../../core/target.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { ecsServiceState, ensureEcsService } from '../../drill/runbook/kit-ecs.js';
import { auditHoldsNone, beforeStep, refusedWhole } from '../../drill/runbook/kit-leaks.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';
import { FINGERPRINT_KEY_VARIABLE } from './build-ports.js';
import { parseConsumers, type Consumer } from './consumers.js';
import { LOCAL_ALPHABETS, lengthForBytes, type Alphabet } from './value-policy.js';

/**
 * rotate-secret in a runbook drill. prepare plants what the target names with a value only this
 * drill knows (a Secrets Manager secret, a Vault KV secret with other keys beside the rotated one, a
 * leaked Vault token with a child and a lease, an Atlas user or access-list entry) and the ECS
 * services of restart-services; verify reads them back:
 * - aws:secret: AWSCURRENT is a new version, AWSPREVIOUS holds the old value, only json-key changed,
 *   the new value has the asked alphabet and length, the Atlas user's password is the new value,
 *   every restart-services service got a new deployment;
 * - vault:kv: a new version where json-key changed and every other key is kept;
 * - vault:token-accessor: the token, its child and its lease are gone, the responder's token is not;
 * - atlas:db-user: the password changed; atlas:access-list-entry: the entry is gone, the rest kept;
 * and neither the planted nor the new value is anywhere in the audit chain. A refused step changed nothing.
 */

interface Before {
  /** Version id (Secrets Manager) or number (Vault KV) before the step. */
  version: string;
  /** The whole stored text (Secrets Manager) or data (Vault KV, as JSON). */
  text: string;
  previousText: string | undefined;
  /** Deployment ids of each restart-services service. */
  deployments: Record<string, string[]>;
  atlasChanges: number | undefined;
  /** vault:token-accessor: the planted token, its child; vault:lease-prefix / atlas:access-list-entry: what else exists. */
  tokenIds: string[];
  leaseIds: string[];
  others: string[];
}

const seen = beforeStep<Before>();
const CREDS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const planted = (what: string) => `fb-drill-old-${what}-${randomBytes(12).toString('base64url')}`;

function targetOf(text: unknown): TargetRef | undefined {
  try {
    return parseTarget(String(text ?? ''));
  } catch {
    return undefined; // The step refuses a bad target itself; nothing to provision.
  }
}

function consumersOf(text: unknown): Consumer[] {
  try {
    return parseConsumers(typeof text === 'string' ? text : undefined);
  } catch {
    return [];
  }
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
const isTrue = (v: unknown) => v === true || v === 'true';
const kindOf = (t: TargetRef) => `${t.provider}:${t.kind}`;
const splitVault = (id: string) => ({ mount: id.split('/')[0]!, path: id.split('/').slice(1).join('/') });
const splitAtlasUser = (id: string) => ({ db: id.slice(0, id.indexOf('/')), user: id.slice(id.indexOf('/') + 1) });

async function secrets(world: RunbookWorld, region: string | undefined): Promise<SecretsManagerClient> {
  const { moto } = await ensureAwsKit(world);
  return new SecretsManagerClient({ region: region ?? moto.region, endpoint: moto.directEndpoint, credentials: CREDS });
}

async function readStage(sm: SecretsManagerClient, id: string, stage: string): Promise<{ version: string; text: string } | undefined> {
  try {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: id, VersionStage: stage }));
    return { version: out.VersionId ?? '', text: out.SecretString ?? '' };
  } catch {
    return undefined;
  }
}

/** The value a rotation produced or replaced: the json-key's value, else the whole text. */
function valueOf(text: string | undefined, jsonKey: string | undefined): string | undefined {
  if (text === undefined || !jsonKey) return text;
  try {
    const v = (JSON.parse(text) as Record<string, unknown>)[jsonKey];
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function withoutKey(text: string, key: string | undefined): unknown {
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (key) delete o[key];
    return o;
  } catch {
    return text;
  }
}

/** The new value has the alphabet and length the inputs asked for (local alphabets; `aws` is GetRandomPassword's). */
function policyHolds(label: string, value: string | undefined, input: Readonly<Record<string, unknown>>): Expectation {
  const alphabet = (str(input.alphabet) ?? 'alnum') as Alphabet;
  if (alphabet === 'aws') return check(`${label}: the new value has the asked length`, value?.length === Number(str(input.length) ?? 32), `length ${value?.length}`);
  const bytes = str(input.bytes);
  const length = bytes ? lengthForBytes(Number(bytes), alphabet) : Number(str(input.length) ?? 32);
  const chars = LOCAL_ALPHABETS[alphabet];
  const ok = value !== undefined && value.length === length && [...value].every((c) => chars.includes(c));
  return check(`${label}: the new value is ${length} characters of ${alphabet}`, ok, value === undefined ? 'no value' : `length ${value.length}, ${[...value].filter((c) => !chars.includes(c)).length} character(s) outside ${alphabet}`);
}

async function deploymentsOf(world: RunbookWorld, consumers: Consumer[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const c of consumers) out[`${c.cluster}/${c.service}`] = (await ecsServiceState(world, c.cluster, c.service, c.region))?.deploymentIds ?? [];
  return out;
}

const empty = (): Before => ({ version: '', text: '', previousText: undefined, deployments: {}, atlasChanges: undefined, tokenIds: [], leaseIds: [], others: [] });

export const rotateSecretFixture: RunbookFixture = {
  async prepare(world, input) {
    const t = targetOf(input.target);
    if (!t) return;
    const key = String(input.target);
    const jsonKey = str(input['json-key']);
    const before = empty();
    if (!world.env[FINGERPRINT_KEY_VARIABLE]) world.env[FINGERPRINT_KEY_VARIABLE] = randomBytes(32).toString('hex');

    switch (kindOf(t)) {
      case 'aws:secret': {
        const sm = await secrets(world, t.scope.region);
        try {
          await world.once(`secret:${t.scope.region ?? ''}:${t.id}`, async () => {
            const exists = await sm.send(new DescribeSecretCommand({ SecretId: t.id })).then(
              () => true,
              () => false,
            );
            const value = planted('secret');
            const text = jsonKey ? JSON.stringify({ username: 'app', [jsonKey]: value, host: 'db.internal', port: 27017 }) : value;
            if (!exists) await sm.send(new CreateSecretCommand({ Name: t.id, SecretString: text }));
          });
          const cur = await readStage(sm, t.id, 'AWSCURRENT');
          before.version = cur?.version ?? '';
          before.text = cur?.text ?? '';
          before.previousText = (await readStage(sm, t.id, 'AWSPREVIOUS'))?.text;
        } finally {
          sm.destroy();
        }
        const atlasUser = targetOf(input['atlas-user']);
        if (atlasUser && atlasUser.scope.account) {
          const atlas = await world.atlas();
          const { db, user } = splitAtlasUser(atlasUser.id);
          // The database accepts what the application reads today: the secret's current value.
          if (!atlas.state.password(atlasUser.scope.account, db, user)) atlas.state.addUser(atlasUser.scope.account, { databaseName: db, username: user, password: valueOf(before.text, jsonKey) ?? before.text, roles: [{ databaseName: 'admin', roleName: 'readWriteAnyDatabase' }] });
          before.atlasChanges = atlas.state.projects.get(atlasUser.scope.account)!.users.get(`${db}/${user}`)!.passwordChanges;
        }
        const consumers = consumersOf(input['restart-services']);
        for (const c of consumers) await ensureEcsService(world, c.cluster, c.service, c.region ? { region: c.region } : {});
        before.deployments = await deploymentsOf(world, consumers);
        break;
      }
      case 'vault:kv': {
        const vault = await world.vault();
        const { mount, path } = splitVault(t.id);
        if (vault.state.kv.has(mount) && !vault.state.readKv(mount, path)) {
          vault.state.putKv(mount, path, { [jsonKey ?? 'value']: planted('kv'), issuer: 'firebreak-drill', database_url: 'postgres://backend@db.internal:5432/app' });
        }
        const s = vault.state.kv.get(mount)?.get(path);
        before.version = String(s?.currentVersion ?? 0);
        before.text = JSON.stringify(vault.state.readKv(mount, path) ?? {});
        before.previousText = s && s.currentVersion > 1 ? JSON.stringify(vault.state.readKv(mount, path, s.currentVersion - 1)) : undefined;
        break;
      }
      case 'vault:token-accessor': {
        const vault = await world.vault();
        let token = vault.state.byAccessor(t.id);
        if (!token) {
          token = await world.once(`vault-token:${t.id}`, async () => {
            // A leaked deploy token with a child and a lease: revoking it must take both with it.
            const leaked = vault.state.addToken({ displayName: 'approle-deploy', policies: ['deploy'], path: 'auth/approle/login' });
            const child = vault.state.addToken({ displayName: 'deploy-child', policies: ['deploy'], path: 'auth/token/create', parent: leaked.id });
            vault.state.addLease(`database/creds/app/${randomBytes(6).toString('hex')}`, child.id);
            return leaked;
          });
          world.alias(t.id, token.accessor);
        }
        before.tokenIds = [token.id, ...token.children];
        before.leaseIds = [...vault.state.leases.values()].filter((l) => l.token && before.tokenIds.includes(l.token)).map((l) => l.id);
        break;
      }
      case 'vault:lease-prefix': {
        const vault = await world.vault();
        if (![...vault.state.leases.keys()].some((id) => id.startsWith(t.id))) vault.state.addLease(`${t.id.replace(/\/$/, '')}/${randomBytes(6).toString('hex')}`);
        vault.state.addLease(`kv-unrelated/creds/keep/${randomBytes(6).toString('hex')}`);
        before.leaseIds = [...vault.state.leases.keys()].filter((id) => id.startsWith(t.id));
        before.others = [...vault.state.leases.keys()].filter((id) => !id.startsWith(t.id));
        break;
      }
      case 'atlas:db-user': {
        if (!t.scope.account) break;
        const atlas = await world.atlas();
        const { db, user } = splitAtlasUser(t.id);
        if (!atlas.state.password(t.scope.account, db, user)) atlas.state.addUser(t.scope.account, { databaseName: db, username: user, password: planted('atlas') });
        before.text = atlas.state.password(t.scope.account, db, user)!;
        before.atlasChanges = atlas.state.projects.get(t.scope.account)!.users.get(`${db}/${user}`)!.passwordChanges;
        break;
      }
      case 'atlas:access-list-entry': {
        if (!t.scope.account) break;
        const atlas = await world.atlas();
        const list = atlas.state.project(t.scope.account).accessList;
        const named = (k: string) => k === t.id || list.get(k)?.cidrBlock === t.id;
        // Atlas keeps a /32 as the single address it is.
        if (![...list.keys()].some(named)) atlas.state.addAccessEntry(t.scope.account, t.id.endsWith('/32') ? t.id.slice(0, -3) : t.id, 'seen in the incident');
        // The project's own ranges stay: only the named entry may go.
        if (list.size < 2) atlas.state.addAccessEntry(t.scope.account, '10.20.0.0/16', 'application VPC');
        before.others = [...list.keys()].filter((k) => !named(k));
        break;
      }
      case 'github:repo-secret': {
        const gh = await world.github();
        if (!gh.state.secretValue(t.id)) gh.state.repoSecrets.set(t.id, { value: planted('gh'), createdAt: world.clock.now().toISOString(), updatedAt: world.clock.now().toISOString() });
        before.text = gh.state.secretValue(t.id) ?? '';
        break;
      }
      default:
        throw new Error(`the rotate-secret runbook fixture cannot provision ${kindOf(t)} targets yet`);
    }
    // Under the name the step will run with (an accessor the emulator minted replaces the written one).
    seen.set(world, world.rewrite(key), before);
  },

  async verify(world, outcome) {
    const t = targetOf(outcome.input.target);
    if (!t) return [check('rotate-secret: the target parses', outcome.code !== undefined, String(outcome.input.target))];
    const before = seen.get(world, String(outcome.input.target));
    if (!before) return [check(`${kindOf(t)} was prepared`, false, 'prepare did not run for this target')];
    const refused = refusedWhole(outcome);
    const input = outcome.input;
    const jsonKey = str(input['json-key']);
    const label = `${kindOf(t)}:${t.id}`;
    const out: Expectation[] = [];

    switch (kindOf(t)) {
      case 'aws:secret': {
        const sm = await secrets(world, t.scope.region);
        let now: { version: string; text: string } | undefined;
        let previous: { version: string; text: string } | undefined;
        try {
          now = await readStage(sm, t.id, 'AWSCURRENT');
          previous = await readStage(sm, t.id, 'AWSPREVIOUS');
        } finally {
          sm.destroy();
        }
        const consumers = consumersOf(input['restart-services']);
        const deployments = await deploymentsOf(world, consumers);
        if (refused) {
          out.push(checkEqual(`refused: ${label} AWSCURRENT unchanged`, now?.version, before.version));
          out.push(checkEqual('refused: no service restarted', deployments, before.deployments));
          break;
        }
        if (isTrue(input.rollback)) {
          out.push(check(`${label}: the previous value is AWSCURRENT again`, now !== undefined && now.text === before.previousText && now.version !== before.version));
          break;
        }
        const oldValue = valueOf(before.text, jsonKey);
        const newValue = valueOf(now?.text, jsonKey);
        out.push(check(`${label}: AWSCURRENT is a new version`, now !== undefined && now.version !== before.version, `AWSCURRENT ${now?.version ?? 'missing'}, before ${before.version}`));
        out.push(check(`${label}: AWSPREVIOUS holds the old value`, previous?.text === before.text, previous ? `AWSPREVIOUS is version ${previous.version}, not the one that was current` : 'no AWSPREVIOUS'));
        out.push(check(`${label}: the value changed`, newValue !== undefined && newValue !== oldValue));
        if (jsonKey) out.push(checkEqual(`${label}: every key but ${jsonKey} kept`, withoutKey(now?.text ?? '', jsonKey), withoutKey(before.text, jsonKey)));
        if (str(input.alphabet) !== 'aws') out.push(policyHolds(label, newValue, input));
        const atlasUser = targetOf(input['atlas-user']);
        if (atlasUser?.scope.account) {
          const atlas = await world.atlas();
          const { db, user } = splitAtlasUser(atlasUser.id);
          const u = atlas.state.projects.get(atlasUser.scope.account)?.users.get(`${db}/${user}`);
          out.push(check(`Atlas user ${atlasUser.id}: the database accepts the new value`, u !== undefined && u.password === newValue));
          out.push(check(`Atlas user ${atlasUser.id}: password set once`, u !== undefined && u.passwordChanges === (before.atlasChanges ?? 0) + 1, `${u?.passwordChanges} change(s)`));
        }
        for (const c of consumers) {
          const k = `${c.cluster}/${c.service}`;
          const was = before.deployments[k] ?? [];
          const is = deployments[k] ?? [];
          out.push(check(`ECS service ${k} got a new deployment`, is.length > 0 && is.every((id) => !was.includes(id)), `before ${was.join(', ')}; now ${is.join(', ')}`));
        }
        out.push(await auditHoldsNone(world, `${label}: neither the old nor the new value is in the audit chain`, [oldValue, newValue, before.text, now?.text]));
        break;
      }
      case 'vault:kv': {
        const vault = await world.vault();
        const { mount, path } = splitVault(t.id);
        const s = vault.state.kv.get(mount)?.get(path);
        const data = vault.state.readKv(mount, path) ?? {};
        if (refused) {
          out.push(checkEqual(`refused: ${label} has no new version`, String(s?.currentVersion ?? 0), before.version));
          break;
        }
        out.push(checkEqual(`${label}: one new version`, s?.currentVersion, Number(before.version) + 1));
        if (isTrue(input.rollback)) {
          out.push(checkEqual(`${label}: the previous data is current again`, JSON.stringify(data), before.previousText));
          break;
        }
        const old = JSON.parse(before.text) as Record<string, unknown>;
        const key = jsonKey ?? 'value';
        out.push(check(`${label}: ${key} changed`, typeof data[key] === 'string' && data[key] !== old[key]));
        out.push(checkEqual(`${label}: every key but ${key} kept`, withoutKey(JSON.stringify(data), key), withoutKey(before.text, key)));
        out.push(policyHolds(label, typeof data[key] === 'string' ? data[key] : undefined, input));
        out.push(await auditHoldsNone(world, `${label}: neither the old nor the new value is in the audit chain`, [str(old[key]), str(data[key])]));
        break;
      }
      case 'vault:token-accessor': {
        const vault = await world.vault();
        const live = before.tokenIds.filter((id) => vault.state.tokens.has(id));
        const leases = before.leaseIds.filter((id) => vault.state.leases.has(id));
        out.push(check("the responder's own Vault token still works", vault.state.tokens.has(vault.state.rootToken.id)));
        if (refused) {
          out.push(checkEqual(`refused: ${label} still live`, live.length, before.tokenIds.length));
          break;
        }
        out.push(check(`${label}: the token and its child are revoked`, before.tokenIds.length > 0 && live.length === 0, `${live.length} of ${before.tokenIds.length} still live`));
        out.push(check(`${label}: its leases are revoked`, leases.length === 0, `${leases.length} lease(s) left`));
        out.push(await auditHoldsNone(world, `${label}: no token id in the audit chain`, before.tokenIds));
        break;
      }
      case 'vault:lease-prefix': {
        const vault = await world.vault();
        const left = before.leaseIds.filter((id) => vault.state.leases.has(id));
        if (refused) {
          out.push(checkEqual(`refused: ${label} leases kept`, left.length, before.leaseIds.length));
          break;
        }
        out.push(check(`${label}: every lease under the prefix revoked`, before.leaseIds.length > 0 && left.length === 0, `${left.length} left`));
        out.push(check(`${label}: leases outside the prefix kept`, before.others.every((id) => vault.state.leases.has(id))));
        break;
      }
      case 'atlas:db-user': {
        const atlas = await world.atlas();
        const { db, user } = splitAtlasUser(t.id);
        const u = atlas.state.projects.get(t.scope.account ?? '')?.users.get(`${db}/${user}`);
        if (refused) {
          out.push(checkEqual(`refused: ${label} password unchanged`, u?.passwordChanges, before.atlasChanges));
          break;
        }
        out.push(check(`${label}: the password changed`, u !== undefined && u.password !== before.text && u.passwordChanges === (before.atlasChanges ?? 0) + 1));
        out.push(await auditHoldsNone(world, `${label}: neither the old nor the new password is in the audit chain`, [before.text, u?.password]));
        break;
      }
      case 'atlas:access-list-entry': {
        const atlas = await world.atlas();
        const list = atlas.state.projects.get(t.scope.account ?? '')?.accessList ?? new Map();
        const gone = ![...list.entries()].some(([k, e]) => k === t.id || e.cidrBlock === t.id || e.ipAddress === t.id);
        if (refused) {
          out.push(check(`refused: ${label} still listed`, !gone));
          break;
        }
        out.push(check(`${label}: removed from the project access list`, gone, `entries: ${[...list.keys()].join(', ')}`));
        out.push(check(`${label}: the project's other entries kept`, before.others.every((k) => list.has(k)), `before: ${before.others.join(', ')}; now: ${[...list.keys()].join(', ')}`));
        break;
      }
      case 'github:repo-secret': {
        const gh = await world.github();
        const value = gh.state.secretValue(t.id);
        out.push(refused ? checkEqual(`refused: ${label} unchanged`, value === before.text, true) : check(`${label}: the secret holds a new value`, value !== undefined && value !== before.text));
        if (!refused) out.push(await auditHoldsNone(world, `${label}: neither the old nor the new value is in the audit chain`, [before.text, value]));
        break;
      }
      default:
        out.push(check(`${label}: a runbook fixture verifies this kind`, false));
    }
    return out;
  },
};
