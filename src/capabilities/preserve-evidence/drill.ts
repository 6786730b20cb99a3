import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseConfig } from '../../core/config/parse.js';
import { PartialFailureError } from '../../core/errors.js';
import { computeObligations } from '../../core/incident/clock.js';
import { parseFacts } from '../../core/incident/facts.js';
import type { Result } from '../../core/plan.js';
import { runStep } from '../../core/step.js';
import { atlasBackups } from '../../drill/emulators/atlas/handlers-snapshots.js';
import { startAtlasEmulator, type AtlasEmulator } from '../../drill/emulators/atlas/server.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { copyEvidenceBucket, seedEvidenceSources, type EvidenceFixture } from '../../drill/fixtures/evidence-sources.js';
import { check, checkEqual, type DrillEnv, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { buildTriagePorts } from '../triage/runtime.js';
import { triageStep } from '../triage/step.js';
import { buildVerifyEvidencePorts } from '../verify-evidence/runtime.js';
import { verifyEvidenceStep } from '../verify-evidence/step.js';
import { buildPreserveEvidencePorts } from './build-ports.js';
import { preserveEvidenceStep } from './step.js';

/**
 * Seeds 000/002's evidence steps, drilled on moto: preserve an incident window from every source
 * this build reads (a log group, an RDS instance and cluster, an EBS volume, a suspect S3 prefix,
 * GuardDuty findings from the harness's findings emulator, the `logs/` folder), verify it, tamper one object in a copy of the bucket and see verify-evidence
 * name it, then triage a seeded log set (NDJSON, gzip, text with continuation lines, malformed lines)
 * into the exact affected count, and feed that count to the clocks as incident facts.
 */
const INCIDENT = 'INC-DRILL-evidence';
/** Distinct users behind decoy hits in the seeded set: u-1000 … u-1036. */
const AFFECTED = 37;
/** Seed 002's Atlas project and cluster, and the principal whose CloudTrail events are kept. */
const ATLAS_GROUP = '65a1b2c3d4e5f60718293a4b';
const ATLAS_TARGET = 'atlas:askflorence/askflorence-prod-01';
const TRAIL_USER = 'askflorence-deploy';
const TRAIL_EVENTS = 64;

let bucket = '';
let fx: EvidenceFixture | undefined;

async function seedTriageLogs(dir: string): Promise<string> {
  const root = join(dir, 'seed-logs');
  await mkdir(root, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const decoy = i % 50 === 0 || (i > 1000 && i % 37 === 0);
    const user = decoy ? `u-${1000 + (i % AFFECTED)}` : `u-${5000 + i}`;
    lines.push(JSON.stringify({ ts: new Date(Date.UTC(2026, 10, 1, 10, 0, i)).toISOString(), event: decoy ? 'decoy_hit' : 'page_view', user_id: user, req: { id: `req-${i}`, ip: decoy ? '203.0.113.7' : `10.0.${i % 250}.1` } }));
  }
  // Make sure every one of the AFFECTED users is hit at least once.
  for (let u = 0; u < AFFECTED; u++) lines.push(JSON.stringify({ ts: '2026-11-01T12:00:00Z', event: 'decoy_hit', user_id: `u-${1000 + u}` }));
  lines.splice(500, 0, '{"ts":"2026-11-01T10:30:00Z","event":"decoy_hit","user_id":"u-1000",', '\u0000garbage\u00ff line');
  await writeFile(join(root, 'app.ndjson'), `${lines.join('\n')}\n`);
  await writeFile(join(root, 'app.ndjson.1.gz'), gzipSync('{"ts":"2026-10-31T23:59:00Z","event":"decoy_hit","user_id":"u-1001"}\n'));
  await writeFile(join(root, 'worker.log'), '2026-11-01T11:00:00Z ERROR handler failed user_id=u-1002 event=decoy_hit\n\tat decoy (trap.js:1)\n\tat main (index.js:9)\n2026-11-01T11:00:01Z INFO ok user_id=u-7\n');
  return root;
}

export const evidenceScenario: DrillScenario = {
  name: 'evidence',
  description: 'preserve an incident window from every source into the locked evidence bucket (moto, the Atlas emulator), verify it, catch a tampered copy, and triage a seeded log set into the affected count the clocks use',
  needs: ['aws'],

  async setup(env) {
    bucket = await provisionEvidenceBucket(env.aws!);
    fx = await seedEvidenceSources(env.aws!, env.workDir);
    const start = Date.parse(fx.window.from);
    // More than one LookupEvents page (50), plus another principal's event and one outside the window.
    env.aws!.cloudTrail.add([
      ...Array.from({ length: TRAIL_EVENTS }, (_, i) => ({ eventId: `drill-ct-${i}`, eventName: i % 4 ? 'GetSecretValue' : 'CreateAccessKey', eventTime: new Date(start + i * 60_000).toISOString(), username: TRAIL_USER })),
      { eventId: 'drill-ct-other', eventName: 'ListUsers', eventTime: new Date(start + 60_000).toISOString(), username: 'someone-else' },
      { eventId: 'drill-ct-before', eventName: 'ListUsers', eventTime: new Date(start - 60_000).toISOString(), username: TRAIL_USER },
    ]);
  },

  async run(env) {
    const atlas = await startAtlasEmulator();
    try {
      return await drill(env, atlas);
    } finally {
      await atlas.stop();
    }
  },
};

async function drill(env: DrillEnv, atlas: AtlasEmulator): Promise<Expectation[]> {
  const out: Expectation[] = [];
  const aws = env.aws!;
  const f = fx!;
  const backups = atlasBackups(atlas.state);
  backups.addCluster({ groupId: ATLAS_GROUP, projectName: 'askflorence', clusterName: 'askflorence-prod-01' });
  const kitEnv = { ...env.env, ...atlas.env(), FIREBREAK_EVIDENCE_BUCKET: bucket, FIREBREAK_EVIDENCE_PREFIX: 'incidents/' };
  const ctx = () => env.context({ incidentId: INCIDENT });
  const targets = [`logs:${f.logGroup}`, `rds:${f.rdsInstance}`, `rds-cluster:${f.rdsCluster}`, `ebs:${f.volumeId}`, `s3:${f.bucket}/${f.prefix}`, `guardduty:${f.detectorId}`, ATLAS_TARGET, `cloudtrail:user:${TRAIL_USER}`, 'file:logs'].join('\n');
  const preserve = () => runStep(preserveEvidenceStep, { targets, ...f.window }, buildPreserveEvidencePorts(kitEnv, { sleep: env.sleep, root: env.workDir, callAttempts: 1, atlasPollMs: 1_000 }), ctx());

  // A first attempt loses one log slice to a CloudWatch outage: partial, and it says which.
  aws.faults.add({ target: 'Logs_20140328.FilterLogEvents', times: 1, status: 500, body: { __type: 'ServiceUnavailableException', message: 'drill: logs down' } });
  const first = await preserve().catch((e: unknown) => e);
  const failed = first instanceof PartialFailureError ? (first.result as Result).outcomes.filter((o) => o.status === 'failed').map((o) => o.subject) : [];
  out.push(checkEqual('partial capture names the missing log slice', failed, [`${f.logGroup} ${f.window.from} to ${new Date(Date.parse(f.window.from) + 3_600_000).toISOString()}`]));
  const second = await preserve();
  out.push(checkEqual('re-run collects only what was missing', second.plan?.changes.length, 1));
  out.push(checkEqual('re-run converges', second.result?.status, 'ok'));
  const third = await preserve();
  out.push(checkEqual('a third run has nothing to add', third.result?.status, 'noop'));
  const kept = (third.plan?.unchanged ?? []).map((u) => u.target);
  for (const source of ['logs', 'rds', 'rds-cluster', 'ebs', 's3', 'guardduty', 'atlas', 'cloudtrail', 'file']) out.push(check(`preserved from ${source}`, kept.some((t) => t.startsWith(`${source}:`)), kept.join(', ')));
  out.push(checkEqual('15 objects in the manifest', third.plan?.unchanged.length, 15));
  out.push(checkEqual('one Atlas snapshot over three runs, described with the incident', backups.snapshots(ATLAS_GROUP, 'askflorence-prod-01').map((s) => [s.description, s.status]), [[`incident-${INCIDENT}`, 'completed']]));
  const trailKey = `incidents/${INCIDENT}/evidence/cloudtrail/user/${TRAIL_USER}/${f.window.from}_${f.window.to}.ndjson`;
  const s3 = new S3Client({ region: aws.region, endpoint: aws.directEndpoint, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const trailText = await s3
    .send(new GetObjectCommand({ Bucket: bucket, Key: trailKey }))
    .then((o) => o.Body!.transformToString())
    .catch((e: unknown) => String(e))
    .finally(() => s3.destroy());
  const trail = trailText.split('\n').filter(Boolean);
  out.push(checkEqual(`CloudTrail: the ${TRAIL_EVENTS} events of ${TRAIL_USER} in the window, no others`, trail.length, TRAIL_EVENTS));

  const vports = () => buildVerifyEvidencePorts(kitEnv, { sleep: env.sleep, callAttempts: 1 });
  const verified = await runStep(verifyEvidenceStep, {}, vports(), ctx());
  out.push(check('verify-evidence: every object matches', verified.result?.status === 'ok' && /^all 15 object/.test(verified.result.outcomes[0]?.reason ?? ''), verified.result?.outcomes[0]?.reason));

  const copy = await copyEvidenceBucket(aws, bucket, `incidents/${INCIDENT}/`);
  const victim = `incidents/${INCIDENT}/evidence/files/logs/app.log`;
  await copy.put(victim, 'nothing to see here\n');
  const tampered = await runStep(verifyEvidenceStep, { bucket: copy.bucket }, vports(), ctx()).catch((e: unknown) => e);
  const reason = tampered instanceof PartialFailureError ? ((tampered.result as Result).outcomes[0]?.reason ?? '') : String(tampered);
  out.push(check('verify-evidence names the tampered object in the copy, and only it', /^1 of 15 object/.test(reason) && reason.includes(`${victim} differs`), reason.slice(0, 300)));

  const logs = await seedTriageLogs(env.workDir);
  const triaged = await runStep(
    triageStep,
    { indicators: 'event:decoy_hit\nip:203.0.113.7', sources: logs, subjectField: 'user_id', factsField: 'eu_subjects', out: join(env.workDir, 'triage-out') },
    buildTriagePorts({}, { sleep: env.sleep, cwd: env.workDir, workers: 2 }),
    env.context({ incidentId: null }),
  );
  const summary = triaged.result?.outcomes.find((o) => o.action === 'search')?.reason ?? '';
  out.push(check(`triage: ${AFFECTED} distinct affected users`, summary.includes(`affected user_id: ${AFFECTED} distinct`), summary.slice(0, 300)));
  out.push(check('triage: the malformed line is counted, not fatal', /; 1 malformed/.test(summary), summary.slice(0, 200)));
  const keptDir = triaged.result?.outcomes.find((o) => o.action === 'keep')?.subject ?? '';
  const factsText = await readFile(join(keptDir, 'facts.yml'), 'utf8').catch(() => '');
  out.push(checkEqual('triage: facts file carries the count', factsText, `eu_subjects: ${AFFECTED}\n`));
  const subjects = (await readFile(join(keptDir, 'subjects-user_id.txt'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  out.push(checkEqual('triage: the subject list (kept locally) has the same count', subjects.length, AFFECTED));
  const facts = parseFacts({ discovered_at: '2026-11-01T12:30:00Z', data_categories: ['phi'], ...(await import('yaml')).parse(factsText) });
  const clocks = computeObligations(facts, parseConfig('version: 1\n').incident);
  out.push(checkEqual('the clocks use the count: eu_subjects', facts.eu_subjects, AFFECTED));
  out.push(check('the clocks use the count: GDPR authority notice due', clocks.obligations.some((o) => o.id === 'gdpr-authority'), clocks.obligations.map((o) => o.id).join()));
  const records = await readFile(env.auditFile, 'utf8');
  out.push(check('no affected subject in the audit chain', subjects.every((s) => !records.includes(`"${s}"`))));
  return out;
}
