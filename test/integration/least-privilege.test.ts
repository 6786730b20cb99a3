/**
 * Proof that a button cannot fail with AccessDenied in production while every test is green: each
 * capability's real code runs against moto with moto's recorder on, every AWS call it made is mapped
 * to (IAM action, resource ARN, condition keys) and evaluated by @cloud-copilot/iam-simulate against
 * the policies the kit really attaches (createKit from the example config, kit ARNs mapped onto the
 * ones moto made), the evidence bucket policy and key policy included. Grants that no call uses must
 * be explained in least-privilege.accepted.ts. See docs/operators/least-privilege.md.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/parse.js';
import { KIT_VARIABLES } from '../../src/core/names.js';
import { manualClock, memoryLogger } from '../../src/core/runtime.js';
import { makeContext, runStep } from '../../src/core/step.js';
import { startCloudflareEmulator, type CloudflareEmulator } from '../../src/drill/emulators/cloudflare/server.js';
import { startMoto, type MotoServer } from '../../src/drill/emulators/moto.js';
import { provisionIpBlockKit, type IpBlockKit } from '../../src/drill/fixtures/ip-block-kit.js';
import { impliedKmsCalls, knownSecret, toAwsCall, type AwsCall, type KnownSecret } from '../../src/drill/iam/aws-request-actions.js';
import { describeDenial, evaluateCapability, grantKey, unusedGrants, type CapabilityEvaluation, type EvaluationInput, type NamedPolicy } from '../../src/drill/iam/evaluate.js';
import { motoRecorder, motoRecorderEnv, type MotoRecorder } from '../../src/drill/iam/moto-recorder.js';
import { PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRoleCommand, GetRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateClusterCommand, CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { buildRotateSecretPorts } from '../../src/capabilities/rotate-secret/build-ports.js';
import { rotateSecretStep } from '../../src/capabilities/rotate-secret/step.js';
import { buildRollbackPorts } from '../../src/capabilities/rollback/build-ports.js';
import { rollbackStep } from '../../src/capabilities/rollback/step.js';
import { CompositeAuditSink, type AuditRecord } from '../../src/core/audit.js';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { EvidenceBucketAuditMirror } from '../../src/providers/aws/evidence-audit-store.js';
import { FileAuditSink } from '../../src/providers/local/file-audit-sink.js';
import { buildEvidenceAuditStore } from '../../src/runtime/ports/evidence-audit.js';
import { startGitHubEmulator, type GitHubEmulator } from '../../src/drill/emulators/github/server.js';
import { checkJobPermissions, jobPermissions, type GitHubFinding } from '../../src/drill/iam/github-permissions.js';
import { GitHubIncidentLedger, GitHubIssueAuditMirror } from '../../src/providers/github/incident-ledger.js';
import { githubClient } from '../../src/runtime/github-client.js';
import { classifyStep } from '../../src/capabilities/classify/step.js';
import { closeIncidentStep } from '../../src/capabilities/close-incident/step.js';
import { declareStep, declaredIncidentId } from '../../src/capabilities/declare/step.js';
import type { IncidentPorts } from '../../src/capabilities/shared/incident-support.js';
import { incidentTickStep } from '../../src/capabilities/incident-tick/step.js';
import { postUpdateStep } from '../../src/capabilities/post-update/step.js';
import { recordContainmentStep } from '../../src/capabilities/record-containment/step.js';
import { recordNotificationStep } from '../../src/capabilities/record-notification/step.js';
import { writePostmortemStep } from '../../src/capabilities/write-postmortem/step.js';
import { MemoryAuditSink } from '../../src/providers/local/file-audit-sink.js';
import { buildIpBlockPorts } from '../../src/runtime/ip-block-ports.js';
import { buildPreflightPorts } from '../../src/runtime/ports/preflight.js';
import { blockIpsStep } from '../../src/capabilities/block-ips/step.js';
import { preflightStep } from '../../src/capabilities/preflight/step.js';
import { sweepExpiredStep } from '../../src/capabilities/sweep-expired/step.js';
import { unblockIpsStep } from '../../src/capabilities/unblock-ips/step.js';
import { disableRoutesStep } from '../../src/capabilities/disable-routes/step.js';
import { enableRoutesStep } from '../../src/capabilities/enable-routes/step.js';
import { limitRateStep } from '../../src/capabilities/limit-rate/step.js';
import { restoreRateStep } from '../../src/capabilities/restore-rate/step.js';
import { verifyHealthStep } from '../../src/capabilities/verify-health/step.js';
import { provisionEdgeKit, type EdgeKit } from '../../src/drill/fixtures/edge-kit.js';
import { buildEdgePorts, buildHealthPorts } from '../../src/runtime/edge-ports.js';
import { CloudWatchClient, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { remap, renderKitResponderPolicies, type RenderedKitPolicies } from '../helpers/kit-responder-policies.js';
import { ACCEPTED_GITHUB_FINDINGS, ACCEPTED_UNUSED_GRANTS, OBSERVED_ACTIONS, OBSERVED_GITHUB_OPERATIONS } from './least-privilege.accepted.js';
import { sampleRecord } from '../helpers/audit-records.js';
import { provisionAccessKit } from '../../src/capabilities/revoke-access/fixture.js';
import { revokeAccessStep } from '../../src/capabilities/revoke-access/step.js';
import { restoreAccessStep } from '../../src/capabilities/restore-access/step.js';
import { buildAccessPorts } from '../../src/runtime/ports/access.js';
import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, DescribeQueriesCommand, PutLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { writeFileSync } from 'node:fs';
import { buildPreserveEvidencePorts } from '../../src/capabilities/preserve-evidence/build-ports.js';
import { preserveEvidenceStep } from '../../src/capabilities/preserve-evidence/step.js';
import { buildTriagePorts } from '../../src/capabilities/triage/runtime.js';
import { triageStep } from '../../src/capabilities/triage/step.js';
import { buildVerifyEvidencePorts } from '../../src/capabilities/verify-evidence/runtime.js';
import { verifyEvidenceStep } from '../../src/capabilities/verify-evidence/step.js';
import { recentWindow } from '../../src/drill/fixtures/evidence-sources.js';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateEmailIdentityCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { SesEmailer, SnsNotifier } from '../../src/providers/aws/sns-ses-notify.js';
import { awsClientConfig } from '../../src/runtime/clients.js';

const instant = async () => {};
const CONFIG = parseConfig('version: 1\nprotected_ranges:\n  - cidr: 192.0.2.0/24\n    label: office egress\n');

let dir: string;
let moto: MotoServer;
let cf: CloudflareEmulator;
let kit: IpBlockKit;
let edge: EdgeKit;
let recorder: MotoRecorder;
let rendered: RenderedKitPolicies;
/** The role's inline policies with the kit's ARNs replaced by moto's. */
let rolePolicies: NamedPolicy[];
let bucketKeys: Record<string, string>;
let baseInput: Omit<EvaluationInput, 'capability' | 'calls'>;
/** The same, for the audit writer role (the bookkeeping jobs' role). */
let writerInput: Omit<EvaluationInput, 'capability' | 'calls'>;
let writerPolicies: NamedPolicy[];
let writerEvaluation: CapabilityEvaluation;
let writerNotifyEvaluation: CapabilityEvaluation;
const recorded = new Map<string, AwsCall[]>();
const evaluations: CapabilityEvaluation[] = [];
/** The secrets the rotations touch, as DescribeSecret reports them (ARN and tags are what IAM judges). */
const secrets: KnownSecret[] = [];
/** rotate-secret's calls on secrets WITHOUT the kit's tag (kept out of `recorded`: they are the negative proof). */
let untaggedCalls: AwsCall[];

