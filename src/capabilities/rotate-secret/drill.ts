import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startAtlasEmulator } from '../../drill/emulators/atlas/server.js';
import { startVaultEmulator } from '../../drill/emulators/vault/server.js';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { runStep } from '../../core/step.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { buildRotateSecretPorts } from './build-ports.js';
import { rotateSecretStep } from './step.js';

/**
 * The seed runbooks' "rotate the leaked credential" steps, drilled on every provider rotate-secret
 * reaches: Secrets Manager (moto) with a failed promotion, a re-run and a rollback; the same secret
 * set as an Atlas database user password and its ECS consumer restarted, with the restart failing
 * half-way and a re-run that restarts without rotating twice; a GitHub Actions secret (the emulator
 * opens the sealed box); Vault KV v2 (one key, check-and-set) and its rollback, a leaked Vault token
 * revoked by accessor and its leases by prefix; an Atlas user locked out and the attacker's address
 * removed from the access list. The Vault and Atlas emulators are started by the scenario itself.
 * Finally the canary values are searched for in the drill's audit chain.
 */
const SECRET = 'drill/rotate-secret/db';
const ORIGINAL = '{"username":"app","password":"drill-original-password","host":"db.internal","port":5432}';
const CANARY = 'Drill"Canary\\Value/+=&%-rotate-secret';
const FP_KEY = 'ab'.repeat(32);

export const rotateSecretScenario: DrillScenario = {
  name: 'rotate-secret',
  description: 'rotate one JSON key of a Secrets Manager secret (moto), with a failed promotion mid-run, a re-run, a rollback and a canary search',
  needs: ['aws', 'github'],

  async setup(env) {
    const sm = direct(env.aws!);
    await sm.send(new CreateSecretCommand({ Name: SECRET, SecretString: ORIGINAL }));
    sm.destroy();
  },

  async run(env) {
    const out: Expectation[] = [];
    const aws = env.aws!;
    const sm = direct(aws);
    const current = async (stage = 'AWSCURRENT') => (await sm.send(new GetSecretValueCommand({ SecretId: SECRET, VersionStage: stage }))).SecretString!;
    const versionCount = async () => (await sm.send(new ListSecretVersionIdsCommand({ SecretId: SECRET }))).Versions?.length ?? 0;
    const ports = () => ({ ...buildRotateSecretPorts({ ...env.env, FIREBREAK_FINGERPRINT_KEY: FP_KEY }, { sleep: env.sleep, timeoutMs: 2_000, callAttempts: 2 }), generate: async () => CANARY });
    const raw = { target: `aws:secret:${SECRET}`, jsonKey: 'password', rotationId: 'drill-rotation-1' };

    const missing = await runStep(rotateSecretStep, { ...raw, jsonKey: 'pasword' }, ports(), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('missing JSON key refused', missing instanceof FirebreakError ? missing.code : String(missing), 'JSON_KEY_MISSING'));
    out.push(checkEqual('missing JSON key: secret unchanged', await current(), ORIGINAL));

    aws.faults.add({ target: 'UpdateSecretVersionStage', times: 1, ...awsJsonError('InvalidRequestException', 'drill: promotion refused') });
    const half = await runStep(rotateSecretStep, raw, ports(), env.context()).catch((e: unknown) => e);
    const outcomes = half instanceof PartialFailureError ? (half.result as { outcomes: Array<{ action: string; status: string }> }).outcomes : [];
    out.push(check('failed promotion: reported as partial, stage applied, promote failed', outcomes.map((o) => `${o.action}:${o.status}`).join() === 'stage:applied,promote:failed', String(half)));
    out.push(checkEqual('failed promotion: AWSCURRENT unchanged', await current(), ORIGINAL));

    const healed = await runStep(rotateSecretStep, raw, ports(), env.context());
    out.push(checkEqual('re-run converges', healed.result?.status, 'ok'));
    out.push(checkEqual('re-run: no second version', await versionCount(), 2));
    const rotated = JSON.parse(await current()) as Record<string, unknown>;
    out.push(checkEqual('rotated: other keys kept', { ...rotated, password: '*' }, { username: 'app', password: '*', host: 'db.internal', port: 5432 }));
    out.push(check('rotated: the new value is current', rotated.password === CANARY));
    out.push(checkEqual('rotated: the old value is AWSPREVIOUS', await current('AWSPREVIOUS'), ORIGINAL));

    const back = await runStep(rotateSecretStep, { target: raw.target, rollback: 'true', rotationId: 'drill-rollback-1' }, ports(), env.context());
    out.push(checkEqual('rollback applied', back.result?.status, 'ok'));
    out.push(checkEqual('rollback: the original value is current', await current(), ORIGINAL));

    out.push(...(await everyOtherProvider(env, aws)));

    const { readFile } = await import('node:fs/promises');
    const records = await readFile(env.auditFile, 'utf8');
    for (const value of [CANARY, ...Object.values(PROVIDER_CANARIES)]) {
      const forms = [value, Buffer.from(value).toString('base64'), Buffer.from(value).toString('hex'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1)];
      out.push(check(`canary: no form of ${value.slice(0, 12)}… in the audit chain`, forms.every((f) => !records.includes(f)), forms.filter((f) => records.includes(f)).join(' | ')));
    }
    out.push(check('canary: the old value is not in the audit chain', !records.includes('drill-original-password')));
    sm.destroy();
    return out;
  },
};

