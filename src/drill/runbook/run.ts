import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CAPABILITIES } from '../../capabilities/registry.js';
import { memoryIo } from '../../cli/io.js';
import { parseAnchor } from '../../core/audit.js';
import { asError, InputError } from '../../core/errors.js';
import { parseRunbook, type RunbookFrontMatter } from '../../core/runbook.js';
import { verifyAuditFile } from '../../providers/local/verify-file.js';
import type { Expectation } from '../scenario.js';
import { cliArgs } from './cli-args.js';
import { parseTtl } from '../../core/ip/expiry.js';
import type { RunbookFixture, StepOutcome } from './fixture.js';
import { RunbookWorld, type FaultSpec } from './world.js';

/**
 * `firebreak drill --runbook FILE`: a runbook's drill plan, step by step, through the same CLI
 * commands a responder runs at 3 a.m. (in this process, `--apply`, one audit chain), against the
 * emulators. Before each step its fixture makes real what the inputs name; after it, the fixture
 * reads the emulators back. The report has a line per step (time, status, checks), the timeline
 * from the audit chain, the chain verified against its anchor, and each emulator's contract check.
 */

export interface RunbookDrillOptions {
  file: string;
  /** Injected by tests; default: the registry in fixtures.ts. */
  fixtures?: Readonly<Record<string, RunbookFixture>>;
  latencyMs?: number;
  faults?: readonly FaultSpec[];
  print?: (line: string) => void;
  keepWorkDir?: boolean;
  /**
   * Run steps whose capability has no fixture anyway (unprepared, unverified, and failed in the
   * report): for someone writing fixtures, to see the rest of the runbook. The drill still fails.
   */
  skipMissingFixtures?: boolean;
}

export interface StepReport {
  index: number;
  step: string;
  expect: string;
  status: string;
  code: string | undefined;
  ok: boolean;
  /** Wall time of the command, in ms. */
  ms: number;
  /** The drill clock when the step ran. */
  at: string;
  expectations: Expectation[];
  /** The step failed under injected faults and was run again (a re-run must be safe). */
  rerun?: { status: string; code: string | undefined };
}

export interface RunbookDrillReport {
  runbook: string;
  title: string;
  ok: boolean;
  steps: StepReport[];
  contract: Expectation[];
  audit: Expectation;
  faults: Expectation[];
  aliases: Array<{ written: string; real: string }>;
  timeline: Array<{ at: string; step: string; status: string; incident: string | null }>;
  passed: number;
  failed: number;
  wallMs: number;
}

const DEFAULT_GAP_MS = 2 * 60_000;

const NO_FIXTURE: RunbookFixture = {
  verify: async (_world, outcome) => [{ name: 'a runbook fixture verifies this step', ok: false, detail: `no fixture: ran unprepared, status ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}` }],
};

