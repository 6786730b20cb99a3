import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { capabilityBySlug } from '../../capabilities/registry.js';
import type { CapabilityDefinition } from '../../capabilities/types.js';
import { memoryIo } from '../../cli/io.js';
import { asError, InputError } from '../../core/errors.js';
import { parseRunbook, type RunbookFrontMatter } from '../../core/runbook.js';
import { verifyDrillAudit } from '../runner.js';
import { applied } from './fixture-support.js';
import { readChainRecords } from '../../providers/local/file-audit-sink.js';
import type { Expectation } from '../scenario.js';
import { cliArgs } from './cli-args.js';
import { parseTtl } from '../../core/ip/expiry.js';
import type { RunbookFixture, StepOutcome } from './fixture.js';
import { RunbookWorld, type FaultSpec } from './world.js';
import { checkTarget, revertOf } from './target.js';
import { DEFAULT_CONFIG_FILE, loadConfigFile } from '../../runtime/config-file.js';
import { ENV } from '../../runtime/env.js';

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
  /**
   * A real staging target from firebreak.yml's drill.targets (instead of the emulators): the same
   * steps on real providers, no fixtures, every change reverted at the end (src/drill/runbook/target.ts).
   */
  target?: string;
  /** Days the plan's dates are moved by (default: whole weeks, to the week of `now`). */
  shiftDays?: number;
  now?: Date;
  /** The firebreak.yml of a target run (default: $FIREBREAK_CONFIG or ./firebreak.yml of cwd). */
  configFile?: string;
  /** The environment of a target run (its credentials) and where it runs. */
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
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
  /** On a staging target: how the step's change was undone at the end. */
  reverted?: { step: string; status: string; code: string | undefined };
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

/** Entry points a drill step may be besides a capability: an alert starts the incident as the seed's would. */
const EVENT_STEPS = new Set(['alert']);

const NO_FIXTURE: RunbookFixture = {
  verify: async (_world, outcome) => [{ name: 'a runbook fixture verifies this step', ok: false, detail: `no fixture: ran unprepared, status ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}` }],
};

