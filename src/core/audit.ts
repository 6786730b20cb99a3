import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { canonicalJson, canonicalProblem, strictMembers } from './canonical-json.js';
import { AuditChainError } from './errors.js';

/**
 * The audit chain. One JSON line per step run:
 *
 *   {"seq":N,"prev":"<64 hex>","hash":"<64 hex>","record":{...canonical record...}}
 *
 * `hash` = SHA-256 over the canonical JSON (RFC 8785) of `{prev, record, seq}`, i.e. over the bytes
 * `{"prev":"<prev>","record":<canonical record>,"seq":N}`. The first record's `prev` is 64 zeros
 * and its `seq` is 1.
 *
 * A line means exactly one thing: it is valid only when its bytes are the ones `sealRecord` writes
 * (those four members in that order, record canonical, nothing else). So the bytes a verifier hashed
 * are the bytes `grep`, jq or an auditor read; no second reading can exist.
 *
 * A chain proves order and integrity of what it holds. Truncation at a record boundary, or a chain
 * rewritten and re-sealed from some record on, can only be seen against an anchor kept where the
 * rewriter cannot reach (see docs/responders/audit-chain.md): `verifyChain` takes one.
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
  // `length * 3 >` only skips counting bytes when they cannot be over (a UTF-16 unit is at most 3 UTF-8 bytes).
  if (line.length * 3 > DEFAULT_MAX_LINE_BYTES && utf8Length(line) > DEFAULT_MAX_LINE_BYTES) {
    throw new AuditChainError(`audit record for step ${record.step} would be a ${utf8Length(line)}-byte line, over the ${DEFAULT_MAX_LINE_BYTES}-byte limit verifiers read`, {
      hint: 'Nothing was written. The step put something huge into its input, plan or result; keep large data as evidence files and record a digest instead.',
    });
  }
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

/**
 * The longest line a verifier reads (bytes, without the newline). Longer lines are reported as bad
 * records at their line without being held in memory; the writer refuses to seal a record whose
 * line would be longer, so a chain it wrote never has one.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;

export interface LineRules {
  /** The head the chain must reach (FILE.head, --head, the evidence bucket's latest object). */
  anchor?: ChainHead | undefined;
  maxLineBytes?: number | undefined;
}

const LINE_HEAD = /^\{"seq":([1-9][0-9]{0,15}),"prev":"([0-9a-f]{64})","hash":"([0-9a-f]{64})","record":/;
const MEMBERS = ['seq', 'prev', 'hash', 'record'];

/**
 * Checks one line on its own: valid only when it is exactly the bytes `sealRecord` writes, i.e.
 * `{"seq":N,"prev":"<hex>","hash":"<hex>","record":<canonical record>}` with nothing added, removed,
 * reordered, re-spaced or re-escaped, and the hash matches. Returns the line's claims or the reason.
 * JSON.parse never decides: a duplicate member (read "last wins" by JSON.parse and "first wins" by
 * other tools) makes the line invalid wherever it is.
 */
export function checkLine(text: string): { seq: number; prev: string; hash: string } | string {
  const m = LINE_HEAD.exec(text);
  if (m && text.endsWith('}') && Number.isSafeInteger(Number(m[1]))) {
    const body = text.slice(m[0].length, -1);
    if (!body.startsWith('{')) return 'record is not a JSON object';
    const problem = canonicalProblem(body);
    // Text after the record's closing brace is another member of the line, not part of the record.
    if (problem?.startsWith('unexpected text')) return layoutProblem(text);
    if (problem !== undefined) return `record is not in canonical form (RFC 8785): ${problem}`;
    const seq = Number(m[1]);
    const prev = m[2]!;
    const hash = m[3]!;
    if (hashEntry(seq, prev, body) !== hash) return 'hash does not match its content (record edited)';
    return { seq, prev, hash };
  }
  return layoutProblem(text);
}

/** Why a line that is not in the writer's layout is refused, as precisely as can be said. */
function layoutProblem(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    return 'not valid JSON (edited or truncated)';
  }
  const read = strictMembers(text);
  if ('problem' in read) return `not a line the writer wrote: ${read.problem}`;
  const members = read.members;
  if (members === undefined) return 'not an audit entry (needs seq, prev, hash, record)';
  const extra = members.filter((k) => !MEMBERS.includes(k));
  if (extra.length) return `unexpected member ${JSON.stringify(extra[0])} (a line holds exactly seq, prev, hash, record)`;
  const missing = MEMBERS.filter((k) => !members.includes(k));
  if (missing.length) return `not an audit entry (needs seq, prev, hash, record; ${missing.join(', ')} missing)`;
  if (members.join() !== MEMBERS.join()) return `members in the order ${members.join(', ')} (the writer writes seq, prev, hash, record)`;
  return 'not in the writer’s exact layout (whitespace, or another number or string form for seq, prev or hash)';
}

