import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { EMPTY_HEAD, finish, linkProblem, verifyLine, type ChainHead, type VerifyReport } from '../../core/audit.js';
import { scanRange, type RangeScan, type ScanRequest } from './audit-scan.mjs';

/**
 * `firebreak audit verify`'s reader: the same answer as `verifyChain(text.split('\n'), anchor)`
 * (tested for equivalence), fast on big files.
 *
 * The file is split into byte ranges, one per worker thread; each worker reads its range as Buffers
 * and hashes the lines our writer emits straight from the bytes (src/providers/local/audit-scan.mjs),
 * linking prev-hashes within its range. This thread then links the ranges in order. Wherever the fast
 * path is unsure (another tool's formatting, a bad hash, a broken link, invalid UTF-8) it stops, and
 * this thread re-checks from that line with `verifyLine` (the core rule) until the end of that range.
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
}

export async function verifyAuditFile(path: string, options: VerifyFileOptions = {}): Promise<VerifyReport> {
  const size = statSync(path).size;
  const workers = Math.max(1, Math.min(options.workers ?? Math.min(availableParallelism(), 4), 64));
  const threshold = options.parallelThresholdBytes ?? 16 << 20;
  const parts = size < threshold || workers === 1 ? 1 : workers;
  const requests: ScanRequest[] = [];
  for (let i = 0; i < parts; i++) {
    requests.push({ path, start: Math.floor((size * i) / parts), end: i === parts - 1 ? size : Math.floor((size * (i + 1)) / parts), chunkSize: options.chunkSize });
  }
  const scans = parts === 1 || options.threads === false ? requests.map((r) => scanRange(r)) : await Promise.all(requests.map(scanInWorker));
  return link(path, requests, scans, options.anchor);
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
function link(path: string, requests: ScanRequest[], scans: RangeScan[], anchor: ChainHead | undefined): VerifyReport {
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
    for (const { start, text } of readLines(path, scan.stop.offset)) {
      if (start >= end) break;
      linesBefore++;
      const verdict = verifyLine(head, text);
      if (verdict.kind === 'blank') continue;
      if (verdict.kind === 'problem') return { ok: false, records, head, problem: { line: linesBefore, seq: verdict.seq, reason: verdict.reason } };
      head = { seq: verdict.seq, hash: verdict.hash };
      records++;
      lastRecordLine = linesBefore;
    }
  }
  return finish(head, records, lastRecordLine, anchor);
}

/** Lines from `offset` to EOF with their start offsets; the slow path, used only after a stop. */
function* readLines(path: string, offset: number): Generator<{ start: number; text: string }> {
  const fd = openSync(path, 'r');
  try {
    let buf = Buffer.allocUnsafe(1 << 20);
    let bufStart = offset;
    let bufLen = 0;
    let eof = false;
    let pos = offset;
    for (;;) {
      const nl = buf.subarray(0, bufLen).indexOf(0x0a, pos - bufStart);
      if (nl >= 0) {
        yield { start: pos, text: buf.toString('utf8', pos - bufStart, nl) };
        pos = bufStart + nl + 1;
        continue;
      }
      if (eof) {
        // The last piece: after a trailing newline it is empty (a blank line, as in split('\n')).
        yield { start: pos, text: buf.toString('utf8', pos - bufStart, bufLen) };
        return;
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
