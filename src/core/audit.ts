import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';

/**
 * The audit chain. One JSON line per step run:
 *
 *   {"seq":N,"prev":"<64 hex>","hash":"<64 hex>","record":{...canonical record...}}
 *
 * `hash` = SHA-256 over the canonical JSON of `{prev, record, seq}`, i.e. over the bytes
 * `{"prev":"<prev>","record":<canonical record>,"seq":N}`. Any verifier can recompute it from the
 * parsed line; our writer emits the record already canonical so the fast path can hash the line's
 * own bytes without re-serialising. The first record's `prev` is 64 zeros and its `seq` is 1.
 *
 * A chain proves order and integrity of what it holds. Truncation at a record boundary can only be
 * seen against an anchor kept elsewhere (the evidence store's object-locked copy, or `--head`):
 * `verifyChain` takes one.
 */

export const GENESIS_HASH = '0'.repeat(64);
export const AUDIT_FORMAT_VERSION = 1;

export type AuditStatus = 'planned' | 'applied' | 'noop' | 'partial' | 'failed' | 'refused';

export interface AuditRecord {
  v: typeof AUDIT_FORMAT_VERSION;
  time: string;
  incidentId: string | null;
  actor: string;
  runUrl: string | null;
  step: string;
  status: AuditStatus;
  dryRun: boolean;
  /** Inputs after redaction: never a secret value. */
  input: unknown;
  plan: unknown;
  result: unknown;
  error: { code: string; message: string; hint?: string | undefined } | null;
  /** A guard override a responder asked for, with their reason (the first, kept for old readers). */
  override?: { guard: string; reason: string } | undefined;
  /** Every guard overridden in this run, in the order the guards ran. */
  overrides?: Array<{ guard: string; reason: string }> | undefined;
  /** What the responder gave, redacted, when it differs from the step's normalised `input`. */
  given?: unknown;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

export interface SealedEntry {
  seq: number;
  prev: string;
  hash: string;
  record: AuditRecord;
}

export function hashEntry(seq: number, prev: string, canonicalRecord: string): string {
  return createHash('sha256')
    .update(`{"prev":"${prev}","record":`)
    .update(canonicalRecord)
    .update(`,"seq":${seq}}`)
    .digest('hex');
}

/** Seals a record onto a chain head; returns the entry and the line to append (no newline). */
export function sealRecord(head: ChainHead, record: AuditRecord): { entry: SealedEntry; line: string } {
  const seq = head.seq + 1;
  const canonical = canonicalJson(record);
  const hash = hashEntry(seq, head.hash, canonical);
  const line = `{"seq":${seq},"prev":"${head.hash}","hash":"${hash}","record":${canonical}}`;
  return { entry: { seq, prev: head.hash, hash, record }, line };
}

export interface ChainProblem {
  /** 1-based line number in the file (blank lines count). */
  line: number;
  /** The seq the record claims, when it could be read. */
  seq: number | undefined;
  reason: string;
}

export interface VerifyReport {
  ok: boolean;
  records: number;
  head: ChainHead;
  problem: ChainProblem | undefined;
}

const LINE_HEAD = /^\{"seq":(\d+),"prev":"([0-9a-f]{64})","hash":"([0-9a-f]{64})","record":/;

/**
 * Checks one line against the expected position. Returns the problem, or the new head.
 * Exported so a parallel verifier can hash lines on worker threads and link them here.
 */
export function checkLine(text: string): { seq: number; prev: string; hash: string } | string {
  const m = LINE_HEAD.exec(text);
  if (m && text.endsWith('}')) {
    const seq = Number(m[1]);
    const prev = m[2]!;
    const hash = m[3]!;
    const body = text.slice(m[0].length, -1);
    if (hashEntry(seq, prev, body) === hash) return { seq, prev, hash };
  }
  // Slow path: the line may be valid JSON written by another tool (other key order, spacing).
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'not valid JSON (edited or truncated)';
  }
  if (!isEntryShape(parsed)) return 'not an audit entry (needs seq, prev, hash, record)';
  const recomputed = hashEntry(parsed.seq, parsed.prev, canonicalJson(parsed.record));
  if (recomputed !== parsed.hash) return 'hash does not match its content (record edited)';
  return { seq: parsed.seq, prev: parsed.prev, hash: parsed.hash };
}

function isEntryShape(v: unknown): v is { seq: number; prev: string; hash: string; record: unknown } {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    Number.isSafeInteger(o.seq) &&
    typeof o.prev === 'string' &&
    /^[0-9a-f]{64}$/.test(o.prev) &&
    typeof o.hash === 'string' &&
    /^[0-9a-f]{64}$/.test(o.hash) &&
    typeof o.record === 'object' &&
    o.record !== null
  );
}