function env(): Record<string, string> {
  return { ...moto.env(), ...cf.env(), ...kit.env };
}
function ports(config = CONFIG) {
  return buildIpBlockPorts(env(), config, { sleep: instant, timeoutMs: 2_000, random: () => 0.5, cloudflare: { callAttempts: 2, retryBaseMs: 1, pollBaseMs: 1 } });
}
function ctx(now = '2026-11-23T10:00:00Z') {
  const clock = manualClock(now);
  return makeContext({ audit: new MemoryAuditSink(), clock, sleep: instant, logger: memoryLogger(), dryRun: false, incidentId: 'INC-LP', actor: 'responder' });
}

/** Runs `body` with moto recording and returns every call it made, KMS calls S3 makes on its behalf included. */
async function recordCalls(body: () => Promise<void>): Promise<AwsCall[]> {
  await recorder.start();
  let requests;
  try {
    await body();
  } finally {
    requests = await recorder.stop();
  }
  const queries = await logQueries();
  const calls = requests.map((r) => toAwsCall(r, { accountId: ACCOUNT, secrets, logQueries: queries }));
  return [...calls, ...calls.flatMap((c) => impliedKmsCalls(c, bucketKeys))];
}

/** Runs `body` with moto recording and files every call under `capability`. */
async function record(capability: string, body: () => Promise<void>): Promise<void> {
  recorded.set(capability, await recordCalls(body));
}