const PROVIDER_CANARIES = {
  github: 'Drill-GitHub-Canary/+=-rotate',
  vault: 'Drill-Vault-Canary/+=-rotate-',
  atlas: 'Drill-Atlas-Canary/+=-rotate-',
  lockout: 'Drill-Lockout-Canary/+=-rotat',
};
const PROJECT = 'dd'.repeat(12);

async function everyOtherProvider(env: Parameters<DrillScenario['run']>[0], aws: NonNullable<Parameters<DrillScenario['run']>[0]['aws']>): Promise<Expectation[]> {
  const out: Expectation[] = [];
  const gh = env.github!;
  const [vault, atlas] = await Promise.all([startVaultEmulator(), startAtlasEmulator()]);
  const ecs = new ECSClient({ region: aws.region, endpoint: aws.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const sm = direct(aws);
  try {
    const ports = (value: string, extra: Record<string, string> = {}) => ({
      ...buildRotateSecretPorts({ ...env.env, ...vault.env(), ...atlas.env(), FIREBREAK_FINGERPRINT_KEY: FP_KEY, ...extra }, { sleep: env.sleep, clock: env.clock, timeoutMs: 2_000, callAttempts: 1, ecsPollMs: 1_000 }),
      generate: async () => value,
    });
    const status = (e: unknown) => (e instanceof PartialFailureError ? (e.result as { outcomes: Array<{ action: string; status: string }> }).outcomes.map((o) => `${o.action}:${o.status}`).join() : e instanceof FirebreakError ? e.code : String(e));

    // Secrets Manager + Atlas user + ECS consumer (seed 002): ECS fails once after the value changed.
    await sm.send(new CreateSecretCommand({ Name: 'drill/rotate-secret/mongo', SecretString: '{"user":"app","password":"drill-old-mongo-1"}' }));
    atlas.state.addUser(PROJECT, { username: 'app', password: 'drill-old-mongo-1' });
    await ecs.send(new CreateClusterCommand({ clusterName: 'drill' }));
    const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'drill-api', containerDefinitions: [{ name: 'api', image: 'api:1', memory: 128 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'drill', serviceName: 'api', taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'drill', service: 'api', desiredCount: 1 }));
    const mongo = { target: 'aws:secret:drill/rotate-secret/mongo', jsonKey: 'password', atlasUser: `atlas:db-user:admin/app@${PROJECT}`, restartServices: 'drill/api', rotationId: 'drill-mongo-1' };
    aws.faults.add({ target: 'UpdateService', times: 1, ...awsJsonError('ServerException', 'drill: ECS is down', 500) });
    const half = await runStep(rotateSecretStep, mongo, ports(PROVIDER_CANARIES.atlas), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('Atlas via Secrets Manager: restart failed half-way, reported precisely', status(half), 'stage:applied,set-password:applied,promote:applied,restart:failed'));
    const versions = async () => (await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'drill/rotate-secret/mongo' }))).Versions?.length ?? 0;
    const healed = await runStep(rotateSecretStep, mongo, ports('must-not-be-used-0000'), env.context());
    out.push(checkEqual('Atlas via Secrets Manager: the re-run only restarts', healed.result?.outcomes.map((o) => `${o.action}:${o.status}`).join(), 'restart:applied,none:already'));
    out.push(checkEqual('Atlas via Secrets Manager: one new version, not two', await versions(), 2));
    const stored = JSON.parse((await sm.send(new GetSecretValueCommand({ SecretId: 'drill/rotate-secret/mongo', VersionStage: 'AWSCURRENT' }))).SecretString!) as { password: string };
    out.push(check('Atlas via Secrets Manager: the database accepts what the application reads', atlas.state.password(PROJECT, 'admin', 'app') === stored.password && stored.password === PROVIDER_CANARIES.atlas));

    // GitHub Actions secret.
    gh.state.repoSecrets.set('DRILL_DEPLOY_KEY', { value: 'drill-old-gh', createdAt: env.clock.now().toISOString(), updatedAt: env.clock.now().toISOString() });
    const ghRun = await runStep(rotateSecretStep, { target: 'github:repo-secret:DRILL_DEPLOY_KEY', rotationId: 'drill-gh-1' }, ports(PROVIDER_CANARIES.github), env.context());
    out.push(checkEqual('GitHub secret rotated', ghRun.result?.status, 'ok'));
    out.push(check('GitHub secret: the emulator opens the sealed box to the new value', gh.state.secretValue('DRILL_DEPLOY_KEY') === PROVIDER_CANARIES.github));
    const ghBack = await runStep(rotateSecretStep, { target: 'github:repo-secret:DRILL_DEPLOY_KEY', rollback: 'true' }, ports('x'.repeat(20)), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('GitHub secret: rollback refused (write-only)', status(ghBack), 'ROLLBACK_IMPOSSIBLE'));

    // Vault KV v2, one key, then rolled back; a leaked token revoked by accessor; leases by prefix.
    vault.state.putKv('secret', 'shop/jwt', { signing_key: 'drill-old-jwt-key', issuer: 'shop' });
    const kv = await runStep(rotateSecretStep, { target: 'vault:kv:secret/shop/jwt', jsonKey: 'signing_key', rotationId: 'drill-vault-1' }, ports(PROVIDER_CANARIES.vault), env.context());
    out.push(checkEqual('Vault KV: rotated', kv.result?.status, 'ok'));
    out.push(checkEqual('Vault KV: one key changed, the others kept', vault.state.readKv('secret', 'shop/jwt'), { signing_key: PROVIDER_CANARIES.vault, issuer: 'shop' }));
    const missing = await runStep(rotateSecretStep, { target: 'vault:kv:secret/shop/jwt', jsonKey: 'signing_kee', rotationId: 'drill-vault-2' }, ports('y'.repeat(20)), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('Vault KV: a missing key refused', status(missing), 'JSON_KEY_MISSING'));
    const kvBack = await runStep(rotateSecretStep, { target: 'vault:kv:secret/shop/jwt', rollback: 'true', rotationId: 'drill-vault-rb' }, ports('z'.repeat(20)), env.context());
    out.push(checkEqual('Vault KV: rollback restores the previous data as version 3', [kvBack.result?.status, vault.state.readKv('secret', 'shop/jwt'), vault.state.kv.get('secret')!.get('shop/jwt')!.currentVersion], ['ok', { signing_key: 'drill-old-jwt-key', issuer: 'shop' }, 3]));
    const leaked = vault.state.addToken({ displayName: 'leaked-ci', policies: ['deploy'], path: 'auth/approle/login' });
    vault.state.addLease('database/creds/shop/l1', leaked.id);
    vault.state.addLease('aws/creds/deploy/l2');
    const tok = await runStep(rotateSecretStep, { target: `vault:token-accessor:${leaked.accessor}` }, ports('unused-value-000000'), env.context());
    out.push(check('Vault token revoked by accessor, with its leases', tok.result?.status === 'ok' && !vault.state.tokens.has(leaked.id) && !vault.state.leases.has('database/creds/shop/l1')));
    const self = await runStep(rotateSecretStep, { target: `vault:token-accessor:${vault.state.rootToken.accessor}` }, ports('unused-value-000000'), env.context()).catch((e: unknown) => e);
    out.push(checkEqual("Vault: revoking the responder's own token refused", status(self), 'REVOKE_SELF'));
    const leases = await runStep(rotateSecretStep, { target: 'vault:lease-prefix:aws/creds/deploy' }, ports('unused-value-000000'), env.context());
    out.push(check('Vault leases revoked by prefix', leases.result?.status === 'ok' && vault.state.leases.size === 0));

    // Atlas: lock the attacker's user out and drop their address (seed 002).
    atlas.state.addUser(PROJECT, { username: 'intruder', password: 'drill-old-intruder' });
    atlas.state.addAccessEntry(PROJECT, '203.0.113.99', 'attacker');
    const lock = await runStep(rotateSecretStep, { target: `atlas:db-user:admin/intruder@${PROJECT}`, disable: 'true', rotationId: 'drill-lock-1' }, ports(PROVIDER_CANARIES.lockout), env.context());
    out.push(check('Atlas user locked out', lock.result?.status === 'ok' && atlas.state.password(PROJECT, 'admin', 'intruder') === PROVIDER_CANARIES.lockout));
    const entry = await runStep(rotateSecretStep, { target: `atlas:access-list-entry:203.0.113.99@${PROJECT}` }, ports('unused-value-000000'), env.context());
    out.push(check('Atlas access-list entry removed', entry.result?.status === 'ok' && atlas.state.projects.get(PROJECT)!.accessList.size === 0));

    out.push(checkEqual('Vault and Atlas emulators: every request matched the published descriptions', [...vault.takeViolations(), ...atlas.takeViolations()], []));
  } finally {
    ecs.destroy();
    sm.destroy();
    await Promise.all([vault.stop(), atlas.stop()]);
  }
  return out;
}

function direct(aws: { region: string; directEndpoint: string }): SecretsManagerClient {
  return new SecretsManagerClient({ region: aws.region, endpoint: aws.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}
