import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { GENESIS_HASH, hashEntry, type AuditRecord, type ChainHead } from '../../src/core/audit.js';

/**
 * Realistic audit chains for the audit-verify benchmark and the verifier's tests: block/unblock,
 * rotate and isolate runs with several planned changes and per-target outcomes, ~600–1000 bytes a
 * line. Built as canonical JSON by hand (keys pre-sorted) because canonicalJson of a million
 * records would dominate the benchmark's setup; `realisticRecord` + `canonicalRecordText` are
 * tested to agree with canonicalJson.
 */

/** Deterministic PRNG (mulberry32): same seed, same chain. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STEPS = ['block-ips', 'unblock-ips', 'rotate-secret', 'isolate-instance', 'disable-routes'] as const;
const ACTORS = ['alice', 'bob', 'oncall-bot', 'carol.ng', 'dependabot-responder'];
const TARGETS = ['waf:REGIONAL:IPV4', 'waf:CLOUDFRONT:IPV4', 'cloudflare:list:blocklist', 'waf:REGIONAL:IPV6'];

export function realisticRecord(i: number, rand: () => number): AuditRecord {
  const step = STEPS[i % STEPS.length]!;
  const n = 1 + Math.floor(rand() * 3);
  const subjects = Array.from({ length: n }, () => `203.0.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}/32`);
  const changes = subjects.map((s, k) => ({ action: 'add', subject: s, target: TARGETS[k % TARGETS.length]! }));
  const failedAt = rand() < 0.1 ? Math.floor(rand() * n) : -1;
  const outcomes = changes.map((c, k) =>
    k === failedAt
      ? { action: c.action, reason: 'WAFOptimisticLockException after 5 attempts', retryable: true, status: 'failed', subject: c.subject, target: c.target }
      : { action: c.action, status: 'applied', subject: c.subject, target: c.target },
  );
  const time = new Date(Date.UTC(2026, 10, 23, 9, 0, 0) + i * 1000).toISOString();
  return {
    v: 1,
    time,
    incidentId: `INC-${1000 + Math.floor(i / 500)}`,
    actor: ACTORS[i % ACTORS.length]!,
    runUrl: `https://github.com/acme/ops/actions/runs/${9_000_000_000 + i}`,
    step,
    status: failedAt >= 0 ? 'partial' : 'applied',
    dryRun: false,
    input: { addresses: subjects.join(','), reason: `credential stuffing wave ${i % 97}`, ttl: '24h' },
    plan: { changes, step, unchanged: [], warnings: n > 2 ? [`${n} addresses in one run`] : [] },
    result: { outcomes, status: failedAt >= 0 ? 'partial' : 'ok' },
    error: failedAt >= 0 ? { code: 'PARTIAL_FAILURE', message: `${step}: 1 change(s) failed` } : null,
  };
}

/** Every generated string is plain ASCII without quotes or backslashes, so quoting is a template. */
const q = (s: string | null): string => (s === null ? 'null' : `"${s}"`);

/** canonicalJson(realisticRecord(...)) without the generic walk. */
export function canonicalRecordText(r: AuditRecord): string {
  const plan = r.plan as { changes: Array<{ action: string; subject: string; target: string }>; step: string; unchanged: unknown[]; warnings: string[] };
  const result = r.result as { outcomes: Array<{ action: string; reason?: string; retryable?: boolean; status: string; subject: string; target: string }>; status: string };
  const input = r.input as { addresses: string; reason: string; ttl: string };
  const changes = plan.changes.map((c) => `{"action":${q(c.action)},"subject":${q(c.subject)},"target":${q(c.target)}}`).join(',');
  const outcomes = result.outcomes
    .map((o) =>
      o.reason === undefined
        ? `{"action":${q(o.action)},"status":${q(o.status)},"subject":${q(o.subject)},"target":${q(o.target)}}`
        : `{"action":${q(o.action)},"reason":${q(o.reason)},"retryable":${o.retryable},"status":${q(o.status)},"subject":${q(o.subject)},"target":${q(o.target)}}`,
    )
    .join(',');
  const error = r.error === null ? 'null' : `{"code":${q(r.error.code)},"message":${q(r.error.message)}}`;
  return (
    `{"actor":${q(r.actor)},"dryRun":${r.dryRun},"error":${error},"incidentId":${q(r.incidentId)},` +
    `"input":{"addresses":${q(input.addresses)},"reason":${q(input.reason)},"ttl":${q(input.ttl)}},` +
    `"plan":{"changes":[${changes}],"step":${q(plan.step)},"unchanged":[],"warnings":[${plan.warnings.map((w) => q(w)).join(',')}]},` +
    `"result":{"outcomes":[${outcomes}],"status":${q(result.status)}},"runUrl":${q(r.runUrl)},"status":${q(r.status)},"step":${q(r.step)},"time":${q(r.time)},"v":${r.v}}`
  );
}

/** Sealed lines of a realistic chain, in memory (tests). */
export function realisticChainLines(count: number, seed = 1): string[] {
  const rand = prng(seed);
  const lines: string[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < count; i++) {
    const seq = i + 1;
    const body = canonicalRecordText(realisticRecord(i, rand));
    const hash = hashEntry(seq, prev, body);
    lines.push(`{"seq":${seq},"prev":"${prev}","hash":"${hash}","record":${body}}`);
    prev = hash;
  }
  return lines;
}

/** Writes a realistic chain to `path` (one line per record, trailing newline); returns its head. */
export async function writeRealisticChain(path: string, count: number, seed = 1): Promise<{ head: ChainHead; bytes: number }> {
  const rand = prng(seed);
  const out = createWriteStream(path);
  let prev = GENESIS_HASH;
  let bytes = 0;
  let batch: string[] = [];
  for (let i = 0; i < count; i++) {
    const seq = i + 1;
    const body = canonicalRecordText(realisticRecord(i, rand));
    const hash = hashEntry(seq, prev, body);
    const line = `{"seq":${seq},"prev":"${prev}","hash":"${hash}","record":${body}}\n`;
    bytes += Buffer.byteLength(line);
    batch.push(line);
    prev = hash;
    if (batch.length === 2000) {
      if (!out.write(batch.join(''))) await once(out, 'drain');
      batch = [];
    }
  }
  out.end(batch.join(''));
  await once(out, 'finish');
  return { head: { seq: count, hash: prev }, bytes };
}
