import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DeleteObjectCommand, ListObjectVersionsCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CompositeAuditSink, formatAnchor, verifyChain } from '../../core/audit.js';
import { GuardError, InputError, PartialFailureError } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import type { Outcome } from '../../core/plan.js';
import { maxChangesGuard, runStep, type StepDefinition } from '../../core/step.js';
import { auditKey } from '../../providers/aws/evidence-audit-store.js';
import { FileAuditSink, MemoryAuditSink } from '../../providers/local/file-audit-sink.js';
import { buildAuditMirrors } from '../../runtime/audit-mirrors.js';
import { awsClientConfig } from '../../runtime/clients.js';
import { buildEvidenceAuditStore } from '../../runtime/ports/evidence-audit.js';
import { buildIncidentLedger } from '../../runtime/ports/incident.js';
import { main } from '../../cli/main.js';
import { memoryIo } from '../../cli/io.js';
import { provisionEvidenceBucket } from '../fixtures/evidence-bucket.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../scenario.js';

/**
 * The drill's self-test of the step engine and the audit chain, with no emulator: a tiny real step
 * (`drill-checkpoint`: write named marker files into a directory) runs through `runStep` in dry-run,
 * apply, re-apply (converges to noop), refused-by-guard, override, bad input and partial failure,
 * and every run must leave exactly one audit record. It keeps the drill honest even before any
 * provider scenario exists, and its records are part of the chain the drill verifies at the end.
 */

interface CheckpointInput {
  dir: string;
  names: string[];
}

interface CheckpointPorts {
  /** Names that refuse to be written (simulates one target failing). */
  failing: Set<string>;
}

export const checkpointStep: StepDefinition<CheckpointInput, CheckpointPorts> = {
  name: 'drill-checkpoint',
  description: 'write marker files (drill self-test)',
  secretInputs: ['token'],
  parse(raw) {
    const names = raw.names;
    if (typeof raw.dir !== 'string' || raw.dir === '') throw new InputError('dir is required', { field: 'dir' });
    if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !/^[a-z0-9-]+$/.test(n))) {
      throw new InputError('names must be lowercase slugs', { field: 'names' });
    }
    return { dir: raw.dir, names: [...new Set(names as string[])] };
  },
  async plan(input) {
    const changes = [];
    const unchanged = [];
    for (const name of input.names) {
      const exists = await readFile(join(input.dir, name), 'utf8').then(() => true, () => false);
      if (exists) unchanged.push({ target: 'fs:markers', subject: name, reason: 'already written' });
      else changes.push({ target: 'fs:markers', action: 'create', subject: name });
    }
    return { step: 'drill-checkpoint', changes, unchanged, warnings: [] };
  },
  async apply(plan, input, ports) {
    await mkdir(input.dir, { recursive: true });
    const out: Outcome[] = [];
    for (const c of plan.changes) {
      if (ports.failing.has(c.subject)) {
        out.push({ ...c, status: 'failed', reason: 'refused by the test port', retryable: true });
        continue;
      }
      await writeFile(join(input.dir, c.subject), 'checkpoint\n');
      out.push({ ...c, status: 'applied' });
    }
    return out;
  },
};