function rotatePorts() {
  return buildRotateSecretPorts({ ...env(), FIREBREAK_FINGERPRINT_KEY: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' }, { sleep: instant, random: () => 0.5, callAttempts: 2, ecsPollMs: 1 });
}
function rotateCtx(run: number) {
  return makeContext({ audit: new MemoryAuditSink(), clock: manualClock('2026-11-23T10:00:00Z'), sleep: instant, logger: memoryLogger(), dryRun: false, incidentId: 'INC-LP', actor: 'responder', runUrl: `https://github.example/acme/shop/actions/runs/${run}` });
}

const ACCOUNT = '123456789012';

/** The kept log group's Logs Insights queries (query id → group), read after the recording stops. */
const KEPT_GROUP = '/aws/ecs/my-service';
async function logQueries(): Promise<Record<string, string>> {
  const cw = new CloudWatchLogsClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  try {
    const out = await cw.send(new DescribeQueriesCommand({ logGroupName: KEPT_GROUP }));
    return Object.fromEntries((out.queries ?? []).flatMap((q) => (q.queryId ? [[q.queryId, KEPT_GROUP]] : [])));
  } catch {
    return {}; // the group does not exist yet
  } finally {
    cw.destroy();
  }
}

const auditRecord = (i: number): AuditRecord => sampleRecord(i, { time: `2026-11-23T10:0${i}:00.000Z`, incidentId: 'INC-LP', actor: 'responder' });

beforeAll(async () => {
  rendered = await renderKitResponderPolicies();
  dir = mkdtempSync(join(tmpdir(), 'fb-least-privilege-'));
  // The kit's Region, so ARNs built from the AWS context line up with moto's.
  moto = await startMoto({ region: rendered.ids.region, env: motoRecorderEnv(dir) });
  cf = await startCloudflareEmulator();
  // With the CLOUDFRONT pair a user lists in firebreak.yml (blocking.waf.ip_sets): sets the kit does not create.
  kit = await provisionIpBlockKit(moto, cf, { suffix: 'lp', cloudfront: true });
  kit.env[KIT_VARIABLES.evidencePrefix] = rendered.ids.evidencePrefix;
  // The route kill-switch answers 500 here, so disable-routes also puts the configured 503 back (UpdateRuleGroup).
  edge = await provisionEdgeKit(moto, cf, { suffix: 'lp', routeStatus: 500, bucket: kit.bucket });
  recorder = motoRecorder(moto.directEndpoint);

  const motoBucketArn = `arn:aws:s3:::${kit.bucket}`;
  const map: Record<string, string> = {
    [rendered.ids.ipv4SetArn]: kit.env[KIT_VARIABLES.wafIpSetV4Arn]!,
    [rendered.ids.ipv6SetArn]: kit.env[KIT_VARIABLES.wafIpSetV6Arn]!,
    [rendered.ids.bucketArn]: motoBucketArn,
    [rendered.ids.ruleGroupArn]: edge.env[KIT_VARIABLES.wafRuleGroupArn]!,
    [rendered.ids.routeRegexSetArn]: edge.env[KIT_VARIABLES.wafRouteRegexSetArn]!,
  };
  // The example config lists a CLOUDFRONT IPv4 and IPv6 set (blockIpSetArns); map them onto moto's pair.
  expect(rendered.ids.extraIpSetArns).toHaveLength(2);
  kit.extraSets.forEach((x) => {
    map[rendered.ids.extraIpSetArns[x.ip_version === 'IPV4' ? 0 : 1]!] = `arn:aws:wafv2:us-east-1:${ACCOUNT}:global/ipset/${x.name}/${x.id}`;
  });
  rolePolicies = remap(rendered.rolePolicies, map);
  bucketKeys = { [kit.bucket]: rendered.ids.kmsKeyArn };
  baseInput = {
    identityPolicies: rolePolicies,
    resourcePolicies: [
      { name: 'evidence bucket policy', resources: [`${motoBucketArn}*`], document: remap(rendered.bucketPolicy, map) },
      { name: 'evidence key policy', resources: [rendered.ids.kmsKeyArn], document: rendered.keyPolicy },
    ],
    principalArn: rendered.roleArn,
    accountId: ACCOUNT,
  };
  writerPolicies = remap(rendered.auditWriter.policies, map);
  writerInput = { ...baseInput, identityPolicies: writerPolicies, principalArn: rendered.auditWriter.roleArn };

  const raw = { addresses: '203.0.113.0/25 203.0.113.128/25 2001:db8:66::9 198.51.100.9', reason: 'credential stuffing', ttl: '1h' };
  await record('block-ips', async () => {
    expect((await runStep(blockIpsStep, raw, ports(), ctx())).result?.status).toBe('ok');
    // The re-run takes the read-only path (everything already present).
    expect((await runStep(blockIpsStep, raw, ports(), ctx())).result?.status).toBe('ok');
    const sets = kit.extraSets.map((x) => `      - { scope: ${x.scope}, ip_version: ${x.ip_version}, name: ${x.name}, id: ${x.id} }`).join('\n');
    const withEdge = parseConfig(`version: 1\nblocking:\n  waf:\n    ip_sets:\n${sets}\n`);
    expect((await runStep(blockIpsStep, { ...raw, target: 'waf' }, ports(withEdge), ctx())).result?.status).toBe('ok');
  });
  await record('unblock-ips', async () => {
    expect((await runStep(unblockIpsStep, { addresses: '198.51.100.9', reason: 'false positive' }, ports(), ctx())).result?.status).toBe('ok');
  });
  await record('sweep-expired', async () => {
    expect((await runStep(sweepExpiredStep, {}, ports(), ctx('2026-11-23T12:00:00Z'))).result?.status).toBe('ok');
  });
  const edgeEnv = () => ({ ...env(), ...edge.env, [KIT_VARIABLES.evidencePrefix]: rendered.ids.evidencePrefix });
  const edgePorts = () => buildEdgePorts(edgeEnv(), CONFIG, { sleep: instant, timeoutMs: 2_000, random: () => 0.5 });
  const edgeCtx = (minute: number) => makeContext({ audit: new MemoryAuditSink(), clock: manualClock(`2026-11-23T10:${String(minute).padStart(2, '0')}:00Z`), sleep: instant, logger: memoryLogger(), dryRun: false, incidentId: 'INC-LP', actor: 'responder' });
  await record('disable-routes', async () => {
    expect((await runStep(disableRoutesStep, { routes: '/admin/*\n/erase/<id>\n/export/*', reason: 'admin token leaked' }, edgePorts(), edgeCtx(1))).result?.status).toBe('ok');
    // A second run for the incident reads its first record from the ledger.
    expect((await runStep(disableRoutesStep, { routes: '/reports/*', reason: 'admin token leaked' }, edgePorts(), edgeCtx(2))).result?.status).toBe('ok');
  });
  await record('enable-routes', async () => {
    expect((await runStep(enableRoutesStep, { reason: 'token rotated' }, edgePorts(), edgeCtx(3))).result?.status).toBe('ok');
  });
  await record('limit-rate', async () => {
    expect((await runStep(limitRateStep, { limit: '60', window: '60', reason: 'stuffing' }, edgePorts(), edgeCtx(4))).result?.status).toBe('ok');
    // Tightened again: the plan reads the open record to say restore-rate goes back before the first.
    expect((await runStep(limitRateStep, { limit: '20', window: '60', reason: 'stuffing' }, edgePorts(), edgeCtx(5))).result?.status).toBe('ok');
  });
  await record('restore-rate', async () => {
    expect((await runStep(restoreRateStep, { reason: 'over' }, edgePorts(), edgeCtx(6))).result?.status).toBe('ok');
  });
  const cw = new CloudWatchClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await cw.send(new PutMetricAlarmCommand({ AlarmName: 'lp-5xx', MetricName: '5XXError', Namespace: 'AWS/ApplicationELB', Statistic: 'Sum', Period: 60, EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' }));
  cw.destroy();
  await record('verify-health', async () => {
    const health = buildHealthPorts(env(), parseConfig('version: 1\nhealth:\n  alarm_wait_seconds: 0\n  alarms: [{ name: errors, alarm_name: lp-5xx }]\n'), { sleep: instant });
    expect((await runStep(verifyHealthStep, {}, { health }, edgeCtx(7))).result?.status).toBe('ok');
  });
  await record('preflight', async () => {
    const run = await runStep(preflightStep, { checks: 'aws' }, buildPreflightPorts({ env: env(), sleep: instant }), ctx());
    expect(run.result?.outcomes.map((o) => o.status)).toEqual(['applied']);
  });
  // The audit trail (both roles append it): the bucket mirror as the entry points wire it, then
  // `firebreak audit push`, `pull` and `verify --incident` against the same bucket. The kit's
  // bucket has Object Lock, hence versioning (set up outside the recording).
  const setup = new S3Client({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true });
  await setup.send(new PutBucketVersioningCommand({ Bucket: kit.bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  setup.destroy();
  await record('audit-trail', async () => {
    const chainFile = join(dir, 'audit.jsonl');
    const store = buildEvidenceAuditStore({ env: env(), sleep: instant })!;
    const mirrored = new CompositeAuditSink(new FileAuditSink(chainFile), [new EvidenceBucketAuditMirror(store)]);
    await mirrored.append(auditRecord(1));
    await mirrored.append(auditRecord(2));
    // A record the mirror missed (bucket unreachable then): `audit push` copies it.
    await new FileAuditSink(chainFile).append(auditRecord(3));
    const cli = async (...args: string[]) => {
      const io = memoryIo(env(), dir);
      const code = await main(args, io);
      expect(code, io.err.join('\n')).toBe(0);
    };
    await cli('audit', 'push', chainFile, '--no-issue');
    await cli('audit', 'pull', '--incident', 'INC-LP', '--out', 'pulled.jsonl');
    await cli('audit', 'verify', 'pulled.jsonl', '--incident', 'INC-LP');
  });
  // rotate-secret, on secrets tagged as the kit's config says (aws.rotatableSecretTag) and on two that
  // are not (no tag; the right key with another value). Created and described outside the recording.
  const tag = rendered.ids.rotatableSecretTag;
  const sm = new SecretsManagerClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const create = async (name: string, value: string, tags: Array<{ Key: string; Value: string }>) => {
    await sm.send(new CreateSecretCommand({ Name: name, SecretString: value, ...(tags.length ? { Tags: tags } : {}) }));
    secrets.push(knownSecret(await sm.send(new DescribeSecretCommand({ SecretId: name }))));
  };
  // With the stage named: moto answers a GetSecretValue without one from the version it first made.
  const current = async (name: string) => (await sm.send(new GetSecretValueCommand({ SecretId: name, VersionStage: 'AWSCURRENT' }))).SecretString;
  const kitTag = [{ Key: tag.key, Value: tag.value }];
  await create('prod/lp-token', 'old-token-value-0001', kitTag);
  await create('prod/lp-db', '{"user":"app","password":"old-pass-word-123"}', kitTag);
  await create('prod/lp-generated', 'old-generated-0002', kitTag);
  await create('prod/lp-untagged', 'untagged-value-0003', []);
  await create('prod/lp-other-value', 'other-value-0004', [{ Key: tag.key, Value: `not-${tag.value}` }]);
  // The service restarted after a rotation; moto reports a service running once it was updated.
  const ecs = new ECSClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await ecs.send(new CreateClusterCommand({ clusterName: 'lp' }));
  const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'lp-api', containerDefinitions: [{ name: 'api', image: 'api:1', memory: 128 }] }));
  await ecs.send(new CreateServiceCommand({ cluster: 'lp', serviceName: 'api', taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
  await ecs.send(new UpdateServiceCommand({ cluster: 'lp', service: 'api', desiredCount: 1 }));
  ecs.destroy();
  await record('rotate-secret', async () => {
    expect((await runStep(rotateSecretStep, { target: 'aws:secret:prod/lp-token', length: '40', alphabet: 'alnum' }, rotatePorts(), rotateCtx(1))).result?.status).toBe('ok');
    expect((await runStep(rotateSecretStep, { target: 'aws:secret:prod/lp-db', jsonKey: 'password', alphabet: 'hex', length: '24' }, rotatePorts(), rotateCtx(2))).result?.status).toBe('ok');
    expect((await runStep(rotateSecretStep, { target: 'aws:secret:prod/lp-token', rollback: 'true' }, rotatePorts(), rotateCtx(3))).result?.status).toBe('ok');
    expect((await runStep(rotateSecretStep, { target: 'aws:secret:prod/lp-generated', alphabet: 'aws', length: '48', excludePunctuation: 'true', restartServices: 'lp/api' }, rotatePorts(), rotateCtx(4))).result?.status).toBe('ok');
  });
  // The rotations really happened (the rollback put the original back).
  expect(await current('prod/lp-token')).toBe('old-token-value-0001');
  expect(JSON.parse((await current('prod/lp-db'))!)).toMatchObject({ user: 'app', password: expect.stringMatching(/^[0-9a-f]{24}$/) });
  expect(await current('prod/lp-generated')).toMatch(/^[A-Za-z0-9]{48}$/);
  // moto does not enforce IAM, so these succeed here; the simulator must refuse them.
  untaggedCalls = await recordCalls(async () => {
    for (const [i, name] of ['prod/lp-untagged', 'prod/lp-other-value'].entries()) {
      expect((await runStep(rotateSecretStep, { target: `aws:secret:${name}`, length: '32' }, rotatePorts(), rotateCtx(10 + i))).result?.status).toBe('ok');
    }
  });
  sm.destroy();
  // revoke-access and restore-access on an IAM user, a role and a Cognito user, the ledger in the
  // kit's evidence bucket (made outside the recording).
  const access = await provisionAccessKit(moto, undefined, 'lp', kit.bucket);
  const accessPorts = () => buildAccessPorts(env(), CONFIG, { sleep: instant, random: () => 0.5, callAttempts: 2 });
  const principals = `aws:iam-user:${access.user} aws:iam-role:${access.role} aws:iam-role:lp-worker aws:cognito-user:${access.pool}/${access.cognitoUser}@${moto.region}`;
  // The role carries a session policy from an earlier revocation (not firebreak's): restore puts it back.
  const iamSetup = new IAMClient({ region: 'us-east-1', endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const earlierSessions = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': '2026-01-01T00:00:00Z' } } }] });
  await iamSetup.send(new PutRolePolicyCommand({ RoleName: access.role, PolicyName: 'firebreak-revoke-sessions', PolicyDocument: earlierSessions }));
  // A second role without one: restore detaches the revocation's policy.
  await iamSetup.send(new CreateRoleCommand({ RoleName: 'lp-worker', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
  await record('revoke-access', async () => {
    expect((await runStep(revokeAccessStep, { targets: principals, reason: 'least privilege drill' }, accessPorts(), rotateCtx(20))).result?.status).toBe('ok');
    // The re-run of the same revocation reads its ledger record back and changes nothing.
    expect((await runStep(revokeAccessStep, { targets: principals, reason: 'least privilege drill' }, accessPorts(), rotateCtx(20))).result?.status).toBe('noop');
  });
  await record('restore-access', async () => {
    expect((await runStep(restoreAccessStep, { targets: principals, reason: 'least privilege drill' }, accessPorts(), rotateCtx(21))).result?.status).toBe('ok');
  });
  const restoredSessions = await iamSetup.send(new GetRolePolicyCommand({ RoleName: access.role, PolicyName: 'firebreak-revoke-sessions' }));
  expect(JSON.parse(decodeURIComponent(restoredSessions.PolicyDocument!))).toEqual(JSON.parse(earlierSessions));
  iamSetup.destroy();
  // rollback on ECS, in the cluster the example config lists (aws.rollbackClusters); set up outside the recording.
  const rbEcs = new ECSClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await rbEcs.send(new CreateClusterCommand({ clusterName: 'prod' }));
  const tds: string[] = [];
  for (const image of ['api:1', 'api:2', 'api:3']) tds.push((await rbEcs.send(new RegisterTaskDefinitionCommand({ family: 'lp-api', containerDefinitions: [{ name: 'api', image, memory: 128 }] }))).taskDefinition!.taskDefinitionArn!);
  await rbEcs.send(new CreateServiceCommand({ cluster: 'prod', serviceName: 'lp-api', taskDefinition: tds[2]!, desiredCount: 1 }));
  await rbEcs.send(new UpdateServiceCommand({ cluster: 'prod', service: 'lp-api', desiredCount: 1 }));
  rbEcs.destroy();
  await record('rollback', async () => {
    const clock = manualClock('2026-11-23T10:00:00Z');
    const rbCtx = makeContext({ audit: new MemoryAuditSink(), clock, sleep: clock.sleep, logger: memoryLogger(), dryRun: false, incidentId: 'INC-LP', actor: 'responder' });
    const rbPorts = buildRollbackPorts(env(), { sleep: clock.sleep, clock });
    expect((await runStep(rollbackStep, { target: 'aws:ecs-service:prod/lp-api' }, rbPorts, rbCtx)).result?.status).toBe('ok');
    // A named revision (DescribeTaskDefinition), as another rollback.
    expect((await runStep(rollbackStep, { target: 'aws:ecs-service:prod/lp-api', to: '1', rollbackId: 'lp-named' }, rbPorts, rbCtx)).result?.status).toBe('ok');
  });
  // Evidence, on a log group the example config keeps (logs.groups) and a local file. preserve-evidence
  // is recorded for those two sources only (its RDS, EC2 and GuardDuty calls are not mapped to IAM
  // here yet), under its own name so the registry does not take it for the whole list.
  const keptGroup = KEPT_GROUP;
  const window = recentWindow();
  const logsSetup = new CloudWatchLogsClient({ region: moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  await logsSetup.send(new CreateLogGroupCommand({ logGroupName: keptGroup }));
  await logsSetup.send(new CreateLogStreamCommand({ logGroupName: keptGroup, logStreamName: 'web-1' }));
  await logsSetup.send(new PutLogEventsCommand({ logGroupName: keptGroup, logStreamName: 'web-1', logEvents: [{ timestamp: Date.parse(window.from) + 60_000, message: '{"event":"decoy_hit","user_id":"u-1"}' }] }));
  logsSetup.destroy();
  writeFileSync(join(dir, 'evidence.log'), '2026-11-23T09:00:00Z WARN decoy_hit user_id=u-2\n');
  await record('preserve-evidence (logs and files)', async () => {
    const run = await runStep(preserveEvidenceStep, { targets: `logs:${keptGroup}\nfile:evidence.log`, ...window, sliceMinutes: '180' }, buildPreserveEvidencePorts(env(), { sleep: instant, root: dir }), ctx());
    expect(run.result?.status).toBe('ok');
  });
  await record('verify-evidence', async () => {
    expect((await runStep(verifyEvidenceStep, {}, buildVerifyEvidencePorts(env(), { sleep: instant }), ctx())).result?.status).toBe('ok');
  });
  await record('triage', async () => {
    const run = await runStep(triageStep, { indicators: 'event:decoy_hit', sources: `evidence:files/\nlogs:${keptGroup}`, subjectField: 'user_id', ...window }, buildTriagePorts(env(), { sleep: instant, cwd: dir, pollMs: 0 }), ctx());
    expect(run.result?.outcomes.find((o) => o.action === 'search')?.reason).toMatch(/affected user_id: 2 distinct/);
  });

  // notify: a topic fan-out and an e-mail, to the topic and as the identity the example kit lists.
  const notifyEnv = env();
  const topicArn = `arn:aws:sns:${rendered.ids.region}:${ACCOUNT}:firebreak-incidents`;
  await new SNSClient(awsClientConfig(notifyEnv)).send(new CreateTopicCommand({ Name: 'firebreak-incidents' }));
  await new SESv2Client(awsClientConfig(notifyEnv)).send(new CreateEmailIdentityCommand({ EmailIdentity: 'firebreak@example.com' }));
  await record('notify', async () => {
    const opts = { sleep: instant, attempts: 1 };
    expect((await new SnsNotifier(new SNSClient(awsClientConfig(notifyEnv)), opts).publishTopic({ topicArn, subject: 'INC-LP SEV1', text: 'paged', dedupId: 'nfy-1' })).messageId).toBeTruthy();
    expect((await new SesEmailer(new SESv2Client(awsClientConfig(notifyEnv)), opts).send({ from: 'firebreak@example.com', to: 'oncall@example.com', subject: 'INC-LP SEV1', text: 'paged' })).messageId).toBeTruthy();
  });
  for (const [capability, calls] of recorded) evaluations.push(await evaluateCapability({ ...baseInput, capability, calls }));
  writerEvaluation = await evaluateCapability({ ...writerInput, capability: 'audit-trail', calls: recorded.get('audit-trail')! });
  // notify's workflow runs with the bookkeeping jobs (no reviewers), so on the audit-writer role.
  writerNotifyEvaluation = await evaluateCapability({ ...writerInput, capability: 'notify', calls: recorded.get('notify')! });
}, 120_000);

afterAll(async () => {
  await cf?.stop();
  await moto?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('least privilege: every AWS call a capability makes against the kit policy', () => {
  it('the kit ARNs were really mapped onto moto (otherwise every call would be judged against the wrong resources)', () => {
    const text = JSON.stringify(rolePolicies);
    expect(text).toContain(kit.env[KIT_VARIABLES.wafIpSetV4Arn]);
    expect(text).toContain(`arn:aws:s3:::${kit.bucket}/${rendered.ids.evidencePrefix}*`);
    expect(text).not.toContain(rendered.ids.ipv4SetArn);
    // This moto's own log file, not ./moto_recording shared with every other moto started here.
    expect(existsSync(join(dir, 'moto-recording.jsonl'))).toBe(true);
  });

  it('records the calls each capability makes (what the capability registry should list as `iam:`)', () => {
    const observed = Object.fromEntries(evaluations.map((e) => [e.capability, e.actions]));
    expect(observed).toEqual(OBSERVED_ACTIONS);
  });

  for (const capability of ['block-ips', 'unblock-ips', 'sweep-expired', 'preflight', 'audit-trail', 'rotate-secret', 'revoke-access', 'restore-access', 'rollback', 'disable-routes', 'enable-routes', 'limit-rate', 'restore-rate', 'verify-health', 'preserve-evidence (logs and files)', 'verify-evidence', 'triage', 'notify']) {
    it(`${capability}: no recorded call would be denied by the kit's responder role`, () => {
      const e = evaluations.find((x) => x.capability === capability);
      expect(e?.decisions.length).toBeGreaterThan(0);
      expect(e!.denied.map(describeDenial)).toEqual([]);
    });
  }

  it("the audit writer role: the audit trail's calls are allowed, every grant is used or explained, and nothing else is", async () => {
    expect(writerPolicies.map((p) => p.name).sort()).toEqual(['firebreak-audit-trail', 'firebreak-notify']);
    expect(writerEvaluation.decisions.length).toBeGreaterThan(0);
    expect(writerEvaluation.denied.map(describeDenial)).toEqual([]);
    // notify pages from the bookkeeping environment: its SNS/SES calls are allowed there too.
    expect(writerNotifyEvaluation.decisions.length).toBeGreaterThan(0);
    expect(writerNotifyEvaluation.denied.map(describeDenial)).toEqual([]);
    // Same statements as the responder's firebreak-audit-trail, so the same keys and explanations.
    expect(unusedGrants(writerPolicies, [writerEvaluation, writerNotifyEvaluation]).map(grantKey).filter((k) => !(k in ACCEPTED_UNUSED_GRANTS))).toEqual([]);
    // The bookkeeping jobs' role cannot touch the evidence itself (block-ips's ledger lives beside it).
    const ledger = await evaluateCapability({ ...writerInput, capability: 'block-ips', calls: recorded.get('block-ips')! });
    expect(ledger.denied.some((d) => describeDenial(d).startsWith(`block-ips: s3:PutObject on arn:aws:s3:::${kit.bucket}/${rendered.ids.evidencePrefix}`))).toBe(true);
  });

  it("rotate-secret: the recorded calls carry the secrets' full ARNs and the kit tag, through the kit's tag-conditioned statement", () => {
    const tag = rendered.ids.rotatableSecretTag;
    const e = evaluations.find((x) => x.capability === 'rotate-secret')!;
    const onSecrets = e.decisions.filter((d) => d.call.resource !== '*' && d.call.service === 'secretsmanager');
    const arnOf = (name: string) => secrets.find((s) => s.name === name)!.arn;
    expect([...new Set(onSecrets.map((d) => d.call.resource))].sort()).toEqual([arnOf('prod/lp-db'), arnOf('prod/lp-generated'), arnOf('prod/lp-token')].sort());
    for (const d of onSecrets) {
      expect(d.call.context[`aws:ResourceTag/${tag.key}`]).toBe(tag.value);
      expect(d.allowedBy).toEqual([{ policy: 'firebreak-rotate-secret', sid: 'RotateTaggedSecrets' }]);
    }
    // The rollback's and the aws alphabet's calls are in the record.
    expect(e.decisions.map((d) => d.call.operation)).toContain('GetRandomPassword');
    expect(e.decisions.filter((d) => d.call.operation === 'UpdateSecretVersionStage' && d.call.resource === arnOf('prod/lp-token')).length).toBeGreaterThan(0);
    // The consumer restart: on the service's ARN, through the ECS statement.
    const onServices = e.decisions.filter((d) => d.call.service === 'ecs');
    expect([...new Set(onServices.map((d) => d.call.resource))]).toEqual([`arn:aws:ecs:${moto.region}:${ACCOUNT}:service/lp/api`]);
    // restart-service's own DescribeServices grant also allows reading it; the restart itself is rotate-secret's.
    for (const d of onServices) expect(d.allowedBy).toContainEqual({ policy: 'firebreak-rotate-secret', sid: 'RestartServicesThatReadSecrets' });
    for (const d of onServices.filter((x) => x.call.action === 'ecs:UpdateService')) expect(d.allowedBy).toEqual([{ policy: 'firebreak-rotate-secret', sid: 'RestartServicesThatReadSecrets' }]);
  });

  it("rotate-secret: on a secret without the kit's tag, or with the tag's key and another value, every call on the secret is denied", async () => {
    const tag = rendered.ids.rotatableSecretTag;
    const bad = [secrets.find((s) => s.name === 'prod/lp-untagged')!, secrets.find((s) => s.name === 'prod/lp-other-value')!];
    expect(bad[1]!.tags[tag.key]).toBe(`not-${tag.value}`);
    const e = await evaluateCapability({ ...baseInput, capability: 'rotate-secret', calls: untaggedCalls });
    // Every step of the rotation was recorded, on both secrets.
    expect(e.actions).toEqual(OBSERVED_ACTIONS['rotate-secret']!.filter((a) => a.startsWith('secretsmanager:') && a !== 'secretsmanager:GetRandomPassword'));
    expect([...new Set(e.decisions.map((d) => d.call.resource))].sort()).toEqual(bad.map((s) => s.arn).sort());
    expect(e.decisions.map((d) => d.decision)).toEqual(e.decisions.map(() => 'ImplicitlyDenied'));
    // The same calls with the kit's tag on the secret are allowed: the tag condition is what refuses them.
    const tagged = untaggedCalls.map((c) => ({ ...c, context: { [`aws:ResourceTag/${tag.key}`]: tag.value } }));
    expect((await evaluateCapability({ ...baseInput, capability: 'rotate-secret', calls: tagged })).denied.map(describeDenial)).toEqual([]);
  });

  it("revoke-access: the same role-policy writes on the kit's own roles are explicitly denied", async () => {
    const put = recorded.get('revoke-access')!.find((c) => c.action === 'iam:PutRolePolicy')!;
    expect(put.resource).toMatch(/:role\/app-role-lp$/);
    const own = rendered.roleArn.replace(/:role\/.*$/, ':role/firebreak-responder-role-0a1b2c3');
    const calls = ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'].map((action) => ({ ...put, action, operation: action.slice(4), resource: own }));
    const e = await evaluateCapability({ ...baseInput, capability: 'revoke-access', calls });
    expect(e.denied.map((d) => d.decision)).toEqual(['ExplicitlyDenied', 'ExplicitlyDenied']);
  });

  it('every grant no recorded call uses is explained, and no explanation is stale', () => {
    const unused = unusedGrants(rolePolicies, evaluations).map(grantKey);
    const accepted = Object.keys(ACCEPTED_UNUSED_GRANTS);
    const report = unused.map((k) => `  ${k}: ${ACCEPTED_UNUSED_GRANTS[k] ?? 'UNEXPLAINED'}`).join('\n');
    console.info(`least-privilege: ${unused.length} grants no recorded call uses\n${report}`);
    expect(unused.filter((k) => !accepted.includes(k)), 'unused grants without a reason in least-privilege.accepted.ts').toEqual([]);
    expect(accepted.filter((k) => !unused.includes(k)), 'accepted entries that a recorded call now uses (remove them)').toEqual([]);
  });

  it('fails, naming capability, action and resource, when the policy misses a grant the code needs', async () => {
    // Hostile: the role without the evidence policy (block-ips's ledger lives in the evidence bucket),
    // and with the IPv6 set missing from the block-ips statement. The audit trail's policy also
    // grants use of the evidence key (its records are encrypted with it), so it goes too: with it,
    // block-ips's S3 put could still be encrypted and no KMS call would be missing.
    const v6 = kit.env[KIT_VARIABLES.wafIpSetV6Arn]!;
    const broken = remap(
      rolePolicies.filter((p) => p.name !== 'firebreak-preserve-evidence' && p.name !== 'firebreak-audit-trail'),
      { [`"${v6}"`]: `"${v6}-other"` },
    );
    const e = await evaluateCapability({ ...baseInput, identityPolicies: broken, capability: 'block-ips', calls: recorded.get('block-ips')! });
    const lines = e.denied.map(describeDenial);
    expect(lines).toContain(`block-ips: wafv2:UpdateIPSet on ${v6} would be ImplicitlyDenied in production: no statement of the role allows it`);
    expect(lines.some((l) => l.startsWith(`block-ips: s3:PutObject on arn:aws:s3:::${kit.bucket}/${rendered.ids.evidencePrefix}`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`block-ips: kms:GenerateDataKey on ${rendered.ids.kmsKeyArn} (S3 calls KMS for s3:PutObject`))).toBe(true);
    const sweep = await evaluateCapability({ ...baseInput, identityPolicies: broken, capability: 'sweep-expired', calls: recorded.get('sweep-expired')! });
    expect(sweep.denied.map(describeDenial)).toContain(
      `sweep-expired: s3:ListBucket on arn:aws:s3:::${kit.bucket} with {"s3:prefix":"${rendered.ids.evidencePrefix}block-ledger/"} would be ImplicitlyDenied in production: no statement of the role allows it`,
    );
  });

  it('the audit trail is append-only for every role: the recorded put carries If-None-Match, and without it the bucket policy refuses', async () => {
    const put = recorded.get('audit-trail')!.find((c) => c.action === 's3:PutObject')!;
    expect(put.resource).toContain(`arn:aws:s3:::${kit.bucket}/audit/INC-LP/`);
    expect(put.context['s3:if-none-match']).toBe('*');
    const unguarded = { ...put, context: {} };
    for (const input of [baseInput, writerInput]) {
      const e = await evaluateCapability({ ...input, capability: 'audit-trail', calls: [unguarded] });
      expect(e.denied.map((d) => d.decision)).toEqual(['ExplicitlyDenied']);
    }
  });

  it('an explicit Deny in the bucket policy wins over the role (a put asking for AES256 is refused)', async () => {
    const put = recorded.get('block-ips')!.find((c) => c.action === 's3:PutObject')!;
    const e = await evaluateCapability({ ...baseInput, capability: 'block-ips', calls: [{ ...put, context: { 's3:x-amz-server-side-encryption': 'AES256' } }] });
    expect(e.denied.map((d) => d.decision)).toEqual(['ExplicitlyDenied']);
  });
});

const INCIDENT_CONFIG = `
version: 1
incident:
  severity: { scheme: SEV0-3 }
  roster: { incident_commander: [ic], comms_lead: [comms], compliance_lead: [dpo], senior_engineer: [senior] }
  escalation: [{ after_minutes: 30, notify: senior_engineer }]
  regimes:
    custom: [{ id: school, recipient: Partner school, within_hours: 48, when: { data_categories: [minors] }, source: "Seed 000 §7" }]
`;

describe('least privilege: every GitHub call a step makes against its workflow job permissions', () => {
  let gh: GitHubEmulator;
  const operations = new Map<string, string[]>();
  const findings: GitHubFinding[] = [];

  beforeAll(async () => {
    const clock = manualClock('2026-11-22T09:00:00Z');
    gh = await startGitHubEmulator({ now: () => clock.now() });
    const octokit = githubClient(gh.env());
    const ledger = new GitHubIncidentLedger(octokit, { owner: gh.owner, repo: gh.repo, sleep: async () => {} });
    const ports: IncidentPorts = { ledger, config: parseConfig(INCIDENT_CONFIG).incident };
    // As in the workflows: each step's record is mirrored onto the incident issue with the same token.
    const audit = new CompositeAuditSink(new MemoryAuditSink(), [new GitHubIssueAuditMirror(ledger, (m) => { throw new Error(m); })]);
    const raw = { title: 'Admin token leak', slug: 'lp-token', severity: 'SEV1', facts: { discovered_at: '2026-11-22T08:45:00Z', data_categories: ['personal', 'minors'] } };
    const id = declaredIncidentId(raw, clock.now());
    const ctxFor = (actor = 'ic', extra = {}) => makeContext({ audit, clock, sleep: clock.sleep, logger: memoryLogger(), actor, incidentId: id, dryRun: false, ...extra });
    const step = async (name: string, run: () => Promise<unknown>) => {
      const from = gh.requests.length;
      await run();
      const ops = gh.requests.slice(from).map((r) => r.operationId ?? `${r.method} ${r.path}`);
      operations.set(name, [...new Set([...(operations.get(name) ?? []), ...ops])]);
    };
    await step('declare', () => runStep(declareStep, raw, ports, ctxFor()));
    await step('classify', () => runStep(classifyStep, { answers: 'major_degradation' }, ports, ctxFor()));
    await step('post-update', () => runStep(postUpdateStep, { audience: 'internal', kind: 'initial', status: 'investigating', impact: 'admin API', text: 'token revoked' }, ports, ctxFor()));
    clock.advance(61 * 60_000);
    await step('incident-tick', () => runStep(incidentTickStep, {}, ports, ctxFor('tick')));
    await step('record-containment', () => runStep(recordContainmentStep, { action: 'Revoked the token' }, ports, ctxFor()));
    await step('record-notification', () => runStep(recordNotificationStep, { obligation: 'school', recipient: 'Partner school', reference: 'REF-1' }, ports, ctxFor('comms')));
    await step('write-postmortem', () => runStep(writePostmortemStep, { action_items: ['Rotate tokens monthly'] }, ports, ctxFor()));
    await step('close-incident', () => runStep(closeIncidentStep, {}, ports, ctxFor('ic', { overrides: [{ guard: 'CLOSE_GATE', reason: 'no fix PR in this test' }] })));
    gh.assertNoViolations();
    for (const [name, ops] of operations) {
      const yaml = readFileSync(new URL(`../../.github/workflows/${name}.yml`, import.meta.url), 'utf8');
      findings.push(...checkJobPermissions(name, ops, jobPermissions(yaml, name === 'incident-tick' ? 'tick' : name)));
    }
  }, 120_000);

  afterAll(async () => {
    await gh?.stop();
  });

  it('records the operations each step makes (what the capability registry should list)', () => {
    expect(Object.fromEntries([...operations].map(([k, v]) => [k, [...v].sort()]))).toEqual(OBSERVED_GITHUB_OPERATIONS);
  });

  it('no step calls an operation its job token is not granted (GitHub would answer 403)', () => {
    expect(findings.filter((f) => f.kind === 'missing' || f.kind === 'unmapped').map((f) => f.message)).toEqual([]);
  });

  it('every permission a job grants and no call needs is explained, and no explanation is stale', () => {
    const extra = findings.filter((f) => f.kind === 'unused' || f.kind === 'broader-than-needed').map((f) => `${f.capability}/${f.kind}/${f.subject}`);
    console.info(`least-privilege (GitHub): ${extra.length} findings\n${extra.map((k) => `  ${k}: ${ACCEPTED_GITHUB_FINDINGS[k] ?? 'UNEXPLAINED'}`).join('\n')}`);
    expect(extra.filter((k) => !(k in ACCEPTED_GITHUB_FINDINGS)), 'findings without a reason in least-privilege.accepted.ts').toEqual([]);
    expect(Object.keys(ACCEPTED_GITHUB_FINDINGS).filter((k) => !extra.includes(k)), 'stale accepted findings (remove them)').toEqual([]);
  });

  it('fails, naming step and operation, when a job lacks a permission its calls need', () => {
    const lines = checkJobPermissions('write-postmortem', operations.get('write-postmortem')!, { contents: 'read', issues: 'write' }).map((f) => f.message);
    expect(lines).toContain('write-postmortem: pulls/create needs pull-requests: write; the job grants {"contents":"read","issues":"write"}');
    expect(lines).toContain('write-postmortem: git/create-ref needs contents: write; the job grants {"contents":"read","issues":"write"}');
  });
});