/** Links an already-checked line to the running head; returns a reason when it does not chain. */
export function linkProblem(head: ChainHead, got: { seq: number; prev: string }): string | undefined {
  if (got.seq !== head.seq + 1) return `sequence ${got.seq} where ${head.seq + 1} was expected (record deleted, inserted or reordered)`;
  if (got.prev !== head.hash) return `previous hash does not match record ${head.seq} (record deleted, inserted or reordered)`;
  return undefined;
}

/**
 * A sound record checked against the anchor: the record the anchor names must have the anchor's
 * hash, and no record may follow it. Checked record by record so the record named is the first
 * one that differs (an appended record is named, not the anchor's).
 */
export function anchorProblem(anchor: ChainHead | undefined, got: { seq: number; hash: string }): string | undefined {
  if (!anchor) return undefined;
  if (got.seq > anchor.seq) return `record ${got.seq} comes after the anchor's head ${formatShort(anchor)} (appended after the anchor was taken)`;
  if (got.seq === anchor.seq && got.hash !== anchor.hash) {
    return `record ${got.seq} has hash ${got.hash.slice(0, 12)}… but the anchor says ${formatShort(anchor)} (this record or an earlier one was rewritten and re-sealed, or the anchor was changed)`;
  }
  return undefined;
}

/** What one line does to a chain being verified: skipped (empty), extends it, or breaks it. */
export type LineVerdict = { kind: 'blank' } | { kind: 'entry'; seq: number; hash: string } | { kind: 'problem'; seq: number | undefined; reason: string };

/**
 * Checks one decoded line (no newline) against the running head: THE per-line rule of
 * `verifyChain`, exported so a faster reader (src/providers/local/verify-file.ts) gives the same
 * answers. Only an empty line is skipped; a line of spaces or one ending in CR is not the writer's.
 */
export function verifyLine(head: ChainHead, text: string, rules: LineRules = {}): LineVerdict {
  if (text === '') return { kind: 'blank' };
  const max = rules.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (text.length > max || (text.length * 3 > max && utf8Length(text) > max)) return tooLongVerdict(text.slice(0, SEQ_PREFIX), max);
  const checked = checkLine(text);
  if (typeof checked === 'string') return { kind: 'problem', seq: seqOf(text), reason: checked };
  const problem = linkProblem(head, checked) ?? anchorProblem(rules.anchor, checked);
  if (problem) return { kind: 'problem', seq: checked.seq, reason: problem };
  return { kind: 'entry', seq: checked.seq, hash: checked.hash };
}

const FATAL_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The same rule on a line's raw bytes: too long or not UTF-8 first, then `verifyLine`. */
export function verifyLineBytes(head: ChainHead, bytes: Uint8Array, rules: LineRules = {}): LineVerdict {
  const max = rules.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (bytes.length > max) return tooLongVerdict(latin1(bytes.subarray(0, SEQ_PREFIX)), max);
  let text: string;
  try {
    text = FATAL_UTF8.decode(bytes);
  } catch {
    return { kind: 'problem', seq: seqOf(latin1(bytes.subarray(0, SEQ_PREFIX))), reason: 'not valid UTF-8 (the writer writes UTF-8 only)' };
  }
  return verifyLine(head, text, rules);
}

