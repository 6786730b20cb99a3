import type { EvidenceWindow } from '../../core/evidence/manifest.js';
import type { EvidenceTarget, SourceKind } from '../../core/evidence/targets.js';
import type { Sleep } from '../../core/runtime.js';

/**
 * What preserve-evidence needs: sources that list what a target holds for the window (read-only,
 * in plan) and fetch each piece (in apply), and the evidence store. Each source lives beside this
 * file (aws-sources.ts, cloudtrail-source.ts, atlas-source.ts, file-source.ts); a target a source
 * cannot read throws a typed error, which the run reports as that target's missing evidence.
 */

export interface EvidencePiece {
  /** Key relative to the incident's evidence folder, e.g. `logs/app/api/2026-11-01T10:00:00.000Z.ndjson`. */
  key: string;
  /** What the plan shows (a slice, an object version, a snapshot). */
  subject: string;
  /**
   * The key is a folder the provider fills (an export task): the piece counts as preserved when the
   * manifest has any entry under it.
   */
  folder?: boolean;
  /**
   * The bytes to keep. `stored`: the provider wrote the object into the evidence bucket itself
   * (a log export task); the step then only hashes it.
   */
  collect(): Promise<{ body: Buffer; contentType?: string } | { stored: string[] }>;
}

export interface EvidenceSourceContext {
  incidentId: string;
  /** Key prefix of the incident's evidence folder in the bucket (for export tasks). */
  evidencePrefix: string;
  bucket: string;
  sleep: Sleep;
  progress(message: string): void;
}

export interface EvidenceSource {
  /** Lists the pieces of `target` for the window. Throws a typed error when the target cannot be read. */
  pieces(target: EvidenceTarget, window: EvidenceWindow, ctx: EvidenceSourceContext): Promise<EvidencePiece[]>;
}

export interface EvidenceStorePort {
  readonly bucket: string;
  list(prefix: string): Promise<Map<string, { key: string; size: number }>>;
  putIfAbsent(key: string, body: Buffer, sha256: string, contentType?: string): Promise<'stored' | 'exists'>;
  hash(key: string): Promise<{ size: number; sha256: string } | undefined>;
  readText(key: string): Promise<string>;
}

export interface PreserveEvidencePorts {
  store: EvidenceStorePort;
  /** FIREBREAK_EVIDENCE_PREFIX (e.g. `incidents/`). */
  prefix: string;
  /** The AWS principal that collects (STS), for the manifest's collector field. */
  collector(): Promise<string>;
  source(kind: SourceKind): EvidenceSource;
}