/** Links an already-checked line to the running head; returns a reason when it does not chain. */
export function linkProblem(head: ChainHead, got: { seq: number; prev: string }): string | undefined {
  if (got.seq !== head.seq + 1) return `sequence ${got.seq} where ${head.seq + 1} was expected (record deleted, inserted or reordered)`;
  if (got.prev !== head.hash) return `previous hash does not match record ${head.seq} (record deleted, inserted or reordered)`;
  return undefined;
}

/** What one line does to a chain being verified: skipped (blank), extends it, or breaks it. */
export type LineVerdict = { kind: 'blank' } | { kind: 'entry'; seq: number; hash: string } | { kind: 'problem'; seq: number | undefined; reason: string };

/**
 * Checks one raw line (no newline) against the running head: THE per-line rule of `verifyChain`,
 * exported so a faster reader (src/providers/local/verify-file.ts) gives the same answers.
 */
export function verifyLine(head: ChainHead, raw: string): LineVerdict {
  const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (text.trim() === '') return { kind: 'blank' };
  const checked = checkLine(text);
  if (typeof checked === 'string') return { kind: 'problem', seq: seqOf(text), reason: checked };
  const broken = linkProblem(head, checked);
  if (broken) return { kind: 'problem', seq: checked.seq, reason: broken };
  return { kind: 'entry', seq: checked.seq, hash: checked.hash };
}

/**
 * Verifies a chain given as lines. Blank lines are skipped (a trailing newline is normal).
 * With an anchor, the chain must reach exactly that head: a shorter chain was truncated.
 */
export function verifyChain(lines: Iterable<string>, anchor?: ChainHead): VerifyReport {
  let head: ChainHead = EMPTY_HEAD;
  let records = 0;
  let lineNo = 0;
  let lastRecordLine = 0;
  for (const raw of lines) {
    lineNo++;
    const verdict = verifyLine(head, raw);
    if (verdict.kind === 'blank') continue;
    if (verdict.kind === 'problem') return { ok: false, records, head, problem: { line: lineNo, seq: verdict.seq, reason: verdict.reason } };
    head = { seq: verdict.seq, hash: verdict.hash };
    records++;
    lastRecordLine = lineNo;
  }
  // The line after the last record, not after trailing blank lines: where a missing record would be.
  return finish(head, records, lastRecordLine, anchor);
}

export function finish(head: ChainHead, records: number, lastLine: number, anchor?: ChainHead): VerifyReport {
  if (anchor && (anchor.seq !== head.seq || anchor.hash !== head.hash)) {
    const reason =
      anchor.seq > head.seq
        ? `chain ends at record ${head.seq} but the anchor says ${anchor.seq} (records ${head.seq + 1}..${anchor.seq} missing: truncated)`
        : `chain head ${head.seq}:${head.hash.slice(0, 12)}… does not match the anchor ${anchor.seq}:${anchor.hash.slice(0, 12)}…`;
    // Truncated: name the first missing record; otherwise the record the anchor names.
    return { ok: false, records, head, problem: { line: lastLine + 1, seq: anchor.seq > head.seq ? head.seq + 1 : anchor.seq, reason } };
  }
  return { ok: true, records, head, problem: undefined };
}

function seqOf(text: string): number | undefined {
  const m = /"seq"\s*:\s*(\d+)/.exec(text);
  return m ? Number(m[1]) : undefined;
}

export function parseAnchor(text: string): ChainHead | undefined {
  const m = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { seq: Number(m[1]), hash: m[2]! } : undefined;
}

export function formatAnchor(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

/** Where sealed records go. The chain-owning sink knows its head; mirrors just copy. */
export interface AuditSink {
  append(record: AuditRecord): Promise<SealedEntry>;
}

/**
 * A copy of sealed entries kept somewhere else (the job summary, the incident issue, the evidence
 * bucket). Mirrors never seal: the chain has exactly one owner, so two mirrors cannot fork it.
 */
export interface AuditMirror {
  /** Shown when the mirror fails, e.g. `github-issue` or `evidence-bucket`. */
  readonly name: string;
  mirror(entry: SealedEntry): Promise<void>;
}

export interface MirrorFailure {
  mirror: string;
  error: unknown;
}

/**
 * Seals through one chain-owning sink, then fans the entry out to every mirror. A failing mirror
 * does not undo the sealed record; it is collected in `failures` so the entry point can fail the
 * run loudly after everything else is reported.
 */
export class CompositeAuditSink implements AuditSink {
  readonly failures: MirrorFailure[] = [];

  constructor(
    readonly primary: AuditSink,
    readonly mirrors: readonly AuditMirror[] = [],
  ) {}

  async append(record: AuditRecord): Promise<SealedEntry> {
    const entry = await this.primary.append(record);
    const settled = await Promise.allSettled(this.mirrors.map((m) => m.mirror(entry)));
    settled.forEach((s, i) => {
      if (s.status === 'rejected') this.failures.push({ mirror: this.mirrors[i]!.name, error: s.reason });
    });
    return entry;
  }
}