/** Bytes of a line's start enough to read the seq it claims. */
export const SEQ_PREFIX = 64;

/** A line longer than the limit, known only by its first bytes (it is never held in memory). */
export function tooLongVerdict(prefix: string, maxLineBytes: number): LineVerdict {
  return { kind: 'problem', seq: seqOf(prefix), reason: `line longer than ${maxLineBytes} bytes, the verifier's limit (the writer never writes one)` };
}

/**
 * Verifies a chain given as lines (strings, or raw bytes as read from a file). Empty lines are
 * skipped (a trailing newline is normal). With an anchor, the chain must reach exactly that head.
 */
export function verifyChain(lines: Iterable<string | Uint8Array>, anchor?: ChainHead, rules: Omit<LineRules, 'anchor'> = {}): VerifyReport {
  const all: LineRules = { ...rules, anchor };
  let head: ChainHead = EMPTY_HEAD;
  let records = 0;
  let lineNo = 0;
  let lastRecordLine = 0;
  for (const raw of lines) {
    lineNo++;
    const verdict = typeof raw === 'string' ? verifyLine(head, raw, all) : verifyLineBytes(head, raw, all);
    if (verdict.kind === 'blank') continue;
    if (verdict.kind === 'problem') return { ok: false, records, head, problem: { line: lineNo, seq: verdict.seq, reason: verdict.reason } };
    head = { seq: verdict.seq, hash: verdict.hash };
    records++;
    lastRecordLine = lineNo;
  }
  // The line after the last record, not after trailing blank lines: where a missing record would be.
  return finish(head, records, lastRecordLine, anchor);
}

/**
 * The end of a chain against its anchor. A record past the anchor or differing from it was already
 * named by `anchorProblem`; what is left is a chain that stops short of it.
 */
export function finish(head: ChainHead, records: number, lastLine: number, anchor?: ChainHead): VerifyReport {
  if (anchor && (anchor.seq !== head.seq || anchor.hash !== head.hash)) {
    const reason =
      anchor.seq > head.seq
        ? `chain ends at record ${head.seq} but the anchor says ${anchor.seq} (records ${head.seq + 1}..${anchor.seq} missing: truncated)`
        : `chain head ${formatShort(head)} does not match the anchor ${formatShort(anchor)}`;
    return { ok: false, records, head, problem: { line: lastLine + 1, seq: head.seq + 1, reason } };
  }
  return { ok: true, records, head, problem: undefined };
}

function formatShort(head: ChainHead): string {
  return `${head.seq}:${head.hash.slice(0, 12)}…`;
}

/** The seq a damaged line claims, read only where the writer puts it (its first bytes). */
function seqOf(text: string): number | undefined {
  const m = /^[ \t\r\n]*\{[ \t\r\n]*"seq"[ \t\r\n]*:[ \t\r\n]*([0-9]{1,20})/.exec(text.slice(0, SEQ_PREFIX));
  return m ? Number(m[1]) : undefined;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Bytes of `text` as UTF-8, a lone surrogate counting as the 3 bytes of U+FFFD as the writer encodes it. */
function utf8Length(text: string): number {
  return Buffer.byteLength(text);
}

/**
 * Reads `SEQ:HASH` exactly as formatAnchor writes it (surrounding whitespace aside): a seq with a
 * leading zero, or too large to be exact, is another text for the anchor, so it is refused like the
 * chain's own lines refuse another number form.
 */
export function parseAnchor(text: string): ChainHead | undefined {
  const m = /^(0|[1-9][0-9]{0,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m && Number.isSafeInteger(Number(m[1])) ? { seq: Number(m[1]), hash: m[2]! } : undefined;
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