export async function drillRunbook(options: RunbookDrillOptions): Promise<RunbookDrillReport> {
  const print = options.print ?? (() => {});
  const text = await readFile(options.file, 'utf8');
  const parsed = parseRunbook(text, options.file);
  const written = parsed.frontMatter;
  if (!written || parsed.problems.length) {
    throw new InputError(`${options.file}: ${parsed.problems.map((p) => `line ${p.line}: ${p.message}`).join('; ') || 'no front matter'}`, { code: 'RUNBOOK_INVALID', hint: 'Run `firebreak runbooks check` and fix what it names.' });
  }
  if (!written.drill?.length) throw new InputError(`${options.file} has no drill: plan`, { code: 'RUNBOOK_NO_DRILL', hint: 'Add a `drill:` list to the front matter: the steps, in order, with the inputs a responder gives.' });
  if (options.target !== undefined) return drillOnTarget(options, written);
  // The plan's dates move to this week (whole weeks: weekdays, business-day clocks and times of day
  // stay as written), so a drill run next year sees the same story, and moto keeps its log events.
  const shiftDays = options.shiftDays ?? weeksToNow(drillStart(written), options.now ?? new Date()) * 7;
  const fm = shiftPlan(written, shiftDays);
  const drill = fm.drill!;
  const fixtures = options.fixtures ?? (await import('./fixtures.js')).RUNBOOK_FIXTURES;
  const missing = [...new Set(drill.map((d) => d.step))].filter((s) => !fixtures[s] || !(EVENT_STEPS.has(s) || capabilityBySlug(s)?.status === 'built'));
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
    if (shiftDays) print(`plan dates moved ${shiftDays > 0 ? 'forward' : 'back'} ${Math.abs(shiftDays)} days (to this week); the drill clock starts ${world.clock.now().toISOString()}`);
    for (const [index, d] of drill.entries()) {
      if (index > 0) world.clock.advance(d.after ? parseTtl(d.after, 24 * 365, 'after') : DEFAULT_GAP_MS);
      const report = await runOne(world, fixtures[d.step] ?? NO_FIXTURE, index, d.step, d.with, d.expect, options.faults?.length ? true : false);
      steps.push(report);
      print(stepLine(report, drill.length));
      for (const e of report.expectations.filter((x) => !x.ok)) print(`    ${checkLine(e)}`);
    }
    const faults: Expectation[] = [];
    for (const s of world.unusedFaultServices()) faults.push({ name: `--faults for ${s} could fire`, ok: false, detail: `no step used ${s}` });
    for (const p of await world.pendingFaults()) faults.push({ name: `injected fault fired: ${p}`, ok: false, detail: 'no request matched it' });
    return finishReport(world, { file: options.file, title: fm.title, steps, contract: world.contract(), faults, t0, print });
  } finally {
    await world.stop();
    if (options.keepWorkDir) print(`work dir kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

async function runOne(world: RunbookWorld, fixture: RunbookFixture, index: number, slug: string, given: Readonly<Record<string, unknown>>, expect: string, faulted: boolean): Promise<StepReport> {
  const cap = capabilityBySlug(slug);
  const at = world.clock.now().toISOString();
  const rewritten = () => Object.fromEntries(Object.entries(given).map(([k, v]) => [k, world.rewrite(v)]));
  const t0 = performance.now();
  const expectations: Expectation[] = [];
  try {
    await fixture.prepare?.(world, rewritten());
  } catch (error) {
    return { index, step: slug, expect, status: 'error', code: undefined, ok: false, ms: 0, at, expectations: [{ name: `${slug}: fixture prepared what the inputs name`, ok: false, detail: asError(error).message }] };
  }
  // A name the fixture just minted for this step's inputs (an instance id, a pull request number) applies to this step too.
  const ran = rewritten();
  const execute = async () => (cap ? runCli(world, cap, ran, index) : (await import('./alert-step.js')).runAlertStep(world, ran));
  let outcome = await execute();
  let rerun: StepReport['rerun'];
  // Under injected faults a failed step is run once more, as a responder would: it must converge.
  if (faulted && expect === 'ok' && !applied(outcome)) {
    const again = await execute();
    rerun = { status: again.status, code: again.code };
    outcome = again;
  }
  const ms = Math.round(performance.now() - t0);
  if ((slug === 'declare' || slug === 'alert') && outcome.incidentId) world.incidentId = outcome.incidentId;
  const asExpected = expect === 'ok' ? applied(outcome) : outcome.code === expect;
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

/**
 * The plan on a real staging target: refused before anything runs unless checkTarget passes; each
 * step through the CLI with the target's environment; then every applied change undone, newest
 * first, and the incident closed. The report says what was reverted and what could not be.
 */
async function drillOnTarget(options: RunbookDrillOptions, fm: RunbookFrontMatter): Promise<RunbookDrillReport> {
  const print = options.print ?? (() => {});
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const configFile = resolve(cwd, options.configFile ?? env[ENV.configFile] ?? DEFAULT_CONFIG_FILE);
  const config = await loadConfigFile(configFile, { env, cwd });
  const plan = fm.drill!;
  checkTarget(config, options.target!, env, plan.map((d) => d.step));
  const t0 = performance.now();
  const workDir = await mkdtemp(join(tmpdir(), 'firebreak-runbook-'));
  const world = new RunbookWorld({ workDir, start: new Date(), log: print, configFile, env, live: true });
  const live: RunbookFixture = { verify: async () => [] };
  try {
    const steps: StepReport[] = [];
    for (const [index, d] of plan.entries()) {
      const report = await runOne(world, live, index, d.step, d.with, d.expect, false);
      steps.push(report);
      print(stepLine(report, plan.length));
    }
    const reverts: Expectation[] = [];
    for (const s of [...steps].reverse()) {
      if (!['applied', 'partial'].includes(s.status)) continue;
      const undo = revertOf(s.step, plan[s.index]!.with);
      if (!undo) continue;
      const cap = capabilityBySlug(undo.step)!;
      const o = await runCli(world, cap, undo.with, s.index);
      s.reverted = { step: undo.step, status: o.status, code: o.code };
      reverts.push({ name: `step ${s.index + 1} (${s.step}) reverted by ${undo.step}`, ok: applied(o), ...(applied(o) ? {} : { detail: `${o.status} ${o.code ?? ''} ${o.message ?? ''}` }) });
    }
    if (world.incidentId && !steps.some((s) => s.step === 'close-incident' && s.status === 'applied')) {
      const close = capabilityBySlug('close-incident')!;
      const o = await runCli(world, close, { summary: 'Staging drill finished; every change reverted.' }, plan.length, ['--override-guard', 'CLOSE_GATE', '--override-reason', 'staging drill: the incident was a drill']);
      reverts.push({ name: `the drill's incident ${world.incidentId} closed`, ok: applied(o), ...(applied(o) ? {} : { detail: `${o.status} ${o.code ?? ''}` }) });
    }
    return finishReport(world, { file: options.file, title: fm.title, steps, contract: reverts, faults: [], t0, print });
  } finally {
    if (options.keepWorkDir) print(`work dir kept: ${workDir}`);
    else await rm(workDir, { recursive: true, force: true });
  }
}

