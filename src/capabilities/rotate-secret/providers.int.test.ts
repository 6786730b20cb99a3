import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InputError, PartialFailureError } from '../../core/errors.js';
import type { Outcome } from '../../core/plan.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { verifyFingerprint } from '../../core/secret-fingerprint.js';
import { makeContext, runStep } from '../../core/step.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../drill/emulators/atlas/server.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../drill/emulators/github/server.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { startVaultEmulator, type VaultEmulator } from '../../drill/emulators/vault/server.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildRotateSecretPorts } from './build-ports.js';
import type { RotateSecretPorts } from './ports.js';
import { rotateSecretStep } from './step.js';
import { VaultHttp } from './vault-http.js';

const FP_HEX = 'cd'.repeat(32);
const FP_KEY = new Uint8Array(Buffer.from(FP_HEX, 'hex'));
const PROJECT = '0123456789abcdef01234567';
const instant = async () => {};

let gh: GitHubEmulator;
let vault: VaultEmulator;
let atlas: AtlasEmulator;
let moto: MotoServer;
let audit: MemoryAuditSink;
let logger: ReturnType<typeof memoryLogger>;
let n = 0;

beforeAll(async () => {
  [gh, vault, atlas, moto] = await Promise.all([startGitHubEmulator({ environments: ['production'] }), startVaultEmulator(), startAtlasEmulator(), startMoto()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([gh?.stop(), vault?.stop(), atlas?.stop(), moto?.stop()]);
});
beforeEach(() => {
  audit = new MemoryAuditSink();
  logger = memoryLogger();
  n++;
});
afterEach(() => {
  // Every request the adapters sent matched the published descriptions.
  expect(gh.takeViolations()).toEqual([]);
  expect(vault.takeViolations()).toEqual([]);
  expect(atlas.takeViolations()).toEqual([]);
});

const env = () => ({ ...gh.env(), ...vault.env(), ...atlas.env(), ...moto.env(), FIREBREAK_FINGERPRINT_KEY: FP_HEX });
function ports(extra: Partial<RotateSecretPorts> = {}, value?: string): RotateSecretPorts {
  const clock = manualClock('2026-12-02T05:00:00Z');
  return { ...buildRotateSecretPorts(env(), { sleep: clock.sleep, clock, timeoutMs: 5_000, callAttempts: 2, ecsPollMs: 1_000 }), ...(value ? { generate: async () => value } : {}), ...extra };
}
function ctx(over: Partial<Parameters<typeof makeContext>[0]> = {}) {
  return makeContext({ audit, clock: manualClock('2026-12-02T05:00:00Z'), sleep: instant, logger, dryRun: false, incidentId: 'INC-11', actor: 'responder', runUrl: null, ...over });
}
const outcomes = (e: unknown) => ((e as PartialFailureError).result as { outcomes: Outcome[] }).outcomes;
const row = (o: Outcome[]) => o.map((x) => `${x.action}:${x.status}`);
const writes = (emu: { requests: Array<{ method: string }> }) => emu.requests.filter((r) => r.method !== 'GET').length;

describe('GitHub Actions secrets', () => {
  it('seals the new value for the repository key; the emulator opens it with its private key; a re-run does not rotate again', async () => {
    const at = new Date().toISOString();
    gh.state.repoSecrets.set('DEPLOY_TOKEN', { value: 'old-deploy-token', createdAt: at, updatedAt: at });
    const value = `gh-canary-${n}-Zq8vX2kLmN4pR7tY`;
    const run = await runStep(rotateSecretStep, { target: 'github:repo-secret:deploy_token', rotationId: `r${n}` }, ports({}, value), ctx());
    expect(run.result?.status).toBe('ok');
    expect(gh.state.secretValue('DEPLOY_TOKEN')).toBe(value);
    const reason = run.result!.outcomes[0]!.reason!;
    const updatedAt = /updated_at (\S+)\)/.exec(reason)![1]!;
    expect(verifyFingerprint(value, /fingerprint (\S+);/.exec(reason)![1]!, FP_KEY, 'github:repo-secret:deploy_token', updatedAt)).toBe(true);
    expect(gh.state.repoVariables.get('FIREBREAK_ROTATED_DEPLOY_TOKEN')?.value).toMatch(/^[0-9a-f]{16} /);

    const again = await runStep(rotateSecretStep, { target: 'github:repo-secret:deploy_token', rotationId: `r${n}` }, ports({}, 'another-value-0000000'), ctx());
    expect(again.result?.status).toBe('noop');
    expect(gh.state.secretValue('DEPLOY_TOKEN')).toBe(value);
  });

  it('rotates an environment secret with that environment key; a missing secret is refused before any write', async () => {
    const at = new Date().toISOString();
    gh.state.environments.get('production')!.secrets.set('JWT_KEY', { value: 'old-jwt', createdAt: at, updatedAt: at });
    const run = await runStep(rotateSecretStep, { target: `github:env-secret:production/JWT_KEY@${gh.owner}/${gh.repo}`, alphabet: 'base64url', bytes: '32', rotationId: `r${n}` }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(gh.state.secretValue('JWT_KEY', 'production')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(gh.state.secretValue('JWT_KEY')).toBeUndefined();

    const before = writes(gh);
    const err = await runStep(rotateSecretStep, { target: 'github:env-secret:production/NOPE', rotationId: `r${n}` }, ports(), ctx()).catch((e: unknown) => e);
    expect((err as InputError).code).toBe('SECRET_NOT_FOUND');
    expect(writes(gh)).toBe(before);
  });
});

describe('Vault KV v2', () => {
  const seed = () => {
    const path = `app/jwt-${n}`;
    vault.state.putKv('secret', path, { signing_key: 'old-signing-key-000', issuer: 'shop', ttl: 3600 });
    return path;
  };

  it('writes a new version with one key changed and the rest kept, check-and-set on the version read; a re-run changes nothing', async () => {
    const path = seed();
    const value = `vault-canary-${n}-Hk3Jd9Qw2Lz`;
    const run = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'signing_key', rotationId: `r${n}` }, ports({}, value), ctx());
    expect(run.result?.status).toBe('ok');
    expect(vault.state.readKv('secret', path)).toEqual({ signing_key: value, issuer: 'shop', ttl: 3600 });
    expect(vault.state.readKv('secret', path, 1)).toEqual({ signing_key: 'old-signing-key-000', issuer: 'shop', ttl: 3600 });
    const write = vault.requests.find((r) => r.operationId === 'kv-v2-write' && r.path.endsWith(path))!;
    expect((write.body as { options: unknown }).options).toEqual({ cas: 1 });
    const reason = run.result!.outcomes[0]!.reason!;
    expect(verifyFingerprint(value, /fingerprint (\S+);/.exec(reason)![1]!, FP_KEY, `vault:kv:secret/${path}`, 'v2')).toBe(true);

    const again = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'signing_key', rotationId: `r${n}` }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(vault.state.kv.get('secret')!.get(path)!.currentVersion).toBe(2);
  });

  it('two keys of one Vault secret in the same run are two rotations: the second is not taken for a re-run of the first', async () => {
    const path = `app/two-keys-${n}`;
    vault.state.putKv('secret', path, { signing_key: 'old-signing-key-000', refresh_key: 'old-refresh-key-000', issuer: 'shop' });
    const first = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'signing_key', rotationId: `r${n}` }, ports({}, `vault-first-${n}-Hk3Jd9Qw2Lz`), ctx());
    const second = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'refresh_key', rotationId: `r${n}` }, ports({}, `vault-second-${n}-Pm4Xc8Rt1Ny`), ctx());
    expect([first.result?.status, second.result?.status]).toEqual(['ok', 'ok']);
    expect(vault.state.readKv('secret', path)).toEqual({ signing_key: `vault-first-${n}-Hk3Jd9Qw2Lz`, refresh_key: `vault-second-${n}-Pm4Xc8Rt1Ny`, issuer: 'shop' });
    const again = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'refresh_key', rotationId: `r${n}` }, ports({}, 'vault-third-value-00000'), ctx());
    expect(again.result?.status).toBe('noop');
  });

  it('another writer between plan and apply: check-and-set refuses, nothing lost; the re-run sees the write is not its own and rotates from it', async () => {
    const path = seed();
    const real = new VaultHttp({ addr: vault.baseUrl, token: vault.token, sleep: instant });
    let raced = false;
    const racing = Object.assign(Object.create(real) as VaultHttp, {
      kvWriteCustomMetadata: async (m: string, p: string, c: Record<string, string>) => {
        if (!raced) {
          raced = true;
          vault.state.putKv('secret', path, { signing_key: 'theirs-0000000000', issuer: 'shop', ttl: 3600, added: 'by them' });
        }
        return real.kvWriteCustomMetadata(m, p, c);
      },
    });
    const err = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'signing_key', rotationId: `r${n}` }, ports({ vault: racing }), ctx()).catch((e: unknown) => e);
    expect(row(outcomes(err))).toEqual(['rotate:failed']);
    expect(outcomes(err)[0]!.reason).toMatch(/check-and-set refused the write\); nothing written/);
    expect(vault.state.readKv('secret', path)).toMatchObject({ signing_key: 'theirs-0000000000', added: 'by them' });

    const run = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'signing_key', rotationId: `r${n}` }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(run.plan?.warnings.join()).toMatch(/version 2 is another writer's/);
    expect(vault.state.readKv('secret', path)).toMatchObject({ issuer: 'shop', added: 'by them' });
    expect(vault.state.readKv('secret', path)!.signing_key).not.toBe('theirs-0000000000');
    expect(vault.state.kv.get('secret')!.get(path)!.currentVersion).toBe(3);
  });

  it('rollback writes the previous data as a new version, audited as its own run; a re-run does not flip it again', async () => {
    const path = seed();
    await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, jsonKey: 'signing_key', rotationId: `r${n}` }, ports(), ctx());
    const back = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, rollback: 'true', rotationId: `rb${n}` }, ports(), ctx());
    expect(back.result?.status).toBe('ok');
    expect(vault.state.readKv('secret', path)).toEqual({ signing_key: 'old-signing-key-000', issuer: 'shop', ttl: 3600 });
    expect(vault.state.kv.get('secret')!.get(path)!.currentVersion).toBe(3);
    expect(audit.entries.map((e) => `${e.record.step}:${e.record.status}`)).toEqual(['rotate-secret:applied', 'rotate-secret:applied']);
    const again = await runStep(rotateSecretStep, { target: `vault:kv:secret/${path}`, rollback: 'true', rotationId: `rb${n}` }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(vault.state.kv.get('secret')!.get(path)!.currentVersion).toBe(3);
  });

  it.each([
    ['a secret that does not exist', { target: 'vault:kv:secret/app/none', jsonKey: 'k' }, 'SECRET_NOT_FOUND'],
    ['a key that does not exist', { target: 'vault:kv:secret/app/fixed', jsonKey: 'signing_kee' }, 'JSON_KEY_MISSING'],
    ['a key that is not a string', { target: 'vault:kv:secret/app/fixed', jsonKey: 'ttl' }, 'JSON_KEY_NOT_STRING'],
    ['a mount that does not exist', { target: 'vault:kv:kv2/app/fixed', jsonKey: 'k' }, 'SECRET_NOT_FOUND'],
  ])('refuses %s before anything is written', async (_name, raw, code) => {
    vault.state.putKv('secret', 'app/fixed', { signing_key: 'x'.repeat(20), ttl: 1 });
    const before = writes(vault);
    const err = await runStep(rotateSecretStep, { ...raw, rotationId: `r${n}` }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).code).toBe(code);
    expect(writes(vault)).toBe(before);
  });
});

