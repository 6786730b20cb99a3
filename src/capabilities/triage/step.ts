import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { stringify as toYaml } from 'yaml';
import { asError, InputError } from '../../core/errors.js';
import { EVIDENCE_DIR_NAME, evidenceFolder } from '../../core/evidence/layout.js';
import { parseWindow, type EvidenceWindow } from '../../core/evidence/manifest.js';
import { readInputs } from '../../core/inputs.js';
import type { Outcome, Plan } from '../../core/plan.js';
import type { StepDefinition } from '../../core/step.js';
import { indicatorLabel, parseIndicators, type Indicator } from '../../core/triage/indicators.js';
import { buildReport, sha256, subjectList, type TriageReport } from '../../core/triage/report.js';
import { triageInputs, type TriageInput } from '../../providers/local/triage-files.js';
import { inputs } from './capability.js';
import type { TriagePorts } from './ports.js';

/**
 * triage: search logs for indicators at disk speed and count who is affected.
 *
 *   plan: resolve the sources (files and folders, the incident's preserved evidence, CloudWatch
 *         groups) and show what will be read.
 *   apply: stream everything through the scanner (worker threads for plain files), then keep the
 *          report, the list of affected subjects and (when asked) a facts file in the evidence
 *          store under the incident, or in a local folder without one.
 *
 * The subjects are personal data: the plan, the outcomes and so the audit record and the incident
 * issue carry their count and the SHA-256 of the list, never the list.
 */

export type TriageSource = { kind: 'file'; path: string } | { kind: 'evidence'; path: string } | { kind: 'logs'; group: string };

export interface TriageStepInput {
  indicators: Indicator[];
  sources: TriageSource[];
  subjectField: string | undefined;
  sourceField: string | undefined;
  timeField: string | undefined;
  window: EvidenceWindow | undefined;
  factsField: 'none' | 'eu_subjects';
  out: string;
}

interface Resolved {
  inputs: TriageInput[];
}
const memory = new WeakMap<object, Resolved>();

const FIELD = /^[A-Za-z0-9_@$-]+(\.[A-Za-z0-9_@$-]+)*$/;

