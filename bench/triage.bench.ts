import { spawnSync } from 'node:child_process';
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIndicators } from '../src/core/triage/indicators.js';
import { triageInputs } from '../src/providers/local/triage-files.js';
import { median, type Benchmark } from './bench.js';

/**
 * `triage` over a generated NDJSON file (1 GB by default; FIREBREAK_BENCH_TRIAGE_MB overrides) with
 * 100 literal indicators (addresses, user ids, correlation ids, tokens), against `rg -F -c -f` with
 * the same strings and against `jq` selecting the records where any string value is one of them.
 * All three must count the same records (the data is built so that substring, token and value
 * matches agree). ratio_vs_ripgrep = rg time / ours (goal >= 0.5), ratio_vs_jq = jq time / ours
 * (goal >= 10). Ours runs with worker threads on every core; rg searches one file on one thread.
 */
const RUNS = 3;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchIndicators(): string[] {
  const out: string[] = [];
  for (let i = 0; i < 40; i++) out.push(`ip:203.0.113.${100 + i}`);
  for (let i = 0; i < 30; i++) out.push(`user:usr-ioc-${String(i).padStart(4, '0')}`);
  for (let i = 0; i < 20; i++) out.push(`correlation:corr-evil-${(i * 7919).toString(16).padStart(6, '0')}`);
  for (let i = 0; i < 10; i++) out.push(`token:AKIAEVIL${String(i).padStart(12, '0')}`);
  return out;
}

/** Writes `bytes` of NDJSON; about one record in 500 carries an indicator. Returns records written. */
export function writeNdjson(path: string, bytes: number, seed = 7): number {
  const r = rng(seed);
  const inds = benchIndicators().map((l) => l.slice(l.indexOf(':') + 1));
  const fd = openSync(path, 'w');
  const paths = ['/api/v1/items', '/api/v1/orders', '/login', '/static/app.js', '/api/v2/search?q=caf%C3%A9', '/health'];
  const agents = ['Mozilla/5.0 (X11; Linux x86_64)', 'curl/8.5.0', 'okhttp/4.12', 'python-requests/2.32'];
  let written = 0;
  let records = 0;
  let t = Date.parse('2026-11-01T00:00:00Z');
  try {
    while (written < bytes) {
      const parts: string[] = [];
      for (let k = 0; k < 20000; k++) {
        t += Math.floor(r() * 50);
        const hit = r() < 0.002 ? inds[Math.floor(r() * inds.length)]! : undefined;
        const ip = hit?.startsWith('203.') ? hit : `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
        const user = hit?.startsWith('usr-') ? hit : `usr-${Math.floor(r() * 1e6)}`;
        const corr = hit?.startsWith('corr-') ? hit : `req-${Math.floor(r() * 2 ** 32).toString(16)}`;
        const tok = hit?.startsWith('AKIA') ? `,"auth":{"key":"${hit}"}` : '';
        parts.push(
          `{"ts":"${new Date(t).toISOString()}","level":"info","event":"http_request","user_id":"${user}","src_ip":"${ip}","correlation_id":"${corr}","http":{"method":"GET","path":"${paths[Math.floor(r() * paths.length)]}","status":${r() < 0.95 ? 200 : 500},"bytes":${Math.floor(r() * 1e5)},"ua":"${agents[Math.floor(r() * agents.length)]}"}${tok}}`,
        );
      }
      const buf = Buffer.from(`${parts.join('\n')}\n`, 'utf8');
      writeSync(fd, buf);
      written += buf.length;
      records += parts.length;
    }
  } finally {
    closeSync(fd);
  }
  return records;
}

function timed(cmd: string, args: string[]): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 20 });
  const ms = performance.now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd} exited ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return { ms, out: r.stdout.toString().trim() };
}

function ensureRipgrep(): void {
  if (spawnSync('rg', ['--version']).status === 0) return;
  // Debian's package; the bench runs as root in CI containers and on the dev box.
  const apt = spawnSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq ripgrep'], { stdio: 'inherit' });
  if (apt.status !== 0 || spawnSync('rg', ['--version']).status !== 0) throw new Error('ripgrep (rg) is missing and could not be installed with apt-get');
}

const bench: Benchmark = {
  name: 'triage',
  description: 'triage 1 GB of NDJSON for 100 indicators vs rg -F -f and jq',
  goals: [
    { metric: 'ratio_vs_ripgrep', op: '>=', value: 0.5 },
    { metric: 'ratio_vs_jq', op: '>=', value: 10 },
  ],
  async run() {
    ensureRipgrep();
    const mb = Number(process.env.FIREBREAK_BENCH_TRIAGE_MB ?? 1024);
    const dir = await mkdtemp(join(tmpdir(), 'fb-bench-triage-'));
    try {
      const file = join(dir, 'app.ndjson');
      const t0 = performance.now();
      const records = writeNdjson(file, mb * 1e6);
      console.log(`  generated ${records} records, ${mb} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const lines = benchIndicators();
      const values = lines.map((l) => l.slice(l.indexOf(':') + 1));
      const patterns = join(dir, 'patterns.txt');
      await writeFile(patterns, `${values.join('\n')}\n`);
      const set = join(dir, 'set.json');
      await writeFile(set, JSON.stringify(Object.fromEntries(values.map((v) => [v, true]))));
      const indicators = parseIndicators(lines.join('\n'));

      timed('rg', ['-F', '-c', '-f', patterns, file]); // warm the page cache
      const rg: number[] = [];
      const ours: number[] = [];
      let rgCount = -1;
      let ourCount = -1;
      for (let i = 0; i < RUNS; i++) {
        const r = timed('rg', ['-F', '-c', '-f', patterns, file]);
        rg.push(r.ms);
        rgCount = Number(r.out || '0');
        const t = performance.now();
        const res = await triageInputs([{ name: 'app.ndjson', path: file }], { indicators, subjectField: 'user_id', multiline: false });
        ours.push(performance.now() - t);
        ourCount = res.hitRecords;
      }
      // jq is slow: one run. Same selection: any string anywhere in the record equal to an indicator.
      const jq = timed('jq', ['-n', '--slurpfile', 's', set, 'reduce (inputs | select(any(.. | strings; $s[0][.] // false))) as $x (0; . + 1)', file]);
      const jqCount = Number(jq.out);
      if (!(rgCount === ourCount && jqCount === ourCount)) throw new Error(`hit counts differ: triage ${ourCount}, rg ${rgCount}, jq ${jqCount}`);
      const oursMs = median(ours);
      const rgMs = median(rg);
      return {
        mb,
        records,
        hit_records: ourCount,
        triage_ms: Math.round(oursMs),
        ripgrep_ms: Math.round(rgMs),
        jq_ms: Math.round(jq.ms),
        triage_mb_s: Math.round(mb / (oursMs / 1000)),
        ratio_vs_ripgrep: rgMs / oursMs,
        ratio_vs_jq: jq.ms / oursMs,
      };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
