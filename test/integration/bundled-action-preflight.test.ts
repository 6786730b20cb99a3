import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { verifyChain } from '../../src/core/audit.js';
import { EXIT_CODES } from '../../src/core/errors.js';
import { KIT_VARIABLES } from '../../src/core/names.js';
import type { Outcome } from '../../src/core/plan.js';
import { startMoto, type MotoServer } from '../../src/drill/emulators/moto.js';
import { runBundledAction } from '../helpers/run-action.js';

/**
 * The committed bundle `dist/preflight.js` (action.yml `runs.main`), run as the runner runs it, against moto.
 * The OIDC hop is emulated with a real AssumeRole, so the action sees the session credentials a
 * configure-aws-credentials step would export.
 */
const ROLE_ARN = 'arn:aws:iam::123456789012:role/ops/firebreak-responder';

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

beforeEach(async () => {
  await moto.reset();
});

async function assumeResponderRole(): Promise<Record<string, string>> {
  const env = moto.env();
  const sts = new STSClient({ region: env.AWS_REGION!, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: ROLE_ARN, RoleSessionName: 'github-run-4242' }));
  sts.destroy();
  const c = out.Credentials!;
  return { ...env, AWS_ACCESS_KEY_ID: c.AccessKeyId!, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey!, AWS_SESSION_TOKEN: c.SessionToken! };
}

const runnerEnv = {
  GITHUB_ACTOR: 'octo-responder',
  GITHUB_SERVER_URL: 'https://github.com',
  GITHUB_REPOSITORY: 'acme/shop',
  GITHUB_RUN_ID: '4242',
};

const kitEnv = { [KIT_VARIABLES.awsRegion]: 'us-east-1', [KIT_VARIABLES.responderRoleArn]: ROLE_ARN };

