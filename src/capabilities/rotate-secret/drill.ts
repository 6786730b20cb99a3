import { CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { runStep } from '../../core/step.js';
import { awsJsonError } from '../../drill/emulators/faults.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { buildRotateSecretPorts } from './build-ports.js';
import { rotateSecretStep } from './step.js';

/**
 * The seed runbooks' "rotate the leaked credential" step, drilled on Secrets Manager (moto): rotate
 * one key of a JSON database secret and keep the others, refuse a missing key, survive a failed
 * promotion (value staged, AWSCURRENT unchanged, a re-run promotes the same version), roll back, and
 * find the canary value in no record. Not registered in src/drill/scenarios/index.ts yet.
 */
const SECRET = 'drill/rotate-secret/db';
const ORIGINAL = '{"username":"app","password":"drill-original-password","host":"db.internal","port":5432}';
const CANARY = 'Drill"Canary\\Value/+=&%-rotate-secret';
const FP_KEY = 'ab'.repeat(32);

export const rotateSecretScenario: DrillScenario = {
  name: 'rotate-secret',
  description: 'rotate one JSON key of a Secrets Manager secret (moto), with a failed promotion mid-run, a re-run, a rollback and a canary search',
  needs: ['aws'],

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

    const { readFile } = await import('node:fs/promises');
    const records = await readFile(env.auditFile, 'utf8');
    const forms = [CANARY, Buffer.from(CANARY).toString('base64'), Buffer.from(CANARY).toString('hex'), encodeURIComponent(CANARY), JSON.stringify(CANARY).slice(1, -1)];
    out.push(check('canary: no form of the new value in the audit chain', forms.every((f) => !records.includes(f)), forms.filter((f) => records.includes(f)).join(' | ')));
    out.push(check('canary: the old value is not in the audit chain', !records.includes('drill-original-password')));
    sm.destroy();
    return out;
  },
};

function direct(aws: { region: string; directEndpoint: string }): SecretsManagerClient {
  return new SecretsManagerClient({ region: aws.region, endpoint: aws.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}
