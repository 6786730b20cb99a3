import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { formatAnchor, parseAnchor, verifyChain, type AuditRecord, type ChainHead, type SealedEntry } from '../../core/audit.js';
import type { BucketFinding } from '../../core/audit-sync.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { AuditChainError, InputError } from '../../core/errors.js';
import { realSleep } from '../../core/runtime.js';
import { validateChainName, type BucketChain, type EvidenceAuditStore } from '../../providers/aws/evidence-audit-store.js';
import { verifyAuditFile } from '../../providers/local/verify-file.js';
import { hasGitHubAccess } from '../../runtime/env.js';
import { globalsOf, ioOf, printJson, type CliIo } from '../io.js';

/**
 * `firebreak audit verify FILE [--head SEQ:HASH | --incident ID]`: prove the audit chain was not edited.
 * `firebreak audit pull --incident ID [--from bucket|issue]`: rebuild a chain file from a durable copy.
 * `firebreak audit push FILE`: copy a local chain to the issue and the bucket, without duplicates.
 */
export function register(program: Command): void {
  const audit = program.command('audit').description('inspect and verify the audit chain');
  audit
    .command('verify')
    .description('verify a hash-chained audit file; names the first record that does not chain')
    .argument('<file>', 'audit chain (JSON lines), e.g. .firebreak/audit.jsonl')
    .option('--head <seq:hash>', 'expected head, kept elsewhere (default: FILE.head when present)')
    .option('--incident <id>', "anchor: the latest object of this incident's chain in the evidence bucket (also reports gaps and overwrites there)")
    .option('--bucket <name>', 'evidence bucket (default: FIREBREAK_EVIDENCE_BUCKET)')
    .action(async (file: string, opts: { head?: string; incident?: string; bucket?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const path = resolve(io.cwd, file);
      if (opts.head !== undefined && opts.incident !== undefined) throw new InputError('give one anchor: --head or --incident', { field: 'head' });
      let bucketFindings: BucketFinding[] = [];
      let resolved: { anchor: ChainHead | undefined; source: string };
      if (opts.incident !== undefined) {
        const stored = await (await storeFor(io, opts.bucket)).read(validateChainName(opts.incident));
        if (!stored.anchor) throw new AuditChainError(`the evidence bucket holds no record for ${opts.incident}: nothing to anchor ${file} to`, { hint: 'Check the incident id and the bucket; `firebreak audit push FILE` copies a local chain there.', details: { incident: opts.incident } });
        bucketFindings = stored.findings;
        resolved = { anchor: stored.anchor, source: stored.anchorUri! };
      } else {
        resolved = await anchorFor(path, file, opts.head);
      }
      const { anchor, source } = resolved;
      let report;
      try {
        report = await verifyAuditFile(path, { anchor });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`audit file ${file} not found`, { field: 'file' });
        throw error;
      }
      const head = formatAnchor(report.head);
      const inBucket = bucketFindings.map((f) => f.reason);
      if (!report.ok) {
        const p = report.problem!;
        throw new AuditChainError(`${file}:${p.line}: record ${p.seq ?? '?'} does not chain: ${p.reason}${inBucket.length ? `; in the bucket: ${inBucket.join('; ')}` : ''}`, {
          hint: `Records before line ${p.line} verify (${report.records} record(s), head ${head}). Preserve ${file} and ${file}.head as evidence; compare with the evidence store's copy.`,
          details: { file, line: p.line, seq: p.seq ?? null, reason: p.reason, verifiedRecords: report.records, verifiedHead: head, anchor: source, bucketFindings },
        });
      }
      if (inBucket.length) {
        throw new AuditChainError(`${file} verifies against ${source}, but the bucket chain was tampered with: ${inBucket.join('; ')}`, {
          hint: 'The first version of every object is the record as written (Object Lock keeps it). Preserve the bucket listing (ListObjectVersions) as evidence.',
          details: { file, records: report.records, head, anchor: source, bucketFindings },
        });
      }
      if (json) printJson(io, { ok: true, file, records: report.records, head, anchor: source });
      else {
        io.stdout(`ok ${file}: ${report.records} record(s), head ${head}`);
        io.stdout(source === 'none' ? 'no anchor: a chain cut at a record boundary cannot be detected; pass --head, --incident or keep FILE.head' : `anchored by ${source}`);
      }
    });
  registerPull(audit);
  registerPush(audit);
}

