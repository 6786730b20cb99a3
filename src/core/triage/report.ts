import { createHash } from 'node:crypto';
import { indicatorLabel, type Indicator } from './indicators.js';

/**
 * Merging scanner results and what triage reports. The subjects themselves (user ids, patient ids)
 * go to the evidence store only; the report, the plan and the audit record carry their count and
 * the SHA-256 of the list, never the list.
 */

export interface Tally {
  hits: number;
  first: number | null;
  last: number | null;
  sources: Record<string, number>;
}

export interface PartialResult {
  bytes: number;
  lines: number;
  records: number;
  hitRecords: number;
  malformed: number;
  oversized: number;
  perIndicator: Tally[];
  subjects: string[];
  subjectMissing: number;
}

export interface MergedResult extends Omit<PartialResult, 'subjects'> {
  subjects: Set<string>;
}

export function emptyResult(indicators: number): MergedResult {
  return {
    bytes: 0,
    lines: 0,
    records: 0,
    hitRecords: 0,
    malformed: 0,
    oversized: 0,
    perIndicator: Array.from({ length: indicators }, () => ({ hits: 0, first: null, last: null, sources: {} })),
    subjects: new Set(),
    subjectMissing: 0,
  };
}

export function mergeInto(into: MergedResult, part: PartialResult): MergedResult {
  into.bytes += part.bytes;
  into.lines += part.lines;
  into.records += part.records;
  into.hitRecords += part.hitRecords;
  into.malformed += part.malformed;
  into.oversized += part.oversized;
  into.subjectMissing += part.subjectMissing;
  for (const s of part.subjects) into.subjects.add(s);
  part.perIndicator.forEach((p, i) => {
    const t = into.perIndicator[i]!;
    t.hits += p.hits;
    if (p.first !== null && (t.first === null || p.first < t.first)) t.first = p.first;
    if (p.last !== null && (t.last === null || p.last > t.last)) t.last = p.last;
    for (const [k, v] of Object.entries(p.sources)) t.sources[k] = (t.sources[k] ?? 0) + v;
  });
  return into;
}

export interface IndicatorReport {
  indicator: string;
  hits: number;
  firstSeen: string | null;
  lastSeen: string | null;
  topSources: Array<{ source: string; hits: number }>;
}

export interface TriageReport {
  inputs: number;
  bytes: number;
  lines: number;
  records: number;
  hitRecords: number;
  malformed: number;
  oversized: number;
  indicators: IndicatorReport[];
  affected?: { field: string; count: number; missing: number; sha256: string } | undefined;
}

export function buildReport(indicators: readonly Indicator[], merged: MergedResult, opts: { inputs: number; subjectField?: string | undefined; top?: number }): TriageReport {
  const top = opts.top ?? 5;
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    inputs: opts.inputs,
    bytes: merged.bytes,
    lines: merged.lines,
    records: merged.records,
    hitRecords: merged.hitRecords,
    malformed: merged.malformed,
    oversized: merged.oversized,
    indicators: indicators.map((ind, i) => {
      const t = merged.perIndicator[i]!;
      const topSources = Object.entries(t.sources)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
        .slice(0, top)
        .map(([source, hits]) => ({ source, hits }));
      return { indicator: indicatorLabel(ind), hits: t.hits, firstSeen: iso(t.first), lastSeen: iso(t.last), topSources };
    }),
    ...(opts.subjectField
      ? { affected: { field: opts.subjectField, count: merged.subjects.size, missing: merged.subjectMissing, sha256: sha256(subjectList(merged.subjects)) } }
      : {}),
  };
}

/** The affected-subject list as stored in evidence: sorted, one per line. */
export function subjectList(subjects: Iterable<string>): string {
  const sorted = [...subjects].sort();
  return sorted.length ? `${sorted.join('\n')}\n` : '';
}

export function sha256(text: string | Uint8Array): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The report as a short Markdown summary (what a job summary and the CLI print). */
export function renderReport(r: TriageReport): string {
  const lines = [
    `Scanned ${r.inputs} input(s): ${r.records} records, ${(r.bytes / 1e6).toFixed(1)} MB; ${r.hitRecords} record(s) hit; ${r.malformed} malformed, ${r.oversized} oversized.`,
  ];
  if (r.affected) lines.push(`Affected ${r.affected.field}: ${r.affected.count} distinct (${r.affected.missing} hit record(s) without the field); list sha256 ${r.affected.sha256}.`);
  lines.push('', '| indicator | hits | first seen | last seen | top sources |', '|---|---|---|---|---|');
  for (const i of r.indicators) {
    lines.push(`| \`${i.indicator.replace(/\|/g, '\\|')}\` | ${i.hits} | ${i.firstSeen ?? ''} | ${i.lastSeen ?? ''} | ${i.topSources.map((s) => `${s.source} (${s.hits})`).join(', ').replace(/\|/g, '\\|')} |`);
  }
  return lines.join('\n');
}