export const auditScenario: DrillScenario = {
  name: 'audit',
  description: 'step engine and audit chain: dry-run, apply, converge, guard, override, partial failure',
  needs: [],
  async run(env) {
    const dir = join(env.workDir, 'markers');
    const ports: CheckpointPorts = { failing: new Set() };
    const results: Expectation[] = [];
    const recordsBefore = await countRecords(env.auditFile);

    const dry = await runStep(checkpointStep, { dir, names: ['a', 'b'], token: 's3cret-value' }, ports, env.context({ dryRun: true }));
    results.push(checkEqual('dry-run plans 2 creates', dry.plan?.changes.map((c) => c.subject), ['a', 'b']));
    results.push(check('dry-run changes nothing', !(await exists(join(dir, 'a')))));
    results.push(check('secret input is redacted in the audit record', !JSON.stringify(dry.entry.record).includes('s3cret-value')));

    const applied = await runStep(checkpointStep, { dir, names: ['a', 'b'] }, ports, env.context());
    results.push(checkEqual('apply reports applied', applied.result?.status, 'ok'));
    results.push(check('apply wrote the markers', (await exists(join(dir, 'a'))) && (await exists(join(dir, 'b')))));

    const again = await runStep(checkpointStep, { dir, names: ['a', 'b'] }, ports, env.context());
    results.push(checkEqual('re-apply converges (noop)', again.entry.record.status, 'noop'));

    const refused = await runStep(checkpointStep, { dir, names: ['c', 'd'] }, ports, env.context({ guards: [maxChangesGuard(1)] })).then(
      () => undefined,
      (e: unknown) => e,
    );
    results.push(check('blast-radius guard refuses 2 changes over a cap of 1', refused instanceof GuardError && refused.code === 'BLAST_RADIUS', String(refused)));
    results.push(check('refused run changed nothing', !(await exists(join(dir, 'c')))));

    const overridden = await runStep(checkpointStep, { dir, names: ['c', 'd'] }, ports, env.context({ guards: [maxChangesGuard(1)], overrides: [{ guard: 'BLAST_RADIUS', reason: 'drill' }] }));
    results.push(checkEqual('override with a reason is recorded', overridden.entry.record.override, { guard: 'BLAST_RADIUS', reason: 'drill' }));

    const bad = await runStep(checkpointStep, { dir, names: ['Bad Name'] }, ports, env.context()).then(() => undefined, (e: unknown) => e);
    results.push(check('bad input is a typed InputError', bad instanceof InputError && bad.field === 'names', String(bad)));

    ports.failing.add('f');
    const partial = await runStep(checkpointStep, { dir, names: ['e', 'f'] }, ports, env.context()).then(() => undefined, (e: unknown) => e);
    results.push(check('one failing target is a PartialFailureError', partial instanceof PartialFailureError, String(partial)));
    results.push(check('the other target was applied', await exists(join(dir, 'e'))));
    ports.failing.clear();
    const healed = await runStep(checkpointStep, { dir, names: ['e', 'f'] }, ports, env.context());
    results.push(checkEqual('re-run after the fault applies only the missing target', healed.result?.outcomes.map((o) => `${o.subject}:${o.status}`), ['f:applied', 'e:already']));

    results.push(checkEqual('every run wrote exactly one audit record', (await countRecords(env.auditFile)) - recordsBefore, 8));

    // A memory chain of the same records links and verifies independently of the file.
    const mem = new MemoryAuditSink();
    await runStep(checkpointStep, { dir, names: ['a'] }, ports, env.context({ audit: mem }));
    results.push(checkEqual('memory sink starts its own chain at seq 1', mem.head.seq, 1));
    return results;
  },
};

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(() => true, () => false);
}

async function countRecords(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim() !== '').length;
}

/**
 * The durable audit trail: runs go through the same mirrors the actions build (the incident issue
 * and the kit's Object-Locked evidence bucket), records made during an "outage" are pushed later,
 * and the chain pulled from the bucket and from the issue verify against the bucket's anchor.
 */