describe('bundled preflight action', () => {
  it('applies: checks the assumed role and the kit variables, writes outputs, summary and a chained audit record', async () => {
    const creds = await assumeResponderRole();
    // As preflight.yml passes them: every environment variable in one JSON blob.
    const vars = JSON.stringify({ ...kitEnv, UNRELATED_VARIABLE: 'ignored' });
    const first = await runBundledAction({ slug: 'preflight', inputs: { apply: 'true', 'incident-id': 'INC-1' }, env: { ...creds, ...runnerEnv, FIREBREAK_VARS: vars } });

    expect(first.stderr).not.toMatch(/Error/);
    expect(first.exitCode).toBe(0);
    expect(first.outputs.status).toBe('applied');
    const result = JSON.parse(first.outputs['result-json']!) as { status: string; outcomes: Outcome[] };
    expect(result.status).toBe('ok');
    const bySubject = new Map(result.outcomes.map((o) => [o.subject, o]));
    expect(bySubject.get('caller-identity')).toMatchObject({ status: 'applied', reason: expect.stringContaining('assumed-role/firebreak-responder/github-run-4242') });
    expect(bySubject.get('responder-role')?.status).toBe('applied');
    expect(bySubject.get(KIT_VARIABLES.responderRoleArn)?.status).toBe('applied');
    // Optional parts of the kit that are not deployed are reported, not failed.
    expect(result.outcomes.filter((o) => o.status === 'skipped').length).toBe(Object.keys(KIT_VARIABLES).length - 2);

    expect(first.summary).toContain('## firebreak `preflight`: applied');
    expect(first.summary).toContain('| run | https://github.com/acme/shop/actions/runs/4242 |');
    expect(first.summary).toContain('### Result: `preflight` — ok');
    expect(first.summary).toContain(`hash \`${first.outputs['audit-hash']}\``);
    // The session token was masked before anything else was printed, and never leaks.
    expect(first.stdout.indexOf(`::add-mask::${creds.AWS_SESSION_TOKEN}`)).toBeGreaterThanOrEqual(0);
    expect(first.stdout.split('\n').findIndex((l) => !l.startsWith('::add-mask::'))).toBeGreaterThan(0);
    expect(first.summary).not.toContain(creds.AWS_SECRET_ACCESS_KEY);
    expect(moto.requests.filter((r) => r.method === 'POST').length).toBe(1);

    // Same workspace, second run (a dry run by default): the chain grows and verifies.
    const second = await runBundledAction({ slug: 'preflight', workspace: first.workspace, env: { ...creds, ...runnerEnv, ...kitEnv } });
    expect(second.exitCode).toBe(0);
    expect(second.outputs.status).toBe('planned');
    expect(second.outputs['result-json']).toBe('null');
    const lines = (await readFile(join(first.workspace, '.firebreak', 'audit.jsonl'), 'utf8')).split('\n');
    const report = verifyChain(lines, { seq: 2, hash: second.outputs['audit-hash']! });
    expect(report).toMatchObject({ ok: true, records: 2 });
    const records = lines.filter(Boolean).map((l) => JSON.parse(l));
    expect(records[0].hash).toBe(first.outputs['audit-hash']);
    expect(records[1].prev).toBe(first.outputs['audit-hash']);
    expect(records[0].record).toMatchObject({ actor: 'octo-responder', incidentId: 'INC-1', status: 'applied', dryRun: false });
    expect(moto.requests.filter((r) => r.method === 'POST').length).toBe(1);
  });

  it('fails with the partial exit code when the credentials are not the responder role and a required variable is missing', async () => {
    const run = await runBundledAction({
      slug: 'preflight',
      inputs: { apply: 'true' },
      env: { ...moto.env(), ...runnerEnv, [KIT_VARIABLES.responderRoleArn]: ROLE_ARN, FIREBREAK_AUDIT_FILE: 'audit/chain.jsonl' },
    });
    expect(run.exitCode).toBe(EXIT_CODES.partial);
    expect(run.outputs.status).toBe('partial');
    const outcomes = (JSON.parse(run.outputs['result-json']!) as { outcomes: Outcome[] }).outcomes;
    expect(outcomes.find((o) => o.subject === 'responder-role')).toMatchObject({ status: 'failed', reason: expect.stringContaining('not as an assumed role') });
    expect(outcomes.find((o) => o.subject === KIT_VARIABLES.awsRegion)).toMatchObject({ status: 'failed', reason: expect.stringContaining('missing') });
    expect(run.summary).toContain('**`PARTIAL_FAILURE`**');
    expect(run.summary).toContain('| aws:sts | `responder-role` | failed |');
    expect(run.stdout).toContain('::error::PARTIAL_FAILURE: preflight: 2 change(s) failed');
    const chain = await readFile(join(run.workspace, 'audit', 'chain.jsonl'), 'utf8');
    expect(verifyChain(chain.split('\n'))).toMatchObject({ ok: true, records: 1 });
  });

  it('retries a throttled STS call and reports expired credentials with guidance, without failing the variables check', async () => {
    const creds = await assumeResponderRole();
    moto.faults.add({ method: 'POST', path: '/', status: 503, body: '', times: 1 });
    const retried = await runBundledAction({ slug: 'preflight', inputs: { apply: 'true', checks: 'aws' }, env: { ...creds, ...runnerEnv, ...kitEnv } });
    expect(retried.exitCode).toBe(0);
    expect(moto.requests.map((r) => r.faulted)).toEqual([true, false]);
    expect(JSON.parse(retried.outputs['plan-json']!).changes.map((c: { subject: string }) => c.subject)).toEqual(['caller-identity', 'responder-role']);

    moto.faults.add({
      method: 'POST',
      path: '/',
      status: 403,
      headers: { 'content-type': 'text/xml' },
      body: '<ErrorResponse><Error><Type>Sender</Type><Code>ExpiredToken</Code><Message>The security token included in the request is expired</Message></Error><RequestId>1</RequestId></ErrorResponse>',
      times: Infinity,
    });
    const expired = await runBundledAction({ slug: 'preflight', inputs: { apply: 'true' }, env: { ...creds, ...runnerEnv, ...kitEnv } });
    expect(expired.exitCode).toBe(EXIT_CODES.partial);
    const outcomes = (JSON.parse(expired.outputs['result-json']!) as { outcomes: Outcome[] }).outcomes;
    expect(outcomes.find((o) => o.subject === 'caller-identity')).toMatchObject({ status: 'failed', retryable: false, reason: expect.stringContaining('id-token: write') });
    expect(outcomes.find((o) => o.subject === KIT_VARIABLES.awsRegion)?.status).toBe('applied');
    // Credential errors are not retried: one request, not four.
    expect(moto.requests.filter((r) => r.status === 403)).toHaveLength(1);
  });

  it('refuses an unknown check as an input error and changes nothing', async () => {
    const run = await runBundledAction({ slug: 'preflight', inputs: { apply: 'true', checks: 'aws,dns' }, env: { ...moto.env(), ...runnerEnv } });
    expect(run.exitCode).toBe(EXIT_CODES.input);
    expect(run.outputs.status).toBe('refused');
    expect(run.summary).toContain('unknown check "dns"');
    expect(moto.requests).toHaveLength(0);
  });
});
