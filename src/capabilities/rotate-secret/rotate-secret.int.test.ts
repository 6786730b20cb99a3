import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, InputError, PartialFailureError } from '../../core/errors.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { verifyFingerprint } from '../../core/secret-fingerprint.js';
import { makeContext, runStep } from '../../core/step.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { FileAuditSink, MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { AwsSecrets } from './aws-secrets.js';
import { buildRotateSecretPorts } from './build-ports.js';
import type { RotateSecretPorts, VerifyHook } from './ports.js';
import { rotateSecretStep } from './step.js';

const instant = async () => {};
const FP_KEY = new Uint8Array(Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex'));

let moto: MotoServer;
let audit: MemoryAuditSink;
let logger: ReturnType<typeof memoryLogger>;

const client = (endpoint = moto.endpoint) =>
  new SecretsManagerClient({ region: moto.region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 });

function ports(extra: Partial<RotateSecretPorts> = {}): RotateSecretPorts {
  const store = new AwsSecrets({ client: client(), sleep: instant, random: () => 0.5, callAttempts: 2 });
  return { store: () => store, fingerprintKey: FP_KEY, ...extra };
}

function ctx(over: Partial<Parameters<typeof makeContext>[0]> = {}) {
  return makeContext({ audit, clock: manualClock('2026-12-01T10:00:00Z'), sleep: instant, logger, dryRun: false, incidentId: 'INC-11', actor: 'responder', runUrl: 'https://github.example/acme/shop/actions/runs/1', ...over });
}

async function create(name: string, value: string): Promise<string> {
  const out = await client(moto.directEndpoint).send(new CreateSecretCommand({ Name: name, SecretString: value }));
  return out.ARN!;
}
async function read(name: string, stage = 'AWSCURRENT') {
  const out = await client(moto.directEndpoint).send(new GetSecretValueCommand({ SecretId: name, VersionStage: stage }));
  return { versionId: out.VersionId!, text: out.SecretString! };
}
async function versions(name: string): Promise<Record<string, string[]>> {
  const out = await client(moto.directEndpoint).send(new ListSecretVersionIdsCommand({ SecretId: name, IncludeDeprecated: true }));
  return Object.fromEntries((out.Versions ?? []).map((v) => [v.VersionId!, [...(v.VersionStages ?? [])].sort()]));
}
const calls = (op: string) => moto.requests.filter((r) => r.target === `secretsmanager.${op}`);
const writes = () => [...calls('PutSecretValue'), ...calls('UpdateSecretVersionStage')];

beforeAll(async () => {
  moto = await startMoto();
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  audit = new MemoryAuditSink();
  logger = memoryLogger();
});

describe('rotate-secret against moto', () => {
  it('two keys of one secret in the same run are two rotations: the second is not taken for a re-run of the first', async () => {
    await create('prod/app-keys', JSON.stringify({ password: 'old-password-0001', api_token: 'old-api-token-0001', host: 'db.internal' }));
    const first = await runStep(rotateSecretStep, { target: 'aws:secret:prod/app-keys', jsonKey: 'password' }, ports(), ctx());
    expect(first.result?.status).toBe('ok');
    const afterFirst = JSON.parse((await read('prod/app-keys')).text) as Record<string, string>;
    const second = await runStep(rotateSecretStep, { target: 'aws:secret:prod/app-keys', jsonKey: 'api_token' }, ports(), ctx());
    expect(second.result?.status).toBe('ok');
    const afterSecond = JSON.parse((await read('prod/app-keys')).text) as Record<string, string>;
    expect(afterSecond.api_token).not.toBe('old-api-token-0001');
    expect(afterSecond.password).toBe(afterFirst.password);
    expect(afterSecond.host).toBe('db.internal');
    // The second is still found by its own re-run.
    const again = await runStep(rotateSecretStep, { target: 'aws:secret:prod/app-keys', jsonKey: 'api_token' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(Object.keys(await versions('prod/app-keys'))).toHaveLength(3);
  });

  it('rotates a plain secret: new value AWSCURRENT, old one AWSPREVIOUS, no AWSPENDING left; a re-run changes nothing', async () => {
    await create('prod/api-token', 'old-token-value-0001');
    const before = await read('prod/api-token');
    const run = await runStep(rotateSecretStep, { target: 'aws:secret:prod/api-token', length: '40', alphabet: 'alnum' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const after = await read('prod/api-token');
    expect(after.text).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(after.versionId).not.toBe(before.versionId);
    const stages = await versions('prod/api-token');
    expect(stages[after.versionId]).toEqual(['AWSCURRENT']);
    expect(stages[before.versionId]).toEqual(['AWSPREVIOUS']);
    expect(await read('prod/api-token', 'AWSPREVIOUS')).toEqual(before);
    // The record names versions and a keyed fingerprint someone with the value and the key can check.
    const promote = run.result!.outcomes.find((o) => o.action === 'promote')!;
    const fp = /AWSCURRENT is version \S+; fingerprint (hmac-sha256:\S+);/.exec(promote.reason!)![1]!;
    const arn = (run.plan!.meta as { secretId: string }).secretId;
    expect(verifyFingerprint(after.text, fp, FP_KEY, arn, after.versionId)).toBe(true);
    expect(verifyFingerprint(after.text, fp, FP_KEY, arn, before.versionId)).toBe(false);
    expect(calls('GetSecretValue').length).toBeGreaterThan(0);

    moto.requests.length = 0;
    const again = await runStep(rotateSecretStep, { target: 'aws:secret:prod/api-token', length: '40' }, ports(), ctx());
    expect(again.result?.status).toBe('noop');
    expect(again.result?.outcomes[0]?.reason).toMatch(/already rotated by this run/);
    expect(writes()).toEqual([]);
    expect((await read('prod/api-token')).text).toBe(after.text);
  });

  it('rotates one JSON key and keeps every other byte (big numbers, 1.0, order, spacing)', async () => {
    const original = '{ "user": "app",\n  "id": 12345678901234567890, "ratio": 1.0, "password": "old-pass-word-123", "nested": {"password": "keep-me"}, "list": [1, "x,}"] }';
    await create('prod/db', original);
    const run = await runStep(rotateSecretStep, { target: 'aws:secret:prod/db', jsonKey: 'password', alphabet: 'hex', length: '24' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    const now = (await read('prod/db')).text;
    const value = (JSON.parse(now) as { password: string }).password;
    expect(value).toMatch(/^[0-9a-f]{24}$/);
    expect(now).toBe(original.replace('"old-pass-word-123"', JSON.stringify(value)));
  });

  it('adds a missing key only with create-key', async () => {
    await create('prod/jwt', '{"issuer":"shop"}');
    const refused = await runStep(rotateSecretStep, { target: 'aws:secret:prod/jwt', jsonKey: 'signingKey' }, ports(), ctx()).catch((e: unknown) => e);
    expect((refused as InputError).code).toBe('JSON_KEY_MISSING');
    expect(writes()).toEqual([]);
    await runStep(rotateSecretStep, { target: 'aws:secret:prod/jwt', jsonKey: 'signingKey', createKey: 'true' }, ports(), ctx());
    const now = JSON.parse((await read('prod/jwt')).text) as Record<string, string>;
    expect(Object.keys(now)).toEqual(['issuer', 'signingKey']);
    expect(now.issuer).toBe('shop');
  });

  describe('bad input: a typed error and nothing written', () => {
    const cases: Array<[string, Record<string, unknown>, string, () => Promise<void>]> = [
      ['a secret that does not exist', { target: 'aws:secret:prod/nope' }, 'SECRET_NOT_FOUND', async () => {}],
      ['a JSON key that does not exist', { target: 'aws:secret:s1', jsonKey: 'pasword' }, 'JSON_KEY_MISSING', async () => void (await create('s1', '{"password":"abcdefgh"}'))],
      ['json-key on a non-JSON secret', { target: 'aws:secret:s2', jsonKey: 'password' }, 'SECRET_NOT_JSON', async () => void (await create('s2', 'not json at all {'))],
      ['a JSON key that holds a number', { target: 'aws:secret:s3', jsonKey: 'port' }, 'JSON_KEY_NOT_STRING', async () => void (await create('s3', '{"port":5432}'))],
      ['a value that would push the secret over 65536 bytes', { target: 'aws:secret:s4', jsonKey: 'k', length: '4000' }, 'POLICY_IMPOSSIBLE', async () => void (await create('s4', JSON.stringify({ k: 'x', pad: 'p'.repeat(62000) })))],
      ['an unknown target kind', { target: 'aws:iam-user:bob' }, 'TARGET_INVALID', async () => {}],
      ['a policy of length 0', { target: 'aws:secret:s5', length: '0' }, 'POLICY_IMPOSSIBLE', async () => void (await create('s5', 'abcdefghijkl'))],
      ['a value over 4096 characters in a JSON key', { target: 'aws:secret:s6', jsonKey: 'k', length: '5000' }, 'POLICY_IMPOSSIBLE', async () => void (await create('s6', '{"k":"abcdefgh"}'))],
    ];
    for (const [name, raw, code, setup] of cases) {
      it(`refuses ${name}`, async () => {
        await setup();
        moto.requests.length = 0;
        const err = await runStep(rotateSecretStep, raw, ports(), ctx()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).code).toBe(code);
        expect(writes()).toEqual([]);
        expect(audit.entries.map((e) => e.record.status)).toEqual(['refused']);
      });
    }

    it('refuses while another rotation is pending, and says how to finish or abandon it', async () => {
      await create('prod/pending', 'current-value-0001');
      await client(moto.directEndpoint).send(new PutSecretValueCommand({ SecretId: 'prod/pending', SecretString: 'someone-elses-value', VersionStages: ['AWSPENDING'], ClientRequestToken: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee' }));
      moto.requests.length = 0;
      const err = await runStep(rotateSecretStep, { target: 'aws:secret:prod/pending' }, ports(), ctx()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).code).toBe('ROTATION_PENDING');
      expect((err as ConflictError).hint).toMatch(/--remove-from-version-id aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee/);
      expect(writes()).toEqual([]);
      expect((await read('prod/pending')).text).toBe('current-value-0001');
    });
  });

  it('value staged, promotion failed: a precise partial failure; the re-run promotes the same version, no second one', async () => {
    await create('prod/half', 'original-value-0001');
    const before = await read('prod/half');
    moto.faults.add({ target: 'UpdateSecretVersionStage', times: 1, ...awsJsonError('InvalidRequestException', 'drill: promotion refused') });
    const err = await runStep(rotateSecretStep, { target: 'aws:secret:prod/half' }, ports(), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    const outcomes = ((err as PartialFailureError).result as { outcomes: Array<{ action: string; status: string; reason?: string }> }).outcomes;
    expect(outcomes.map((o) => `${o.action}:${o.status}`)).toEqual(['stage:applied', 'promote:failed']);
    expect(outcomes[1]!.reason).toMatch(new RegExp(`AWSCURRENT is still version ${before.versionId}`));
    expect((await read('prod/half')).text).toBe('original-value-0001');
    const staged = await read('prod/half', 'AWSPENDING');

    moto.requests.length = 0;
    const again = await runStep(rotateSecretStep, { target: 'aws:secret:prod/half' }, ports(), ctx());
    expect(again.result?.status).toBe('ok');
    expect(calls('PutSecretValue')).toHaveLength(0);
    expect(await read('prod/half')).toEqual(staged);
    expect(Object.keys(await versions('prod/half')).sort()).toEqual([before.versionId, staged.versionId].sort());
  });

  it('another rotation staged between plan and apply is not overwritten', async () => {
    await create('prod/race', 'race-original-0001');
    const real = new AwsSecrets({ client: client(), sleep: instant, callAttempts: 1 });
    let describes = 0;
    const racing = Object.assign(Object.create(real) as AwsSecrets, {
      describe: async (id: string) => {
        if (++describes === 2) {
          await client(moto.directEndpoint).send(new PutSecretValueCommand({ SecretId: 'prod/race', SecretString: 'their-staged-value', VersionStages: ['AWSPENDING'], ClientRequestToken: 'bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee' }));
        }
        return real.describe(id);
      },
    });
    const err = await runStep(rotateSecretStep, { target: 'aws:secret:prod/race' }, { ...ports(), store: () => racing }, ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect((err as PartialFailureError).message).toMatch(/bbbbbbbb-bbbb-4ccc-8ddd-eeeeeeeeeeee became AWSPENDING since the plan/);
    expect(calls('PutSecretValue')).toHaveLength(0);
    expect((await read('prod/race', 'AWSPENDING')).text).toBe('their-staged-value');
    expect((await read('prod/race')).text).toBe('race-original-0001');
  });

  it('a verification hook that refuses keeps AWSCURRENT; the re-run checks the same staged value again', async () => {
    await create('prod/hooked', 'original-value-0002');
    const seen: string[] = [];
    let accept = false;
    const verify: VerifyHook = async ({ value }) => {
      seen.push(value);
      if (!accept) throw new Error('login with the new value failed');
    };
    const err = await runStep(rotateSecretStep, { target: 'aws:secret:prod/hooked' }, ports({ verify }), ctx()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PartialFailureError);
    expect((await read('prod/hooked')).text).toBe('original-value-0002');
    accept = true;
    const run = await runStep(rotateSecretStep, { target: 'aws:secret:prod/hooked' }, ports({ verify }), ctx());
    expect(run.result?.status).toBe('ok');
    expect(seen).toHaveLength(2);
    expect(seen[1]).toBe(seen[0]);
    expect((await read('prod/hooked')).text).toBe(seen[0]);
  });

  it('builds ports from the environment: the scope picks the region, a wrong account is refused before any write', async () => {
    await create('prod/scoped', 'scoped-original-0001');
    const envPorts = buildRotateSecretPorts({ ...moto.env(), FIREBREAK_FINGERPRINT_KEY: 'cd'.repeat(32) }, { sleep: instant, timeoutMs: 2_000 });
    const wrong = await runStep(rotateSecretStep, { target: 'aws:secret:prod/scoped@111111111111' }, envPorts, ctx()).catch((e: unknown) => e);
    expect((wrong as InputError).code).toBe('TARGET_SCOPE_MISMATCH');
    const otherRegion = await runStep(rotateSecretStep, { target: `aws:secret:prod/scoped@eu-west-3` }, envPorts, ctx()).catch((e: unknown) => e);
    expect((otherRegion as InputError).code).toBe('SECRET_NOT_FOUND');
    expect(writes()).toEqual([]);
    const run = await runStep(rotateSecretStep, { target: `aws:secret:prod/scoped@123456789012/${moto.region}` }, envPorts, ctx());
    expect(run.result?.status).toBe('ok');
    expect(run.result?.outcomes.find((o) => o.action === 'promote')?.reason).toMatch(/fingerprint hmac-sha256:/);
    expect((await read('prod/scoped')).text).not.toBe('scoped-original-0001');
  });

  it('uses GetRandomPassword for alphabet aws, with its options', async () => {
    await create('prod/aws-gen', 'original-value-0003');
    const dry = await runStep(rotateSecretStep, { target: 'aws:secret:prod/aws-gen', alphabet: 'aws', length: '48' }, ports(), ctx({ dryRun: true }));
    expect(dry.plan?.changes.map((c) => `${c.action} ${c.subject}`)).toEqual(['rotate prod/aws-gen']);
    expect(calls('GetRandomPassword')).toHaveLength(0);
    expect(writes()).toEqual([]);
    const run = await runStep(rotateSecretStep, { target: 'aws:secret:prod/aws-gen', alphabet: 'aws', length: '48', excludePunctuation: 'true' }, ports(), ctx());
    expect(run.result?.status).toBe('ok');
    expect(calls('GetRandomPassword')).toHaveLength(1);
    expect((await read('prod/aws-gen')).text).toMatch(/^[A-Za-z0-9]{48}$/);
  });

  it('rollback makes AWSPREVIOUS current again, audited as its own run; a re-run does not flip it back', async () => {
    await create('prod/rb', 'the-original-0004');
    await runStep(rotateSecretStep, { target: 'aws:secret:prod/rb' }, ports(), ctx());
    expect((await read('prod/rb')).text).not.toBe('the-original-0004');
    const rb = { target: 'aws:secret:prod/rb', rollback: 'true' };
    const run = await runStep(rotateSecretStep, rb, ports(), ctx({ runUrl: 'https://github.example/acme/shop/actions/runs/2' }));
    expect(run.result?.status).toBe('ok');
    expect((await read('prod/rb')).text).toBe('the-original-0004');
    const again = await runStep(rotateSecretStep, rb, ports(), ctx({ runUrl: 'https://github.example/acme/shop/actions/runs/2' }));
    expect(again.result?.status).toBe('noop');
    expect((await read('prod/rb')).text).toBe('the-original-0004');
    expect(audit.entries.map((e) => `${e.record.step}:${e.record.status}`)).toEqual(['rotate-secret:applied', 'rotate-secret:applied', 'rotate-secret:noop']);
  });

  it('canary: a known value never reaches plan, result, audit file, logs or errors, in any encoding', async () => {
    const CANARY = 'Canary"Value\\with/+=&% ü-7f3a9c';
    const dir = await mkdtemp(join(tmpdir(), 'fb-rotate-'));
    try {
      const file = new FileAuditSink(join(dir, 'audit.jsonl'));
      await create('prod/canary', JSON.stringify({ user: 'svc', password: 'old-canary-pass-1' }));
      const thrown: unknown[] = [];
      const runs: unknown[] = [];
      const gen = { generate: async () => CANARY };
      // A hostile hook that puts the value in its error message.
      const leaky: VerifyHook = async ({ value }) => {
        throw new Error(`consumer rejected ${value} (${Buffer.from(value).toString('base64')}, ${Buffer.from(value).toString('hex')}, ${JSON.stringify(value)}, ${encodeURIComponent(value)})`);
      };
      const c = () => ctx({ audit: file });
      thrown.push(await runStep(rotateSecretStep, { target: 'aws:secret:prod/canary', jsonKey: 'password' }, ports({ ...gen, verify: leaky }), c()).catch((e: unknown) => e));
      moto.faults.add({ target: 'UpdateSecretVersionStage', times: 1, ...awsJsonError('InvalidRequestException', `echo ${CANARY}`) });
      thrown.push(await runStep(rotateSecretStep, { target: 'aws:secret:prod/canary', jsonKey: 'password' }, ports(gen), c()).catch((e: unknown) => e));
      runs.push(await runStep(rotateSecretStep, { target: 'aws:secret:prod/canary', jsonKey: 'password' }, ports(gen), c()));
      runs.push(await runStep(rotateSecretStep, { target: 'aws:secret:prod/canary', jsonKey: 'password' }, ports(gen), { ...c(), dryRun: true }));
      runs.push(await runStep(rotateSecretStep, { target: 'aws:secret:prod/canary', rollback: 'true' }, ports(gen), c()));

      // The canary really was the value (so the search below can find something if it leaks).
      expect((JSON.parse((await read('prod/canary', 'AWSPREVIOUS')).text) as { password: string }).password).toBe(CANARY);
      expect(thrown.every((e) => e instanceof PartialFailureError)).toBe(true);

      const channels = [
        await readFile(join(dir, 'audit.jsonl'), 'utf8'),
        logger.lines.join('\n'),
        JSON.stringify(runs),
        ...thrown.map((e) => `${(e as Error).message}\n${(e as Error).stack}\n${JSON.stringify(e)}\n${JSON.stringify((e as PartialFailureError).result)}`),
      ].join('\n');
      expect(channels.length).toBeGreaterThan(1000);
      for (const secret of [CANARY, 'old-canary-pass-1']) {
        const forms = [
          secret,
          Buffer.from(secret).toString('base64'),
          Buffer.from(secret).toString('base64url'),
          Buffer.from(secret).toString('hex'),
          encodeURIComponent(secret),
          JSON.stringify(secret).slice(1, -1),
          JSON.stringify(JSON.stringify(secret)).slice(1, -1),
        ];
        for (const form of forms) expect(channels.includes(form), `found ${form}`).toBe(false);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