export const auditTrailScenario: DrillScenario = {
  name: 'audit-trail',
  description: 'records reach the incident issue and the Object-Locked bucket; outage records are pushed once; pull + verify agree',
  needs: ['aws', 'github'],
  async run(env) {
    const results: Expectation[] = [];
    const moto = env.aws!;
    const bucket = await provisionEvidenceBucket(moto);
    const kitEnv = { ...env.env, [KIT_VARIABLES.evidenceBucket]: bucket };
    const id = `INC-DRILL-${Math.random().toString(36).slice(2, 8).toUpperCase()}`;
    const ledger = buildIncidentLedger({ env: kitEnv, sleep: env.sleep });
    const { issue } = await ledger.openIncident(id, `[${id}] drill: durable audit trail`, 'Drill incident for the audit trail.', ['incident']);

    // The mirrors every entry point builds from its environment.
    const mirrors = await buildAuditMirrors({ env: kitEnv, mask: () => {}, logger: env.log });
    results.push(checkEqual('the entry points mirror to the issue and the evidence bucket', mirrors.map((m) => m.name), ['github-issue', 'evidence-bucket']));
    const online = new CompositeAuditSink(env.audit, mirrors);
    const dir = join(env.workDir, 'trail-markers');
    const ports: CheckpointPorts = { failing: new Set() };
    await runStep(checkpointStep, { dir, names: ['t1'] }, ports, env.context({ audit: online, incidentId: id, dryRun: true }));
    await runStep(checkpointStep, { dir, names: ['t1'] }, ports, env.context({ audit: online, incidentId: id }));
    results.push(checkEqual('no mirror failed', online.failures.map((f) => f.mirror), []));

    // GitHub and AWS are down: the laptop seals into its own chain file only.
    const laptopFile = join(env.workDir, 'laptop-audit.jsonl');
    const laptop = new FileAuditSink(laptopFile);
    await runStep(checkpointStep, { dir, names: ['t2'] }, ports, env.context({ audit: laptop, incidentId: id, actor: 'laptop-ic' }));
    await runStep(checkpointStep, { dir, names: ['t3'] }, ports, env.context({ audit: laptop, incidentId: id, actor: 'laptop-ic' }));

    const cli = async (...args: string[]) => {
      const io = memoryIo(kitEnv, env.workDir);
      const code = await main([...args], io);
      return { code, out: io.out.join('\n'), err: io.err.join('\n') };
    };
    const pushed = await cli('--json', 'audit', 'push', laptopFile);
    const sent = pushed.code === 0 ? (JSON.parse(pushed.out) as { destinations: Array<{ sent: number[] }> }).destinations.map((d) => d.sent) : pushed.err;
    results.push(checkEqual('audit push sends the 2 outage records to the bucket and the issue', sent, [[1, 2], [1, 2]]));
    const again = await cli('--json', 'audit', 'push', laptopFile);
    const resent = again.code === 0 ? (JSON.parse(again.out) as { destinations: Array<{ sent: number[]; already: number }> }).destinations.map((d) => [d.sent.length, d.already]) : again.err;
    results.push(checkEqual('re-running audit push sends nothing', resent, [[0, 2], [0, 2]]));

    const store = buildEvidenceAuditStore({ env: kitEnv, sleep: env.sleep })!;
    const stored = await store.read(id);
    const onIssue = await ledger.readEntries(issue.number);
    results.push(checkEqual('the bucket holds every record once, in order, with no gap or overwrite', [stored.lines.length, stored.findings], [4, []]));
    results.push(checkEqual('the issue holds the same records', onIssue.entries.map((e) => e.record.actor), ['firebreak-drill', 'firebreak-drill', 'laptop-ic', 'laptop-ic']));
    results.push(checkEqual("the issue's chain head is the bucket's anchor", formatAnchor(onIssue.head), stored.anchor ? formatAnchor(stored.anchor) : null));

    const fromBucket = await cli('audit', 'pull', '--incident', id, '--out', 'pulled-bucket.jsonl');
    const fromIssue = await cli('audit', 'pull', '--incident', id, '--from', 'issue', '--out', 'pulled-issue.jsonl');
    const verifyBucket = await cli('audit', 'verify', 'pulled-bucket.jsonl', '--incident', id);
    const verifyIssue = await cli('audit', 'verify', 'pulled-issue.jsonl');
    results.push(checkEqual('audit pull (bucket, issue) and audit verify against the bucket anchor agree', [fromBucket.code, fromIssue.code, verifyBucket.code, verifyIssue.code], [0, 0, 0, 0]));
    results.push(check('verify names the bucket object as its anchor', verifyBucket.out.includes(`anchored by s3://${bucket}/${auditKey(id, 4)}`), verifyBucket.out + verifyBucket.err));
    const pulled = (await readFile(join(env.workDir, 'pulled-issue.jsonl'), 'utf8')).split('\n');
    results.push(check('the pulled chain verifies line by line against the anchor', verifyChain(pulled, stored.anchor).ok));

    // Object Lock (COMPLIANCE): a locked record can be neither replaced nor deleted.
    const s3 = new S3Client({ ...awsClientConfig(kitEnv), forcePathStyle: true });
    try {
      const key = auditKey(id, 1);
      const status = (e: unknown) => (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const overwrite = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'forged', IfNoneMatch: '*' })).then(() => 200, status);
      results.push(checkEqual('a conditional overwrite of a record is refused (412)', overwrite, 412));
      const [version] = (await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: key }))).Versions ?? [];
      const removal = await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: version?.VersionId })).then(() => 200, status);
      results.push(checkEqual('deleting a locked record is refused (403)', removal, 403));
    } finally {
      s3.destroy();
    }
    return results;
  },
};