export const triageStep: StepDefinition<TriageStepInput, TriagePorts, { inputs: number; bytes: number }> = {
  name: 'triage',
  description: 'Search logs for indicators and count the distinct affected subjects',

  parse(raw, ctx) {
    const v = readInputs(inputs, raw);
    const indicators = parseIndicators(v.indicators);
    const sources: TriageSource[] = [];
    for (const [n, line] of v.sources.split(/\r?\n|,/).entries()) {
      const t = line.trim();
      if (!t || t.startsWith('#')) continue;
      if (t.startsWith('evidence:')) sources.push({ kind: 'evidence', path: t.slice(9).replace(/^\/+/, '') });
      else if (t.startsWith('logs:')) {
        const group = t.slice(5).trim();
        if (!/^[\w./#-]{1,512}$/.test(group)) throw new InputError(`sources line ${n + 1}: "${group}" is not a log group name`, { field: 'sources', code: 'INPUT_INVALID' });
        sources.push({ kind: 'logs', group });
      } else sources.push({ kind: 'file', path: t.startsWith('file:') ? t.slice(5) : t });
    }
    if (sources.length === 0) throw new InputError('sources: nothing to search', { field: 'sources', code: 'INPUT_MISSING' });
    for (const [field, value] of [['subject-field', v.subjectField], ['source-field', v.sourceField], ['time-field', v.timeField]] as const) {
      if (value && !FIELD.test(value)) throw new InputError(`${field} "${value}" is not a field path (letters, digits, _ @ $ -, dotted)`, { field, code: 'INPUT_INVALID' });
    }
    const needsWindow = sources.some((s) => s.kind === 'logs');
    if (needsWindow && !v.from) throw new InputError('logs: sources need from (and to) for the query window', { field: 'from', code: 'INPUT_MISSING' });
    const window = needsWindow ? parseWindow(v.from!, v.to ?? '', ctx.clock.now()) : undefined;
    const factsField = v.factsField as TriageStepInput['factsField'];
    if (factsField !== 'none' && !v.subjectField) throw new InputError('facts-field needs subject-field: the count it writes is of distinct subjects', { field: 'facts-field', code: 'INPUT_CONFLICT' });
    return { indicators, sources, subjectField: v.subjectField || undefined, sourceField: v.sourceField || undefined, timeField: v.timeField || undefined, window, factsField, out: v.out || '.firebreak/triage' };
  },

  async plan(input, ports, ctx) {
    const resolved: TriageInput[] = [];
    let bytes = 0;
    for (const s of input.sources) {
      if (s.kind === 'file') {
        const path = resolve(ports.cwd, s.path);
        const st = await stat(path).catch(() => undefined);
        if (!st) throw new InputError(`${s.path}: no such file or folder`, { field: 'sources', code: 'SOURCE_NOT_FOUND' });
        for (const f of st.isDirectory() ? await walk(path) : [path]) {
          bytes += (await stat(f)).size;
          resolved.push({ name: f, path: f });
        }
      } else if (s.kind === 'evidence') {
        if (!ctx.incidentId) throw new InputError('evidence: sources belong to an incident: pass --incident', { field: 'incident', code: 'INPUT_MISSING' });
        const ev = ports.evidence;
        if (!ev) throw new InputError('evidence: sources need the evidence bucket (FIREBREAK_EVIDENCE_BUCKET)', { field: 'sources', code: 'CONFIG_INVALID' });
        const prefix = `${evidenceFolder(ev.prefix, ctx.incidentId)}${EVIDENCE_DIR_NAME}${s.path}`;
        const listed = await ev.store.list(prefix);
        if (listed.size === 0) throw new InputError(`nothing preserved under s3://${ev.store.bucket}/${prefix}`, { field: 'sources', code: 'SOURCE_NOT_FOUND' });
        for (const o of [...listed.values()].sort((a, b) => (a.key < b.key ? -1 : 1))) {
          if (o.key.endsWith('aws-logs-write-test')) continue; // CloudWatch's permission probe of an export
          bytes += o.size;
          resolved.push({ name: `s3://${ev.store.bucket}/${o.key}`, open: () => ev.store.open(o.key), gzip: o.key.endsWith('.gz') });
        }
      } else {
        const q = ports.insights;
        if (!q) throw new InputError('logs: sources need AWS access (CloudWatch Logs Insights)', { field: 'sources', code: 'CONFIG_INVALID' });
        const window = input.window!;
        resolved.push({ name: `logs:${s.group}`, open: () => Readable.from(linesOf(q.query(s.group, window, input.indicators, (m) => ctx.logger.info(m)))) });
      }
    }
    const names = resolved.map((r) => r.name);
    const plan: Plan<{ inputs: number; bytes: number }> = {
      step: 'triage',
      changes: [
        {
          target: 'triage',
          action: 'search',
          subject: `${resolved.length} input(s) for ${input.indicators.length} indicator(s)`,
          detail: { inputs: names.slice(0, 50), ...(names.length > 50 ? { more: names.length - 50 } : {}), bytes, indicators: input.indicators.map(indicatorLabel) },
        },
      ],
      unchanged: [],
      warnings: input.subjectField ? [`The list of affected ${input.subjectField} values goes to ${ctx.incidentId && ports.evidence ? 'the evidence bucket' : `the local folder ${input.out}`}; records and the issue get its count and SHA-256 only.`] : [],
      meta: { inputs: resolved.length, bytes },
    };
    memory.set(plan, { inputs: resolved });
    return plan;
  },

  async apply(plan, input, ports, ctx) {
    const resolved = memory.get(plan)?.inputs ?? [];
    const change = plan.changes[0]!;
    const out = (status: Outcome['status'], reason: string, action = 'search', subject = change.subject): Outcome => ({ target: 'triage', action, subject, status, reason: ctx.redactor.scrub(reason) });
    let report: TriageReport;
    let subjects: Set<string>;
    try {
      const t0 = Date.now();
      const merged = await triageInputs(
        resolved,
        { indicators: input.indicators, subjectField: input.subjectField, sourceField: input.sourceField, timeField: input.timeField },
        { ...(ports.workers ? { workers: ports.workers } : {}), progress: (p) => ctx.logger.info(`triage: ${p.inputs}/${p.of} part(s) read, ${(p.bytes / 1e6).toFixed(1)} MB`) },
      );
      subjects = merged.subjects;
      report = buildReport(input.indicators, merged, { inputs: resolved.length, subjectField: input.subjectField });
      ctx.logger.info(`triage: ${(merged.bytes / 1e6).toFixed(1)} MB in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    } catch (e) {
      return [out('failed', `search failed, nothing kept: ${asError(e).message}`)];
    }
    const outcomes: Outcome[] = [out('applied', summary(report))];
    const list = subjectList(subjects);
    const files: Array<[string, string]> = [['report.json', `${JSON.stringify(report, null, 2)}\n`]];
    if (input.subjectField) files.push([`subjects-${input.subjectField}.txt`, list]);
    if (input.factsField !== 'none' && report.affected) files.push(['facts.yml', toYaml({ [input.factsField]: report.affected.count })]);
    const stamp = `${ctx.clock.now().toISOString().replace(/[:.]/g, '')}-${sha256(files.map((f) => f[1]).join('\0')).slice(0, 12)}`;
    try {
      if (ctx.incidentId && ports.evidence) {
        const ev = ports.evidence;
        const base = `${evidenceFolder(ev.prefix, ctx.incidentId)}triage/${stamp}/`;
        for (const [name, text] of files) await ev.store.putIfAbsent(`${base}${name}`, Buffer.from(text, 'utf8'), sha256(text), name.endsWith('.json') ? 'application/json' : 'text/plain');
        outcomes.push(out('applied', `kept ${files.map(([n, t]) => `${n} (sha256 ${sha256(t)})`).join(', ')}`, 'keep', `s3://${ev.store.bucket}/${base}`));
      } else {
        const dir = resolve(ports.cwd, input.out, stamp);
        await mkdir(dir, { recursive: true });
        for (const [name, text] of files) await writeFile(join(dir, name), text, { mode: 0o600 });
        outcomes.push(out('applied', `kept ${files.map(([n, t]) => `${n} (sha256 ${sha256(t)})`).join(', ')}`, 'keep', dir));
      }
    } catch (e) {
      outcomes.push(out('failed', `the report and subject list were not kept: ${asError(e).message}. Re-run to keep them.`, 'keep', stamp));
    }
    return outcomes;
  },
};

function summary(r: TriageReport): string {
  const head = `${r.records} record(s) in ${r.inputs} input(s), ${r.hitRecords} hit; ${r.malformed} malformed, ${r.oversized} oversized`;
  const affected = r.affected ? `; affected ${r.affected.field}: ${r.affected.count} distinct (${r.affected.missing} hit(s) without it; list sha256 ${r.affected.sha256})` : '';
  const per = r.indicators
    .filter((i) => i.hits > 0)
    .map((i) => `${i.indicator}: ${i.hits} (${i.firstSeen ?? '?'} to ${i.lastSeen ?? '?'}; top ${i.topSources.map((s) => `${s.source} ${s.hits}`).join(', ')})`);
  const none = r.indicators.filter((i) => i.hits === 0).length;
  return `${head}${affected}. ${per.join(' | ')}${none ? `${per.length ? ' | ' : ''}${none} indicator(s) without hits` : ''}`;
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

async function* linesOf(rows: AsyncIterable<string>): AsyncGenerator<Buffer> {
  for await (const row of rows) yield Buffer.from(`${row}\n`, 'utf8');
}
