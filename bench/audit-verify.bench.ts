import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatAnchor } from '../src/core/audit.js';
import { verifyAuditFile } from '../src/providers/local/verify-file.js';
import { median, type Benchmark } from './bench.js';
import { writeRealisticChain } from './lib/audit-chain.js';

/**
 * `firebreak audit verify` on a 1,000,000-record chain (~970 MB of realistic records) against
 * `sha256sum` of the same file, both measured in this run, file in the page cache for both.
 * ratio_vs_sha256sum = sha256sum time / our verify time (higher is better; goal >= 0.5: verifying
 * every link costs at most twice hashing the file once). FIREBREAK_BENCH_RECORDS overrides the count.
 */
const RUNS = 3;

function timeSpawn(cmd: string, args: string[], env?: NodeJS.ProcessEnv): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? process.env, maxBuffer: 1 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return ms;
}

const bench: Benchmark = {
  name: 'audit-verify',
  description: 'verify a 1M-record audit chain vs sha256sum of the same file',
  goal: { metric: 'ratio_vs_sha256sum', op: '>=', value: 0.5 },
  async run() {
    const count = Number(process.env.FIREBREAK_BENCH_RECORDS ?? 1_000_000);
    const dir = await mkdtemp(join(tmpdir(), 'fb-bench-audit-'));
    try {
      const file = join(dir, 'audit.jsonl');
      const t0 = performance.now();
      const { head, bytes } = await writeRealisticChain(file, count, 42);
      await writeFile(`${file}.head`, `${formatAnchor(head)}\n`);
      console.log(`  generated ${count} records, ${(bytes / 1e6).toFixed(0)} MB (${(bytes / count).toFixed(0)} B/record) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

      timeSpawn('sha256sum', [file]); // warm the page cache for both sides
      const sha: number[] = [];
      const ours: number[] = [];
      const cli: number[] = [];
      const bin = fileURLToPath(new URL('../bin/firebreak.js', import.meta.url));
      for (let i = 0; i < RUNS; i++) {
        sha.push(timeSpawn('sha256sum', [file]));
        const t = performance.now();
        const report = await verifyAuditFile(file, { anchor: head });
        ours.push(performance.now() - t);
        if (!report.ok || report.records !== count) throw new Error(`verify failed: ${JSON.stringify(report.problem)}`);
        cli.push(timeSpawn(process.execPath, [bin, 'audit', 'verify', file]));
      }
      const shaMs = median(sha);
      const oursMs = median(ours);
      const cliMs = median(cli);
      return {
        records: count,
        mb: Math.round(bytes / 1e6),
        sha256sum_ms: Math.round(shaMs),
        verify_ms: Math.round(oursMs),
        cli_verify_ms: Math.round(cliMs),
        ratio_vs_sha256sum: shaMs / oursMs,
        cli_ratio_vs_sha256sum: shaMs / cliMs,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
