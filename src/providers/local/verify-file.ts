import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { DEFAULT_MAX_LINE_BYTES, EMPTY_HEAD, SEQ_PREFIX, finish, linkProblem, tooLongVerdict, verifyLineBytes, type ChainHead, type LineRules, type VerifyReport } from '../../core/audit.js';
import { scanRange, type RangeScan, type ScanRequest } from './audit-scan.mjs';

/**
 * `firebreak audit verify`'s reader: the same answer as `verifyChain` over the file's lines as bytes
 * (tested for equivalence, hostile edits included), fast on big files, and bounded in memory: a line
 * longer than `maxLineBytes` is named as a bad record without ever being held whole.
 *
 * The file is split into byte ranges, one per worker thread; each worker reads its range as Buffers
 * and hashes the lines our writer emits straight from the bytes (src/providers/local/audit-scan.mjs),
 * linking prev-hashes within its range. This thread then links the ranges in order. Wherever the fast
 * path is unsure (another tool's formatting, a bad hash, a broken link, invalid UTF-8) it stops, and
 * this thread re-checks from that line with `verifyLineBytes` (the core rule) until the end of that range.
 */

export interface VerifyFileOptions {
  anchor?: ChainHead | undefined;
  /** Worker threads for big files (default: available cores, at most 4). 0 or 1 = this thread only. */
  workers?: number;
  /** Files smaller than this are scanned on this thread: a worker costs ~20 ms to start. */
  parallelThresholdBytes?: number;
  /** Read size of the scanner (tests use a tiny one to exercise lines across chunk boundaries). */
  chunkSize?: number;
  /** false: scan the ranges one after another on this thread (tests of the range linking). */
  threads?: boolean;
  /** Longest line read (default DEFAULT_MAX_LINE_BYTES); longer ones are bad records. */
  maxLineBytes?: number;
}

export async function verifyAuditFile(path: string, options: VerifyFileOptions = {}): Promise<VerifyReport> {
  const size = statSync(path).size;
  const workers = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 4), 64));
  const threshold = options.parallelThresholdBytes ?? 16 << 20;
  const parts = size < threshold || workers === 1 ? 1 : workers;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const anchor = options.anchor ? { seq: options.anchor.seq, hash: options.anchor.hash } : null;
  const requests: ScanRequest[] = [];
  for (let i = 0; i < parts; i++) {
    const end = i === parts - 1 ? size : Math.floor((size * (i + 1)) / parts);
    requests.push({ path, start: Math.floor((size * i) / parts), end, chunkSize: options.chunkSize, maxLineBytes, anchor });
  }
  const scans = parts === 1 || options.threads === false ? requests.map((r) => scanRange(r)) : await Promise.all(requests.map(scanInWorker));
  return link(path, requests, scans, { anchor: options.anchor, maxLineBytes });
}

function scanInWorker(request: ScanRequest): Promise<RangeScan> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./audit-scan.mjs', import.meta.url), {
      workerData: { firebreakAuditScan: request },
      // Plain JS: skip inherited loaders (tsx would boot esbuild in every worker).
      execArgv: [],
    });
    let settled = false;
    worker.once('message', (msg: { ok: true; scan: RangeScan } | { ok: false; message: string }) => {
      settled = true;
      void worker.terminate();
      if (msg.ok) resolve(msg.scan);
      else reject(new Error(`audit scan worker failed: ${msg.message}`));
    });
    worker.once('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`audit scan worker exited with code ${code}`));
    });
  });
}

/** Links the ranges' results in file order; re-checks exactly from wherever a range stopped. */
function link(path: string, requests: ScanRequest[], scans: RangeScan[], rules: LineRules & { maxLineBytes: number }): VerifyReport {
  let head: ChainHead = EMPTY_HEAD;
  let records = 0;
  let linesBefore = 0; // lines in earlier ranges (1-based line of a range's local 0 is linesBefore + 1)
  let lastRecordLine = 0;
  for (let i = 0; i < scans.length; i++) {
    const scan = scans[i]!;
    if (scan.first) {
      const broken = linkProblem(head, scan.first);
      if (broken) return { ok: false, records, head, problem: { line: linesBefore + scan.firstLocal + 1, seq: scan.first.seq, reason: broken } };
    }
    if (scan.head) {
      head = scan.head;
      records += scan.records;
      lastRecordLine = linesBefore + scan.lastContentLocal + 1;
    }
    linesBefore += scan.lines;
    if (!scan.stop) continue;

    // Exact re-check from the stop to the end of this range, line by line.
    const end = requests[i]!.end ?? Infinity;
    for (const { start, bytes, tooLong } of readLines(path, scan.stop.offset, rules.maxLineBytes)) {
      if (start >= end) break;
      linesBefore++;
      const verdict = tooLong ? tooLongVerdict(bytes.toString('latin1'), rules.maxLineBytes) : verifyLineBytes(head, bytes, rules);
      if (verdict.kind === 'blank') continue;
      if (verdict.kind === 'problem') return { ok: false, records, head, problem: { line: linesBefore, seq: verdict.seq, reason: verdict.reason } };
      head = { seq: verdict.seq, hash: verdict.hash };
      records++;
      lastRecordLine = linesBefore;
    }
  }
  return finish(head, records, lastRecordLine, rules.anchor);
}

/**
 * Lines from `offset` to EOF as bytes with their start offsets; the slow path, used only after a
 * stop. A line over `maxLineBytes` is yielded as `tooLong` with its first bytes only, and ends the
 * walk: the caller reports it, and nothing past it is needed.
 */
function* readLines(path: string, offset: number, maxLineBytes: number): Generator<{ start: number; bytes: Buffer; tooLong: boolean }> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    let bufStart = offset;
    let bufLen = 0;
    let eof = false;
    let pos = offset;
    for (;;) {
      const nl = buf.subarray(0, bufLen).indexOf(0x0a, pos - bufStart);
      const lineEnd = nl >= 0 ? nl : eof ? bufLen : -1;
      const partial = (lineEnd >= 0 ? lineEnd : bufLen) - (pos - bufStart);
      if (partial > maxLineBytes && (partial >= SEQ_PREFIX || lineEnd >= 0)) {
        const from = pos - bufStart;
        yield { start: pos, bytes: buf.subarray(from, from + Math.min(SEQ_PREFIX, partial)), tooLong: true };
        return;
      }
      if (lineEnd >= 0) {
        // The last piece after a trailing newline is empty (a blank line, as in split('\n')).
        yield { start: pos, bytes: buf.subarray(pos - bufStart, lineEnd), tooLong: false };
        if (nl < 0) return;
        pos = bufStart + nl + 1;
        continue;
      }
      const rest = bufLen - (pos - bufStart);
      if (rest * 2 > buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger, 0, pos - bufStart, bufLen);
        buf = bigger;
      } else buf.copy(buf, 0, pos - bufStart, bufLen);
      bufStart = pos;
      bufLen = rest;
      const n = readSync(fd, buf, bufLen, buf.length - bufLen, bufStart + bufLen);
      if (n === 0) eof = true;
      bufLen += n;
    }
  } finally {
    closeSync(fd);
  }
}
