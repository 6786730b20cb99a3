import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Readable } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { createGunzip } from 'node:zlib';
import { emptyResult, mergeInto, type MergedResult, type PartialResult } from '../../core/triage/report.js';
import { scanRange, TriageScanner, type ScanRangeRequest, type ScanSpec } from './triage-scan.mjs';

/**
 * Runs the triage scanner over inputs. A plain file is split into byte ranges scanned by worker
 * threads (both cores on a runner); gzip and streams (evidence-store objects) cannot be split and
 * are scanned as they arrive, on this thread, with the same scanner.
 */

export interface TriageInput {
  /** What the report calls it (a path, an s3:// URI). */
  name: string;
  /** A plain file on disk (split across workers). */
  path?: string;
  /** Otherwise the bytes, opened when scanned. */
  open?: () => Promise<Readable> | Readable;
  /** The stream is gzip (a `.gz` path is detected from its name). */
  gzip?: boolean;
}

export interface TriageRunOptions {
  /** Worker threads (default: available cores, at most 4); 1 scans on this thread. */
  workers?: number;
  /** Plain files smaller than this are scanned on this thread (a worker costs ~20 ms). */
  parallelThresholdBytes?: number;
  chunkSize?: number;
  progress?: (done: { inputs: number; of: number; bytes: number }) => void;
}

export type ScanOptions = Omit<ScanSpec, 'source'>;

export async function triageInputs(inputs: readonly TriageInput[], spec: ScanOptions, opts: TriageRunOptions = {}): Promise<MergedResult> {
  const merged = emptyResult(spec.indicators.length);
  const workers = Math.max(1, Math.min(opts.workers ?? Math.min(availableParallelism(), 4), 32));
  const threshold = opts.parallelThresholdBytes ?? 16 << 20;
  const jobs: Array<() => Promise<PartialResult>> = [];
  let done = 0;
  for (const input of inputs) {
    const s: ScanSpec = { ...spec, source: input.name };
    const gz = input.gzip ?? /\.gz$/i.test(input.path ?? input.name);
    if (input.path && !gz) {
      const size = statSync(input.path).size;
      const parts = workers === 1 || size < threshold ? 1 : workers;
      for (let i = 0; i < parts; i++) {
        const req: ScanRangeRequest = { path: input.path, spec: s, start: Math.floor((size * i) / parts), end: i === parts - 1 ? size : Math.floor((size * (i + 1)) / parts), ...(opts.chunkSize ? { chunkSize: opts.chunkSize } : {}) };
        jobs.push(parts === 1 ? async () => scanRange(req) : () => scanInWorker(req));
      }
    } else {
      jobs.push(async () => {
        const raw = input.path ? createReadStream(input.path) : await input.open!();
        return scanStream(gz ? raw.pipe(createGunzip()) : raw, s);
      });
    }
  }
  let next = 0;
  const lane = async () => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const part = await job();
      mergeInto(merged, part);
      done++;
      opts.progress?.({ inputs: done, of: jobs.length, bytes: merged.bytes });
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, jobs.length) }, lane));
  return merged;
}

export async function scanStream(stream: Readable, spec: ScanSpec): Promise<PartialResult> {
  const scanner = new TriageScanner(spec);
  for await (const chunk of stream) scanner.feed(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array));
  return scanner.finish();
}

function scanInWorker(request: ScanRangeRequest): Promise<PartialResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./triage-scan.mjs', import.meta.url), { workerData: { firebreakTriageScan: request }, execArgv: [] });
    let settled = false;
    worker.once('message', (msg: { ok: true; result: PartialResult } | { ok: false; message: string }) => {
      settled = true;
      void worker.terminate();
      if (msg.ok) resolve(msg.result);
      else reject(new Error(`triage worker failed on ${request.path}: ${msg.message}`));
    });
    worker.once('error', (e) => {
      settled = true;
      reject(e);
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`triage worker exited with code ${code}`));
    });
  });
}