export async function drillRunbook(options: RunbookDrillOptions): Promise<RunbookDrillReport> {
  const print = options.print ?? (() => {});
  const text = await readFile(options.file, 'utf8');
  const parsed = parseRunbook(text, options.file);
  const fm = parsed.frontMatter;
  if (!fm || parsed.problems.length) {
    throw new InputError(`${options.file}: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ') || 'no front matter'}`, { code: 'RUNBOOK_INVALID', hint: 'Run `firebreak runbooks check` and fix what it names.' });
  }
  if (!fm.drill?.length) throw new InputError(`${options.file} has no drill: plan`, { code: 'RUNBOOK_NO_DRILL', hint: 'Add a `drill:` list to the front matter: the steps, in order, with the inputs a responder gives.' });
  const fixtures = options.fixtures ?? (await import('./fixtures.js')).RUNBOOK_FIXTURES;
  const missing = [...new Set(fm.drill.map((d) => d.step))].filter((s) => !fixtures[s] || !CAPABILITIES.some((c) => c.slug === s && c.status === 'built'));
  if (missing.length && !options.skipMissingFixtures) {
    throw new InputError(`${options.file}: no drill fixture for ${missing.join(', ')}`, { code: 'RUNBOOK_NOT_DRILLABLE', hint: 'Each drilled capability needs src/capabilities/<slug>/runbook-fixture.ts registered in src/drill/runbook/fixtures.ts.' });
  }

  const t0 = performance.now();
  const workDir = await mkdtemp(join(tmpdir(), 'firebreak-runbook-'));
  const world = new RunbookWorld({ workDir, start: drillStart(fm), log: print, ...(options.latencyMs ? { latencyMs: options.latencyMs } : {}), ...(options.faults ? { faults: options.faults } : {}) });
  try {
    await writeConfig(world, options.file, fm);
    // The incident issue is the ledger every incident step writes to: GitHub is always there.
    await world.github();
    const steps: StepReport[] = [];
    for (const [index, d] of fm.drill.entries()) {
      if (index > 0) world.clock.advance(d.after ? parseTtl(d.after, 24 * 365, 'after') : DEFAULT_GAP_MS);
      const report = await runOne(world, fixtures[d.step] ?? NO_FIXTURE, index, d.step, d.with, d.expect, options.faults?.length ? true : false);
      steps.push(report);
      const failed = report.expectations.filter((e) => !e.ok);
      print(`${report.ok ? '✓' : '✗'} [${index + 1}/${fm.drill.length}] ${d.step} → ${report.status}${report.code ? ` ${report.code}` : ''}${report.rerun ? ` (re-run: ${report.rerun.status})` : ''}  ${report.ms} ms, ${report.expectations.length - failed.length}/${report.expectations.length} checks`);
      for (const e of failed) print(`    ✗ ${e.name}${e.detail ? ` — ${e.detail}` : ''}`);
    }
    const contract = world.contract();
    const faults: Expectation[] = [];
    for (const s of world.unusedFaultServices()) faults.push({ name: `--faults for ${s} could fire`, ok: false, detail: `no step used ${s}` });
    for (const p of await world.pendingFaults()) faults.push({ name: `injected fault fired: ${p}`, ok: false, detail: 'no request matched it' });
    const audit = await verifyChain(world.auditFile);
    const timeline = await readTimeline(world.auditFile);
    const all = [...steps.flatMap((s) => [...s.expectations, { name: `${s.step} as expected`, ok: s.ok }]), ...contract, ...faults, audit];
    const failed = all.filter((e) => !e.ok).length;
    for (const e of [...contract, ...faults, audit]) print(`${e.ok ? '✓' : '✗'} ${e.name}${e.ok || !e.detail ? '' : ` — ${e.detail}`}`);
    return {
      runbook: options.file,
      title: fm.title,
      ok: failed === 0,
      steps,
      contract,
      audit,
      faults,
      aliases: world.aliasList(),
      timeline,
      passed: all.length - failed,
      failed,
      wallMs: Math.round(performance.now() - t0),
    };
  } finally {
    await world.stop();
    if (options.keepWorkDir) print(`work dir kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

async function runOne(world: RunbookWorld, fixture: RunbookFixture, index: number, slug: string, given: Readonly<Record<string, unknown>>, expect: string, faulted: boolean): Promise<StepReport> {
  const cap = CAPABILITIES.find((c) => c.slug === slug)!;
  const at = world.clock.now().toISOString();
  const rewritten = () => Object.fromEntries(Object.entries(given).map(([k, v]) => [k, world.rewrite(v)]));
  const t0 = performance.now();
  const expectations: Expectation[] = [];
  try {
    await fixture.prepare?.(world, rewritten());
  } catch (error) {
    return { index, step: slug, expect, status: 'error', code: undefined, ok: false, ms: 0, at, expectations: [{ name: `${slug}: fixture prepared what the inputs name`, ok: false, detail: asError(error).message }] };
  }
  // Again after prepare: the names it just aliased (a Cognito pool id moto minted) apply to this step too.
  const input = rewritten();
  let outcome = await runCli(world, cap, input, index);
  let rerun: StepReport['rerun'];
  // Under injected faults a failed step is run once more, as a responder would: it must converge.
  if (faulted && expect === 'ok' && !succeeded(outcome)) {
    const again = await runCli(world, cap, input, index);
    rerun = { status: again.status, code: again.code };
    outcome = again;
  }
  const ms = Math.round(performance.now() - t0);
  if (slug === 'declare' && outcome.incidentId) world.incidentId = outcome.incidentId;
  const asExpected = expect === 'ok' ? succeeded(outcome) : outcome.code === expect;
  if (!asExpected) {
    expectations.push({ name: `${slug} ${expect === 'ok' ? 'applied' : `refused with ${expect}`}`, ok: false, detail: `got ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${outcome.message ? `: ${outcome.message}` : ''}` });
  }
  try {
    expectations.push(...(await fixture.verify(world, outcome)));
  } catch (error) {
    expectations.push({ name: `${slug}: emulator state read back`, ok: false, detail: asError(error).message });
  }
  return { index, step: slug, expect, status: outcome.status, code: outcome.code, ok: asExpected && expectations.every((e) => e.ok), ms, at, expectations, ...(rerun ? { rerun } : {}) };
}

function succeeded(o: StepOutcome): boolean {
  return o.exitCode === 0 && (o.status === 'applied' || o.status === 'ok' || o.status === 'noop' || o.status === 'unchanged');
}

async function runCli(world: RunbookWorld, cap: (typeof CAPABILITIES)[number], input: Readonly<Record<string, unknown>>, index: number): Promise<StepOutcome & { message?: string }> {
  const { main } = await import('../../cli/main.js');
  const argv = await cliArgs(cap, input, { configFile: world.configFile, auditFile: world.auditFile, incidentId: world.incidentId, workDir: world.workDir, index });
  const io = Object.assign(memoryIo({ ...world.env, USER: 'firebreak-drill' }, world.workDir), { clock: world.clock, sleep: world.clock.sleep });
  const exitCode = await main(argv, io);
  const text = io.out.join('\n');
  let doc: Record<string, unknown> = {};
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch {
    doc = {};
  }
  const error = doc.error as { code?: string; message?: string } | undefined;
  // The tick prints one line per incident; its record status is in the audit chain.
  const status = typeof doc.status === 'string' ? doc.status : Array.isArray(doc) ? (exitCode === 0 ? 'applied' : 'error') : error ? 'refused' : exitCode === 0 ? 'applied' : 'error';
  const plan = doc.plan as { meta?: { incident?: { id?: string } } } | undefined;
  const incidentId = cap.incident === 'creates' ? plan?.meta?.incident?.id : world.incidentId;
  return {
    input,
    status,
    code: error?.code,
    plan: doc.plan,
    result: Array.isArray(doc) ? doc : doc.result,
    incidentId,
    exitCode,
    ...(error?.message ? { message: error.message } : exitCode !== 0 && !text ? { message: io.err.join(' ').slice(0, 500) } : {}),
  };
}

/** The drill's firebreak.yml: the runbook's `drill_config` (the organisation's own settings), else a minimal one. */
async function writeConfig(world: RunbookWorld, file: string, fm: RunbookFrontMatter): Promise<void> {
  if (fm.drill_config) await copyFile(resolve(dirname(file), fm.drill_config), world.configFile);
  else await writeFile(world.configFile, 'version: 1\n');
}

/**
 * The drill clock starts at `drill_start`, else just after the latest moment the plan names (a
 * discovery time, an evidence window), so facts are never in the future and never years old.
 */
export function drillStart(fm: RunbookFrontMatter): Date {
  if (fm.drill_start) return new Date(fm.drill_start);
  const stamps: number[] = [];
  const scan = (v: unknown): void => {
    if (typeof v === 'string') for (const m of v.matchAll(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})/g)) stamps.push(Date.parse(m[0]));
    else if (Array.isArray(v)) v.forEach(scan);
  };
  for (const d of fm.drill ?? []) for (const v of Object.values(d.with)) scan(v);
  const latest = stamps.filter(Number.isFinite).sort((a, b) => b - a)[0];
  return new Date((latest ?? Date.parse('2026-12-02T09:00:00Z')) + 30 * 60_000);
}

async function verifyChain(auditFile: string): Promise<Expectation> {
  const name = "the drill's audit chain verifies against its anchor";
  let anchorText: string;
  try {
    anchorText = await readFile(`${auditFile}.head`, 'utf8');
  } catch {
    return { name, ok: false, detail: 'no audit record was written' };
  }
  const anchor = parseAnchor(anchorText);
  if (!anchor) return { name, ok: false, detail: 'the anchor is damaged' };
  const report = await verifyAuditFile(auditFile, { anchor });
  if (!report.ok) return { name, ok: false, detail: `line ${report.problem!.line}: ${report.problem!.reason}` };
  return { name: `${name} (${report.records} records)`, ok: true };
}

async function readTimeline(auditFile: string): Promise<RunbookDrillReport['timeline']> {
  let text = '';
  try {
    text = await readFile(auditFile, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const r = (JSON.parse(line) as { record?: Record<string, unknown> }).record ?? (JSON.parse(line) as Record<string, unknown>);
      return { at: String(r.time ?? ''), step: String(r.step ?? ''), status: String(r.status ?? ''), incident: (r.incidentId as string | null | undefined) ?? null };
    });
}

export function formatRunbookReport(report: RunbookDrillReport): string {
  const lines = ['', `runbook drill: ${report.title}`, ''];
  for (const s of report.steps) {
    lines.push(`${s.ok ? '✓' : '✗'} ${String(s.index + 1).padStart(2)}. ${s.step.padEnd(20)} ${s.status.padEnd(9)} ${String(s.ms).padStart(6)} ms  ${s.at}`);
  }
  if (report.aliases.length) lines.push('', 'names the emulators minted for the runbook’s:', ...report.aliases.map((a) => `  ${a.written} → ${a.real}`));
  lines.push('', 'timeline (from the audit chain):', ...report.timeline.map((t) => `  ${t.at}  ${t.step.padEnd(20)} ${t.status}`));
  lines.push('', `${report.audit.ok ? '✓' : '✗'} ${report.audit.name}`);
  lines.push('', report.ok ? `PASS: ${report.passed} check(s) held in ${(report.wallMs / 1000).toFixed(1)} s` : `FAIL: ${report.failed} of ${report.passed + report.failed} check(s) failed`);
  return lines.join('\n');
}