/** Entries of a local chain file, refused unless the whole file verifies (against FILE.head when kept). */
export async function readChainFile(io: CliIo, file: string): Promise<SealedEntry[]> {
  const path = resolve(io.cwd, file);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(`audit file ${file} not found`, { field: 'file' });
    throw error;
  }
  const { anchor, source } = await anchorFor(path, file, undefined);
  const lines = text.split('\n');
  const report = verifyChain(lines, anchor);
  if (!report.ok) {
    const p = report.problem!;
    throw new AuditChainError(`${file}:${p.line}: record ${p.seq ?? '?'} does not chain: ${p.reason}; nothing was pushed`, {
      hint: `Only an intact chain is copied to the issue and the bucket. Preserve ${file} as evidence; \`firebreak audit verify ${file}\` shows the same.`,
      details: { file, line: p.line, seq: p.seq ?? null, anchor: source },
    });
  }
  return lines.filter((l) => l.trim() !== '').map((l) => {
    const o = JSON.parse(l) as { seq: number; prev: string; hash: string; record: AuditRecord };
    return { seq: o.seq, prev: o.prev, hash: o.hash, record: o.record };
  });
}

async function storeFor(io: CliIo, bucket: string | undefined): Promise<EvidenceAuditStore> {
  const { buildEvidenceAuditStore } = await import('../../runtime/ports/evidence-audit.js');
  const store = buildEvidenceAuditStore({ env: io.env, sleep: realSleep, ...(bucket ? { bucket } : {}) });
  if (!store) throw new InputError('no evidence bucket: pass --bucket NAME or set FIREBREAK_EVIDENCE_BUCKET (the kit writes it)', { field: 'bucket' });
  return store;
}

async function ledgerFor(io: CliIo) {
  if (!hasGitHubAccess(io.env)) throw new InputError('no GitHub access: set FIREBREAK_GITHUB_TOKEN (or GITHUB_TOKEN) and GITHUB_REPOSITORY', { field: 'from' });
  const { buildIncidentLedger } = await import('../../runtime/ports/incident.js');
  return buildIncidentLedger({ env: io.env, sleep: realSleep });
}

function registerPull(audit: Command): void {
  audit
    .command('pull')
    .description("rebuild an incident's audit chain file from the evidence bucket (or the incident issue)")
    .requiredOption('--incident <id>', 'incident id, e.g. INC-20261202-0142')
    .addOption(new Option('--from <where>', 'where to read the chain').choices(['bucket', 'issue']).default('bucket'))
    .option('--out <file>', 'chain file to write (default: audit-<incident>.<from>.jsonl)')
    .option('--bucket <name>', 'evidence bucket (default: FIREBREAK_EVIDENCE_BUCKET)')
    .action(async (opts: { incident: string; from: 'bucket' | 'issue'; out?: string; bucket?: string }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const incident = validateChainName(opts.incident);
      const out = opts.out ?? `audit-${incident}.${opts.from}.jsonl`;
      const path = resolve(io.cwd, out);
      let lines: string[];
      let stored: BucketChain | undefined;
      if (opts.from === 'bucket') {
        stored = await (await storeFor(io, opts.bucket)).read(incident);
        if (stored.lines.length === 0) throw new InputError(`the evidence bucket holds no audit record for ${incident}`, { field: 'incident' });
        lines = stored.lines;
      } else {
        const ledger = await ledgerFor(io);
        const issue = await ledger.findIncident(incident);
        if (!issue) throw new InputError(`no incident issue for ${incident}`, { field: 'incident' });
        const { entries } = await ledger.readEntries(issue.number);
        // The exact line format of src/core/audit.ts (the record canonical, as sealed).
        lines = entries.map((e) => `{"seq":${e.seq},"prev":"${e.prev}","hash":"${e.hash}","record":${canonicalJson(e.record)}}`);
        // The issue's chain is anchored by the bucket when the bucket is configured.
        const bucketStore = await storeFor(io, opts.bucket).catch(() => undefined);
        stored = bucketStore ? await bucketStore.read(incident) : undefined;
      }
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, `${lines.join('\n')}\n`, { flag: 'w' });
      const anchor = stored?.anchor;
      // A .head left from an earlier pull would anchor this file to a head it never had.
      if (anchor) await writeFile(`${path}.head`, `${formatAnchor(anchor)}\n`);
      else await rm(`${path}.head`, { force: true });
      const findings = stored?.findings ?? [];
      if (json) printJson(io, { ok: findings.length === 0, file: out, from: opts.from, records: lines.length, anchor: anchor ? formatAnchor(anchor) : null, anchorSource: stored?.anchorUri ?? null, findings });
      else {
        io.stdout(`wrote ${out}: ${lines.length} record(s) from the ${opts.from === 'bucket' ? `bucket` : 'incident issue'}`);
        io.stdout(anchor ? `anchor ${formatAnchor(anchor)} from ${stored!.anchorUri} written to ${out}.head; check with \`firebreak audit verify ${out}\`` : stored ? `no bucket anchor: the evidence bucket holds no record of ${incident}; \`firebreak audit push\` copies local records there` : 'no bucket anchor: set FIREBREAK_EVIDENCE_BUCKET (or --bucket) to anchor the chain');
        for (const f of findings) io.stderr(`warning: ${f.reason}`);
      }
      if (findings.length) {
        throw new AuditChainError(`the bucket chain of ${incident} was tampered with: ${findings.map((f) => f.reason).join('; ')}`, {
          hint: `${out} holds the first version of every object. Preserve the bucket listing as evidence and run \`firebreak audit verify ${out}\`.`,
          details: { incident, file: out, findings },
        });
      }
    });
}

