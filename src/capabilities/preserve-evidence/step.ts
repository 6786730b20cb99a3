import { asError, InputError } from '../../core/errors.js';
import { EVIDENCE_DIR_NAME, MANIFEST_DIR_NAME, evidenceFolder } from '../../core/evidence/layout.js';
import { indexEntries, manifestHash, manifestPart, manifestText, parseManifestPart, parseWindow, type EvidenceWindow, type ManifestEntry, type ManifestPart } from '../../core/evidence/manifest.js';
import { parseTargets, type EvidenceTarget } from '../../core/evidence/targets.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome, Plan, Unchanged } from '../../core/plan.js';
import type { StepContext, StepDefinition } from '../../core/step.js';
import { sha256 } from '../../core/triage/report.js';
import { preserveEvidenceInputs } from './inputs.js';
import type { EvidencePiece, PreserveEvidencePorts } from './ports.js';

/**
 * preserve-evidence: copy what an incident window left behind into the evidence bucket, with a
 * manifest entry per object, before anyone cleans up ("Snapshot first").
 *
 *   plan: list each target's pieces for the window; compare with the incident's manifest and the
 *         bucket → preserve (new), record (stored by an earlier run that died before its manifest),
 *         or already preserved.
 *   apply: collect pieces (bounded parallelism, progress logged), put each once (If-None-Match),
 *          then write this run's manifest part; its hash and the whole manifest's go in the record.
 *
 * A target that cannot be read is one failed change naming it; the rest are still preserved, and a
 * re-run collects only what is missing.
 */

export interface PreserveEvidenceInput {
  targets: EvidenceTarget[];
  window: EvidenceWindow;
  sliceMinutes: number;
  concurrency: number;
}

interface PreserveMeta {
  incident: string;
  folder: string;
  /** Entries already in the manifest (count) and the manifest's hash before this run. */
  before: { entries: number; sha256: string };
}

interface Work {
  byChange: Map<Change, { piece?: EvidencePiece; source: string; error?: string; key: string }>;
  known: ManifestEntry[];
}
const memory = new WeakMap<Plan<PreserveMeta>, Work>();

const NAME = 'preserve-evidence';