describe('Vault tokens and leases', () => {
  it('revokes a token by accessor (and its children, and their leases), never the responder own token', async () => {
    const parent = vault.state.addToken({ displayName: 'leaked-ci', policies: ['deploy'], path: 'auth/approle/login' });
    const child = vault.state.addToken({ displayName: 'child', policies: ['deploy'], path: 'auth/token/create', parent: parent.id });
    vault.state.addLease(`database/creds/app/lease-${n}`, child.id);
    const run = await runStep(rotateSecretStep, { target: `vault:token-accessor:${parent.accessor}`, rotationId: `r${n}` }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(vault.state.tokens.has(parent.id)).toBe(false);
    expect(vault.state.tokens.has(child.id)).toBe(false);
    expect(vault.state.leases.has(`database/creds/app/lease-${n}`)).toBe(false);
    expect(vault.requests.some((r) => r.path.endsWith('revoke-self'))).toBe(false);

    const again = await runStep(rotateSecretStep, { target: `vault:token-accessor:${parent.accessor}`, rotationId: `r${n}` }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(again.plan?.warnings.join()).toMatch(/revoked already/);

    const before = writes(vault);
    const self = await runStep(rotateSecretStep, { target: `vault:token-accessor:${vault.state.rootToken.accessor}` }, ports(), ctx()).catch((e: unknown) => e);
    expect((self as InputError).code).toBe('REVOKE_SELF');
    expect(writes(vault)).toBe(before);
    expect(vault.state.tokens.has(vault.token)).toBe(true);
  });

  it('revokes every lease under a prefix and leaves the others', async () => {
    for (const id of ['aws/creds/deploy/a1', 'aws/creds/deploy/b2', 'aws/creds/deployer/c3']) vault.state.addLease(id);
    const run = await runStep(rotateSecretStep, { target: 'vault:lease-prefix:aws/creds/deploy', rotationId: `r${n}` }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(run.plan?.changes[0]?.detail).toEqual({ entries: 2 });
    expect([...vault.state.leases.keys()].filter((k) => k.startsWith('aws/'))).toEqual(['aws/creds/deployer/c3']);
  });
});

describe('MongoDB Atlas', () => {
  it('locks a database user out with one PATCH (password + label), once per run; refuses an unknown user', async () => {
    atlas.state.addUser(PROJECT, { username: `app${n}`, password: 'old-atlas-password', labels: [{ key: 'team', value: 'shop' }] });
    const run = await runStep(rotateSecretStep, { target: `atlas:db-user:admin/app${n}@${PROJECT}`, disable: 'true', rotationId: `r${n}` }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const user = atlas.state.projects.get(PROJECT)!.users.get(`admin/app${n}`)!;
    expect(user.password).not.toBe('old-atlas-password');
    expect(user.labels.map((l) => l.key)).toEqual(['team', 'firebreak-disabled']);
    const again = await runStep(rotateSecretStep, { target: `atlas:db-user:admin/app${n}@${PROJECT}`, disable: 'true', rotationId: `r${n}` }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(user.passwordChanges).toBe(1);

    const err = await runStep(rotateSecretStep, { target: `atlas:db-user:admin/ghost@${PROJECT}`, disable: 'true' }, ports(), ctx()).catch((e: unknown) => e);
    expect((err as InputError).code).toBe('SECRET_NOT_FOUND');
  });

  it('removes an IP access-list entry; an absent one is reported, not an error', async () => {
    atlas.state.addAccessEntry(PROJECT, '203.0.113.66', 'attacker');
    atlas.state.addAccessEntry(PROJECT, '198.51.100.0/24', 'office');
    const run = await runStep(rotateSecretStep, { target: `atlas:access-list-entry:203.0.113.66@${PROJECT}`, rotationId: `r${n}` }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect([...atlas.state.projects.get(PROJECT)!.accessList.keys()]).toEqual(['198.51.100.0/24']);
    const again = await runStep(rotateSecretStep, { target: `atlas:access-list-entry:203.0.113.66@${PROJECT}`, rotationId: `r${n}` }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(again.plan?.warnings.join()).toMatch(/not in the IP access list/);
  });

  it('a request without the versioned Accept media type is answered 406 and recorded as a spec violation', async () => {
    const token = ((await (await fetch(`${atlas.baseUrl}/api/oauth/token`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from(`${atlas.state.clientId}:${atlas.state.clientSecret}`).toString('base64')}` }, body: 'grant_type=client_credentials' })).json()) as { access_token: string }).access_token;
    const res = await fetch(`${atlas.baseUrl}/api/atlas/v2/groups/${PROJECT}/accessList/x`, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    expect(res.status).toBe(406);
    expect(atlas.takeViolations().map((v) => v.kind)).toEqual(['request']);
  });
});

describe('Secrets Manager + Atlas user + ECS consumers', () => {
  const sm = () => new SecretsManagerClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  let ecs: ECSClient;
  beforeAll(async () => {
    ecs = new ECSClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await ecs.send(new CreateClusterCommand({ clusterName: 'prod' }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'api', containerDefinitions: [{ name: 'api', image: 'api:1', memory: 128 }] }));
    for (const s of ['api', 'worker']) {
      await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: s, taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
      // moto schedules no tasks until a service is updated; after that it reports it running.
      await ecs.send(new UpdateServiceCommand({ cluster: 'prod', service: s, desiredCount: 1 }));
    }
  });
  afterAll(() => ecs?.destroy());
  const current = async (name: string) => (await sm().send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSCURRENT' }))).SecretString!;
  const versionCount = async (name: string) => (await sm().send(new ListSecretVersionIdsCommand({ SecretId: name }))).Versions!.length;

  it('stages, sets the Atlas password, promotes, restarts both services until steady', async () => {
    await sm().send(new CreateSecretCommand({ Name: `prod/mongo-${n}`, SecretString: '{"user":"app","password":"old-pass-000000"}' }));
    atlas.state.addUser(PROJECT, { username: `svc${n}`, password: 'old-pass-000000' });
    const run = await runStep(
      rotateSecretStep,
      { target: `aws:secret:prod/mongo-${n}`, jsonKey: 'password', atlasUser: `atlas:db-user:admin/svc${n}@${PROJECT}`, restartServices: 'prod/api, prod/worker', rotationId: `r${n}` },
      ports(),
      ctx(),
    );
    expect(row(run.result!.outcomes)).toEqual(['stage:applied', 'set-password:applied', 'promote:applied', 'restart:applied', 'restart:applied']);
    const now = JSON.parse(await current(`prod/mongo-${n}`)) as { password: string };
    expect(atlas.state.password(PROJECT, 'admin', `svc${n}`)).toBe(now.password);
  });

  it('Atlas refuses the password: not promoted, the application keeps the old valid value; the re-run finishes with the same staged version', async () => {
    await sm().send(new CreateSecretCommand({ Name: `prod/mongo-${n}`, SecretString: '{"password":"old-pass-111111"}' }));
    atlas.state.addUser(PROJECT, { username: `svc${n}`, password: 'old-pass-111111' });
    atlas.faults.add({ method: 'PATCH', status: 500, body: { detail: 'drill', error: 500, errorCode: 'UNEXPECTED_ERROR', reason: 'Internal Server Error' }, times: 1 });
    const raw = { target: `aws:secret:prod/mongo-${n}`, jsonKey: 'password', atlasUser: `atlas:db-user:admin/svc${n}@${PROJECT}`, rotationId: `r${n}` };
    const err = await runStep(rotateSecretStep, raw, ports(), ctx()).catch((e: unknown) => e);
    expect(row(outcomes(err))).toEqual(['stage:applied', 'set-password:failed', 'promote:skipped']);
    expect(await current(`prod/mongo-${n}`)).toBe('{"password":"old-pass-111111"}');
    expect(atlas.state.password(PROJECT, 'admin', `svc${n}`)).toBe('old-pass-111111');
    const run = await runStep(rotateSecretStep, raw, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(await versionCount(`prod/mongo-${n}`)).toBe(2);
    expect(atlas.state.password(PROJECT, 'admin', `svc${n}`)).toBe((JSON.parse(await current(`prod/mongo-${n}`)) as { password: string }).password);
  });

  it('value changed, restart failed: reported precisely; the re-run restarts without rotating twice', async () => {
    await sm().send(new CreateSecretCommand({ Name: `prod/token-${n}`, SecretString: 'old-token-value-000' }));
    moto.faults.add({ target: 'UpdateService', times: 1, ...awsJsonError('ServerException', 'drill: ECS is down', 500) });
    const raw = { target: `aws:secret:prod/token-${n}`, restartServices: 'prod/api', rotationId: `r${n}` };
    const err = await runStep(rotateSecretStep, raw, ports({ ecs: buildRotateSecretPorts(env(), { sleep: instant, callAttempts: 1, ecsPollMs: 1 }).ecs }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect(row(outcomes(err))).toEqual(['stage:applied', 'promote:applied', 'restart:failed']);
    expect(outcomes(err)[2]!.reason).toMatch(/the new value is current, but the restart was not started: .*ECS is down.*Re-run the same rotation: it restarts without rotating again/);
    const rotated = await current(`prod/token-${n}`);
    expect(rotated).not.toBe('old-token-value-000');

    const again = await runStep(rotateSecretStep, raw, ports(), ctx());
    expect(row(again.result!.outcomes)).toEqual(['restart:applied', 'none:already']);
    expect(again.result!.outcomes[0]!.reason).toMatch(/steady/);
    expect(await current(`prod/token-${n}`)).toBe(rotated);
    expect(await versionCount(`prod/token-${n}`)).toBe(2);
  });

  it('a service that does not settle is named with what it was doing; the others settle; the value stays rotated', async () => {
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'stuck', containerDefinitions: [{ name: 'stuck', image: 'stuck:1', memory: 128 }] }));
    // Never scaled: moto keeps it at 0 of 1 running, as a service whose new tasks crash would be.
    await ecs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: `stuck-${n}`, taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
    await sm().send(new CreateSecretCommand({ Name: `prod/token-${n}`, SecretString: 'old-token-value-002' }));
    const err = await runStep(rotateSecretStep, { target: `aws:secret:prod/token-${n}`, restartServices: `prod/api, prod/stuck-${n}`, restartTimeoutMinutes: '1', rotationId: `r${n}` }, ports(), ctx()).catch((e: unknown) => e);
    expect(row(outcomes(err))).toEqual(['stage:applied', 'promote:applied', 'restart:applied', 'restart:failed']);
    expect(outcomes(err)[3]!.reason).toMatch(/^did not settle \(timeout\) after 60 s: 0\/1 running, 1 deployments\. The new value is current/);
    expect(logger.lines.some((l) => l.includes(`prod/stuck-${n}: 0/1 running`))).toBe(true);
    expect(await current(`prod/token-${n}`)).not.toBe('old-token-value-002');
  });

  it('an unknown consumer service is refused before the secret is touched', async () => {
    await sm().send(new CreateSecretCommand({ Name: `prod/token-${n}`, SecretString: 'old-token-value-001' }));
    const err = await runStep(rotateSecretStep, { target: `aws:secret:prod/token-${n}`, restartServices: 'prod/api, prod/ghost', rotationId: `r${n}` }, ports(), ctx()).catch((e: unknown) => e);
    expect((err as InputError).code).toBe('ECS_SERVICE_NOT_FOUND');
    expect(await versionCount(`prod/token-${n}`)).toBe(1);
  });
});

describe('Vault rotation with a consumer restart', () => {
  it('a Vault rotation restarts the listed service too', async () => {
    vault.state.putKv('secret', `svc/${n}`, { jwt: 'old-jwt-key-00000000' });
    const run = await runStep(rotateSecretStep, { target: `vault:kv:secret/svc/${n}`, jsonKey: 'jwt', restartServices: 'prod/worker', rotationId: `r${n}` }, ports(), ctx());
    expect(row(run.result!.outcomes)).toEqual(['rotate:applied', 'restart:applied']);
  });

  it('ConflictError when an interrupted run cannot tell its write without a fingerprint key', async () => {
    vault.state.putKv('secret', `svc/${n}`, { jwt: 'old-jwt-key-00000000' });
    vault.state.kv.get('secret')!.get(`svc/${n}`)!.customMetadata = { [`firebreak-${(await import('./direct.js')).runHashOf({ provider: 'vault', kind: 'kv', id: `secret/svc/${n}`, scope: {} }, (await import('./direct.js')).rotationRunKey(`id:r${n}`, 'jwt'))}`]: 'pending:v1' };
    vault.state.putKv('secret', `svc/${n}`, { jwt: 'someone-00000000000' });
    const err = await runStep(rotateSecretStep, { target: `vault:kv:secret/svc/${n}`, jsonKey: 'jwt', rotationId: `r${n}` }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).code).toBe('ROTATION_UNKNOWN');
  });
});
