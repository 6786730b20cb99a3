import { InputError } from '../../core/errors.js';
import { MANIFEST_DIR_NAME, evidenceFolder } from '../../core/evidence/layout.js';
import { compareWithManifest, indexEntries, manifestHash, parseManifestPart, type ManifestPart, type StoredState } from '../../core/evidence/manifest.js';
import { readInputs } from '../../core/inputs.js';
import type { Outcome } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import type { EvidenceStorePort } from '../preserve-evidence/ports.js';
import { requireIncident } from '../preserve-evidence/step.js';
import { inputs } from './capability.js';

/**
 * verify-evidence: every object the incident's manifest lists is read back and re-hashed. One
 * change ("verify the manifest"); its outcome fails naming each object that differs or is missing,
 * so the run exits non-zero on any mismatch. Changes nothing.
 */
export interface VerifyEvidenceInput {
  /** A bucket holding a copy, instead of the kit's. */
  bucket: string | undefined;
  concurrency: number;
}

export interface VerifyEvidencePorts {
  /** The kit's evidence bucket, or `bucket`. */
  store(bucket: string | undefined): EvidenceStorePort;
  prefix: string;
}

interface VerifyMeta {
  folder: string;
  parts: number;
  entries: number;
  manifestSha256: string;
}

const parts = new WeakMap<object, ManifestPart[]>();

export const verifyEvidenceStep: StepDefinition<VerifyEvidenceInput, VerifyEvidencePorts, VerifyMeta> = {
  name: 'verify-evidence',
  description: "Re-hash an incident's preserved evidence against its manifest",

  parse(raw) {
    const v = readInputs(inputs, raw);
    const n = Number((v.concurrency ?? '8').trim());
    if (!Number.isInteger(n) || n < 1 || n > 32) throw new InputError('concurrency must be a whole number from 1 to 32', { field: 'concurrency', code: 'INPUT_INVALID' });
    const bucket = v.bucket?.trim() || undefined;
    if (bucket !== undefined && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new InputError(`"${bucket}" is not an S3 bucket name`, { field: 'bucket', code: 'INPUT_INVALID' });
    return { bucket, concurrency: n };
  },

  async plan(input, ports, ctx) {
    const incident = requireIncident(ctx);
    const store = ports.store(input.bucket);
    const folder = evidenceFolder(ports.prefix, incident);
    const listed = await store.list(`${folder}${MANIFEST_DIR_NAME}`);
    const found: ManifestPart[] = [];
    for (const key of [...listed.keys()].sort()) found.push(parseManifestPart(await store.readText(key), `s3://${store.bucket}/${key}`));
    if (found.length === 0) {
      throw new InputError(`no evidence manifest for ${incident} in s3://${store.bucket}/${folder}${MANIFEST_DIR_NAME}`, { field: 'incident', code: 'MANIFEST_NOT_FOUND', hint: 'Run preserve-evidence for the incident first, or name the bucket that holds the copy.' });
    }
    const { byKey } = indexEntries(found);
    const entries = [...byKey.values()];
    const meta: VerifyMeta = { folder, parts: found.length, entries: entries.length, manifestSha256: manifestHash(entries) };
    const plan = { step: 'verify-evidence', changes: [{ target: `s3:${store.bucket}`, action: 'verify', subject: `${folder}${MANIFEST_DIR_NAME}`, detail: { ...meta } }], unchanged: [], warnings: [], meta };
    parts.set(plan, found);
    return plan;
  },

  async apply(plan, input, ports, ctx) {
    const found = parts.get(plan) ?? [];
    const store = ports.store(input.bucket);
    const { byKey, conflicts } = indexEntries(found);
    const entries = [...byKey.values()];
    const stored = new Map<string, StoredState | undefined>();
    let next = 0;
    let done = 0;
    const lane = async () => {
      while (next < entries.length) {
        const e = entries[next++]!;
        const h = await store.hash(e.key);
        stored.set(e.key, h ? { key: e.key, ...h } : undefined);
        if (++done % 100 === 0) ctx.logger.info(`verify-evidence: ${done}/${entries.length} re-hashed`);
      }
    };
    await Promise.all(Array.from({ length: Math.min(input.concurrency, entries.length) }, lane));
    const findings = compareWithManifest(entries, stored);
    for (const key of conflicts) findings.push({ key, problem: 'conflict', detail: 'recorded twice in the manifest with different hashes' });
    const change = plan.changes[0]!;
    const base = { target: change.target, action: 'verify', subject: change.subject };
    const meta = plan.meta!;
    if (findings.length === 0) {
      return [{ ...base, status: 'applied', reason: `all ${entries.length} object(s) match the manifest (${meta.parts} part(s), manifest sha256 ${meta.manifestSha256})` } satisfies Outcome];
    }
    return [
      {
        ...base,
        status: 'failed',
        reason: `${findings.length} of ${entries.length} object(s) do not match the manifest (sha256 ${meta.manifestSha256}): ${findings.map((f) => `${f.key} ${f.problem}: ${f.detail}`).join(' | ')}`,
      } satisfies Outcome,
    ];
  },
};