export const preserveEvidenceStep: StepDefinition<PreserveEvidenceInput, PreserveEvidencePorts, PreserveMeta> = {
  name: NAME,
  description: 'Preserve logs, snapshots, object versions, findings and files for an incident window into the evidence bucket, with a hashed manifest',

  parse(raw, ctx) {
    const v = readInputs(preserveEvidenceInputs, raw);
    const targets = parseTargets(v.targets);
    const window = parseWindow(v.from, v.to ?? '', ctx.clock.now());
    const sliceMinutes = intIn(v.sliceMinutes, 'slice-minutes', 1, 1440);
    const concurrency = intIn(v.concurrency, 'concurrency', 1, 16);
    return { targets, window, sliceMinutes, concurrency };
  },

  async plan(input, ports, ctx) {
    const incident = requireIncident(ctx);
    const folder = evidenceFolder(ports.prefix, incident);
    const stored = await ports.store.list(folder);
    const parts = await readParts(ports, folder, stored);
    const { byKey, conflicts } = indexEntries(parts);
    const known = [...byKey.values()];
    const changes: Change[] = [];
    const unchanged: Unchanged[] = [];
    const warnings: string[] = conflicts.map((k) => `The manifest records ${k} twice with different hashes: run verify-evidence.`);
    const work: Work = { byChange: new Map(), known };
    const sctx = { incidentId: incident, evidencePrefix: `${folder}${EVIDENCE_DIR_NAME}`, bucket: ports.store.bucket, sleep: ctx.sleep, progress: (m: string) => ctx.logger.info(m) };
    for (const target of input.targets) {
      let pieces: EvidencePiece[];
      try {
        pieces = await ports.source(target.kind).pieces(target, input.window, sctx);
      } catch (e) {
        const change: Change = { target: target.label, action: 'list', subject: target.label, detail: { error: ctx.redactor.scrub(asError(e).message) } };
        changes.push(change);
        work.byChange.set(change, { source: target.label, error: asError(e).message, key: '' });
        continue;
      }
      if (pieces.length === 0) unchanged.push({ target: target.label, subject: target.label, reason: 'nothing in the window' });
      for (const piece of pieces) {
        const key = `${folder}${EVIDENCE_DIR_NAME}${piece.key}`;
        const entry = piece.folder ? known.find((e) => e.key.startsWith(key)) : byKey.get(key);
        if (entry) {
          unchanged.push({ target: target.label, subject: piece.subject, reason: piece.folder ? `already preserved under ${key}` : `already preserved: ${key} (sha256 ${entry.sha256})` });
          continue;
        }
        const change: Change = { target: target.label, action: !piece.folder && stored.has(key) ? 'record' : 'preserve', subject: piece.subject, detail: { key } };
        changes.push(change);
        work.byChange.set(change, { piece, source: target.label, key });
      }
    }
    const plan: Plan<PreserveMeta> = { step: NAME, changes, unchanged, warnings, meta: { incident, folder, before: { entries: known.length, sha256: manifestHash(known) } } };
    memory.set(plan, work);
    return plan;
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const work = memory.get(plan) ?? { byChange: new Map(), known: [] };
    const collector = await ports.collector().catch((e: unknown) => `unknown (${asError(e).message})`);
    const who = `${collector} (by ${ctx.actor}${ctx.runUrl ? `, ${ctx.runUrl}` : ''})`;
    const entries: ManifestEntry[] = [];
    const outcomes: Outcome[] = new Array(plan.changes.length);
    let done = 0;
    let next = 0;
    const total = plan.changes.length;
    const sctxBucket = ports.store.bucket;
    const one = async (i: number) => {
      const change = plan.changes[i]!;
      const w = work.byChange.get(change);
      const out = (status: Outcome['status'], reason: string): Outcome => ({ target: change.target, action: change.action, subject: change.subject, status, reason: ctx.redactor.scrub(reason) });
      if (!w || w.error !== undefined || !w.piece) {
        outcomes[i] = out('failed', `not preserved: ${w?.error ?? 'the plan was made in another process'}. Fix the cause and re-run: what was kept stays.`);
        return;
      }
      try {
        const collectedAt = ctx.clock.now().toISOString();
        const add = (key: string, size: number, hash: string) => entries.push({ key, size, sha256: hash, source: w.source, window: input.window, collectedAt, collector: who });
        if (change.action === 'record') {
          const h = await ports.store.hash(w.key);
          if (!h) throw new Error(`${w.key} was listed but cannot be read back`);
          add(w.key, h.size, h.sha256);
          outcomes[i] = out('applied', `kept by an earlier run; recorded: ${h.size} bytes, sha256 ${h.sha256}`);
        } else {
          const got = await w.piece.collect();
          if ('stored' in got) {
            const hashes: string[] = [];
            for (const key of got.stored) {
              const h = await ports.store.hash(key);
              if (!h) throw new Error(`the provider reported ${key} written, but it is not in s3://${sctxBucket}`);
              add(key, h.size, h.sha256);
              hashes.push(`${key} sha256 ${h.sha256}`);
            }
            outcomes[i] = out('applied', `written by the provider and recorded: ${hashes.join('; ') || 'no objects'}`);
          } else {
            const hash = sha256(got.body);
            const r = await ports.store.putIfAbsent(w.key, got.body, hash, got.contentType);
            if (r === 'exists') {
              const h = await ports.store.hash(w.key);
              if (!h) throw new Error(`${w.key} exists but cannot be read back`);
              add(w.key, h.size, h.sha256);
              outcomes[i] = out('applied', `another run kept ${w.key} first; recorded what is stored (sha256 ${h.sha256}${h.sha256 === hash ? ', same bytes' : `; this run collected sha256 ${hash}`})`);
            } else {
              add(w.key, got.body.length, hash);
              outcomes[i] = out('applied', `${got.body.length} bytes, sha256 ${hash}`);
            }
          }
        }
      } catch (e) {
        outcomes[i] = out('failed', `not preserved: ${asError(e).message}. Re-run to collect what is missing.`);
      }
      done++;
      if (done === total || done % Math.max(1, Math.floor(total / 20)) === 0) ctx.logger.info(`preserve-evidence: ${done}/${total} piece(s) handled (${entries.length} kept)`);
    };
    const lane = async () => {
      while (next < plan.changes.length) await one(next++);
    };
    await Promise.all(Array.from({ length: Math.min(input.concurrency, plan.changes.length) }, lane));

    if (entries.length === 0) return outcomes;
    const part = manifestPart(meta.incident, input.window, entries);
    const text = manifestText(part);
    const partHash = sha256(text);
    const partKey = `${meta.folder}${MANIFEST_DIR_NAME}${ctx.clock.now().toISOString().replace(/[:.]/g, '')}-${partHash.slice(0, 16)}.json`;
    const whole = manifestHash([...work.known, ...entries]);
    const manifestOut = (status: Outcome['status'], reason: string): Outcome => ({ target: `s3:${ports.store.bucket}`, action: 'manifest', subject: partKey, status, reason });
    try {
      await ports.store.putIfAbsent(partKey, Buffer.from(text, 'utf8'), partHash, 'application/json');
      outcomes.push(manifestOut('applied', `manifest part sha256 ${partHash} (${entries.length} entries); incident manifest sha256 ${whole} (${work.known.length + entries.length} entries)`));
    } catch (e) {
      outcomes.push(
        manifestOut('failed', `the ${entries.length} object(s) are stored but their manifest part was not written: ${asError(e).message}. Re-run: it records them (action record) without collecting again.`),
      );
    }
    return outcomes;
  },
};

async function readParts(ports: PreserveEvidencePorts, folder: string, stored: Map<string, { key: string }>): Promise<ManifestPart[]> {
  const parts: ManifestPart[] = [];
  for (const key of [...stored.keys()].sort()) {
    if (!key.startsWith(`${folder}${MANIFEST_DIR_NAME}`)) continue;
    parts.push(parseManifestPart(await ports.store.readText(key), `s3://${ports.store.bucket}/${key}`));
  }
  return parts;
}

export function requireIncident(ctx: StepContext): string {
  if (!ctx.incidentId) throw new InputError('evidence belongs to an incident: pass --incident (or run from the incident)', { field: 'incident', code: 'INPUT_MISSING' });
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(ctx.incidentId)) throw new InputError(`incident id "${ctx.incidentId}" cannot name an evidence folder`, { field: 'incident' });
  return ctx.incidentId;
}

function intIn(text: string | undefined, field: string, min: number, max: number): number {
  const n = Number((text ?? '').trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(`${field} must be a whole number from ${min} to ${max}`, { field, code: 'INPUT_INVALID' });
  return n;
}