function registerPush(audit: Command): void {
  audit
    .command('push')
    .description('copy the records of a local chain file to the incident issues and the evidence bucket (idempotent)')
    .argument('<file>', 'audit chain (JSON lines), e.g. .firebreak/audit.jsonl')
    .option('--bucket <name>', 'evidence bucket (default: FIREBREAK_EVIDENCE_BUCKET)')
    .option('--no-issue', 'do not copy to the incident issues')
    .option('--no-bucket-copy', 'do not copy to the evidence bucket')
    .action(async (file: string, opts: { bucket?: string; issue: boolean; bucketCopy: boolean }, cmd: Command) => {
      const io = ioOf(cmd);
      const { json } = globalsOf(cmd);
      const entries = await readChainFile(io, file);
      const store = opts.bucketCopy ? await storeFor(io, opts.bucket) : undefined;
      const ledger = opts.issue ? await ledgerFor(io) : undefined;
      const { pushAudit } = await import('../../runtime/audit-push.js');
      const report = await pushAudit(entries, { store, ledger });
      if (json) printJson(io, { ok: true, file, ...report });
      else {
        for (const d of report.destinations) {
          io.stdout(`${d.destination}: ${d.sent.length} sent${d.sent.length ? ` (local records ${d.sent.join(', ')})` : ''}, ${d.already} already there`);
          if (d.skipped) io.stderr(`warning: ${d.skipped}`);
        }
      }
    });
}

async function anchorFor(path: string, shown: string, head: string | undefined): Promise<{ anchor: ChainHead | undefined; source: string }> {
  if (head !== undefined) {
    const anchor = parseAnchor(head);
    if (!anchor) throw new InputError(`--head must be SEQ:HASH (a number, a colon, 64 lowercase hex), got "${head}"`, { field: 'head' });
    return { anchor, source: '--head' };
  }
  let text: string;
  try {
    text = await readFile(`${path}.head`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { anchor: undefined, source: 'none' };
    throw error;
  }
  const anchor = parseAnchor(text);
  if (!anchor) {
    throw new AuditChainError(`${shown}.head is not SEQ:HASH: the anchor itself was edited or damaged`, {
      hint: 'Verify against the head kept in the evidence store: `firebreak audit verify FILE --head SEQ:HASH`.',
      details: { file: `${shown}.head` },
    });
  }
  return { anchor, source: `${shown}.head` };
}