/** The end of every drill: the chain verified, the timeline read back, every check counted once. */
async function finishReport(
  world: RunbookWorld,
  r: { file: string; title: string; steps: StepReport[]; contract: Expectation[]; faults: Expectation[]; t0: number; print: (line: string) => void },
): Promise<RunbookDrillReport> {
  const audit = await verifyDrillAudit(world.auditFile, "the drill's audit chain verifies against its anchor");
  for (const e of [...r.contract, ...r.faults, audit]) r.print(checkLine(e));
  const all = [...r.steps.flatMap((s) => [...s.expectations, { name: `${s.step} as expected`, ok: s.ok }]), ...r.contract, ...r.faults, audit];
  const failed = all.filter((e) => !e.ok).length;
  return {
    runbook: r.file,
    title: r.title,
    ok: failed === 0,
    steps: r.steps,
    contract: r.contract,
    audit,
    faults: r.faults,
    aliases: world.aliasList(),
    timeline: await readTimeline(world.auditFile),
    passed: all.length - failed,
    failed,
    wallMs: Math.round(performance.now() - r.t0),
  };
}

function checkLine(e: Expectation): string {
  return `${e.ok ? '✓' : '✗'} ${e.name}${e.ok || !e.detail ? '' : ` — ${e.detail}`}`;
}

function stepLine(report: StepReport, total: number): string {
  const passed = report.expectations.filter((e) => e.ok).length;
  return `${report.ok ? '✓' : '✗'} [${report.index + 1}/${total}] ${report.step} → ${report.status}${report.code ? ` ${report.code}` : ''}${report.rerun ? ` (re-run: ${report.rerun.status})` : ''}  ${report.ms} ms, ${passed}/${report.expectations.length} checks`;
}


async function runCli(world: RunbookWorld, cap: CapabilityDefinition, input: Readonly<Record<string, unknown>>, index: number, extra: readonly string[] = []): Promise<StepOutcome & { message?: string }> {
  const { main } = await import('../../cli/main.js');
  const argv = await cliArgs(cap, input, { configFile: world.configFile, auditFile: world.auditFile, incidentId: world.incidentId, workDir: world.workDir, index, extra });
  const io = Object.assign(memoryIo({ ...world.env, USER: 'firebreak-drill' }, world.workDir), world.live ? {} : { clock: world.clock, sleep: world.clock.sleep });
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

/** Whole weeks from `start` to the week that ends at `now` (negative when `start` is after `now`). */
export function weeksToNow(start: Date, now: Date): number {
  return Math.floor((now.getTime() - start.getTime()) / (7 * 86_400_000));
}

/** Moves every timestamp the plan writes (`2026-12-02T09:30:00-08:00`) by whole days, keeping its time and offset as written. */
export function shiftPlan(fm: RunbookFrontMatter, days: number): RunbookFrontMatter {
  if (!days) return fm;
  const move = (text: string): string =>
    text.replace(/(\d{4})-(\d{2})-(\d{2})(T\d{2}:\d{2})/g, (_m, y: string, mo: string, d: string, t: string) => `${new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d) + days)).toISOString().slice(0, 10)}${t}`);
  const value = (v: unknown): unknown => (typeof v === 'string' ? move(v) : Array.isArray(v) ? v.map(value) : v);
  return {
    ...fm,
    ...(fm.drill_start ? { drill_start: move(fm.drill_start) } : {}),
    drill: fm.drill?.map((d) => ({ ...d, with: Object.fromEntries(Object.entries(d.with).map(([k, v]) => [k, value(v)])) as typeof d.with })),
  };
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

/** The timeline from the chain (verified just before): one line per sealed record. */
async function readTimeline(auditFile: string): Promise<RunbookDrillReport['timeline']> {
  return (await readChainRecords(auditFile)).map((r) => ({ at: r.time, step: r.step, status: r.status, incident: r.incidentId }));
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
