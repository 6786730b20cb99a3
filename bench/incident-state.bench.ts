import { canonicalJson } from '../src/core/canonical-json.js';
import type { AuditRecord } from '../src/core/audit.js';
import { incidentSection } from '../src/core/config/sections/incident.js';
import { planNotices } from '../src/core/incident/cadence.js';
import { computeObligations } from '../src/core/incident/clock.js';
import { parseFacts } from '../src/core/incident/facts.js';
import { resolveScheme } from '../src/core/incident/severity.js';
import { deriveIncidentState, factsWithSubmissions } from '../src/core/incident/state.js';
import { median, type Benchmark } from './bench.js';

/**
 * What every incident step pays before acting: parse the records stored on the issue, fold them into
 * the state, compute the obligations and the due notices. Measured on a long incident (two weeks of
 * 15-minute ticks, updates every 30 minutes: 2,000 records) against the baseline JSON.parse of the
 * same record lines — the cost of merely reading them. ratio_vs_json_parse = parse time / (parse +
 * derive + clocks + notices) time (higher is better; goal >= 0.5: our logic costs at most as much as
 * reading the records).
 */
const RECORDS = 2_000;
const RUNS = 7;
/** Unmeasured rounds first, so both sides are compared after the JIT has warmed up. */
const WARMUP = 3;

function records(): string[] {
  const facts = parseFacts({ discovered_at: '2026-11-01T08:00:00Z', data_categories: ['personal', 'phi'], eu_subjects: true, affected_by_state: { CA: 900, TX: 300, NY: 20 }, nis2_entity: true });
  const start = Date.parse('2026-11-01T09:00:00Z');
  const base = { v: 1 as const, incidentId: 'INC-2026-11-01-bench', actor: 'bench', runUrl: null, status: 'applied' as const, dryRun: false, error: null };
  const out: AuditRecord[] = [
    { ...base, time: new Date(start).toISOString(), step: 'declare', input: {}, result: null, plan: { step: 'declare', changes: [], unchanged: [], warnings: [], meta: { incident: { id: base.incidentId, slug: 'bench', title: 'Bench', summary: 'b', severity: 'SEV1', declaredAt: new Date(start).toISOString(), roles: { incident_commander: ['ic'] }, facts } } } },
  ];
  for (let i = 1; i < RECORDS; i++) {
    const time = new Date(start + i * 15 * 60_000).toISOString();
    out.push(
      i % 2
        ? { ...base, time, step: 'incident-tick', input: {}, plan: null, result: { status: 'ok', outcomes: [{ target: 'github:comment', action: 'post', subject: `reminder:${time}:1`, status: 'applied' }] } }
        : { ...base, time, step: 'post-update', input: { audience: 'internal', status: 'mitigating', text: `update ${i}: still mitigating, error rate 0.${i % 10}%` }, plan: null, result: null },
    );
  }
  return out.map((r) => canonicalJson(r));
}

const bench: Benchmark = {
  name: 'incident-state',
  description: 'derive incident state + obligations + due notices from 2,000 issue records vs JSON.parse of them',
  goal: { metric: 'ratio_vs_json_parse', op: '>=', value: 0.5 },
  async run() {
    const lines = records();
    const config = incidentSection.parse({ escalation: [{ after_minutes: 30, notify: 'senior' }] });
    const scheme = resolveScheme(config);
    const now = new Date('2026-11-22T09:00:00Z');
    const parseMs: number[] = [];
    const fullMs: number[] = [];
    for (let r = 0; r < WARMUP + RUNS; r++) {
      const keep = r >= WARMUP;
      let t0 = performance.now();
      lines.map((l) => JSON.parse(l) as AuditRecord);
      if (keep) parseMs.push(performance.now() - t0);
      t0 = performance.now();
      const recs = lines.map((l) => JSON.parse(l) as AuditRecord);
      const state = deriveIncidentState(recs, config.containment_steps)!;
      const { obligations } = computeObligations(factsWithSubmissions(state), config);
      planNotices(state, obligations, scheme, config, now);
      if (keep) fullMs.push(performance.now() - t0);
    }
    const facts = parseFacts({ discovered_at: '2026-11-22T08:00:00Z', data_categories: ['personal', 'phi'], eu_subjects: true, affected_by_state: { CA: 900, TX: 300, CO: 5, FL: 7, WA: 600, NY: 1, OH: 2 }, sec_registrant: true, materiality_determined_at: '2026-11-25T15:00:00Z', nis2_entity: true, dora_entity: true, dora_major_classified_at: '2026-11-22T09:00:00Z' });
    const n = 20_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) computeObligations(facts, config);
    const clockUs = ((performance.now() - t0) * 1000) / n;
    const parse = median(parseMs);
    const full = median(fullMs);
    return { records: RECORDS, json_parse_ms: parse, derive_total_ms: full, ratio_vs_json_parse: parse / full, clock_engine_us_per_call_all_regimes: clockUs };
  },
};

export default bench;
