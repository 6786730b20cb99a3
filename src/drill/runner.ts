import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asError } from '../core/errors.js';
import { Redactor } from '../core/redact.js';
import { realSleep, systemClock, type Clock, type Logger, type Sleep } from '../core/runtime.js';
import { makeContext } from '../core/step.js';
import { FileAuditSink } from '../providers/local/file-audit-sink.js';
import { verifyAuditFile } from '../providers/local/verify-file.js';
import { parseAnchor } from '../core/audit.js';
import { readFile } from 'node:fs/promises';
import type { MotoServer } from './emulators/moto.js';
import type { ArgoEmulator } from './emulators/argocd/server.js';
import type { CloudflareEmulator } from './emulators/cloudflare/server.js';
import type { GitHubEmulator } from './emulators/github/server.js';
import type { DrillEnv, DrillScenario, EmulatorKind, Expectation } from './scenario.js';

/** How the runner starts each emulator; injected by tests, defaulted by `src/drill/main.ts`. */
export interface EmulatorStarters {
  aws?: () => Promise<MotoServer>;
  github?: () => Promise<GitHubEmulator>;
  cloudflare?: () => Promise<CloudflareEmulator>;
  argocd?: () => Promise<ArgoEmulator>;
}

export interface ScenarioReport {
  name: string;
  description: string;
  expectations: Expectation[];
  ok: boolean;
  ms: number;
}

export interface DrillReport {
  ok: boolean;
  scenarios: ScenarioReport[];
  /** Emulator contract checks (no call outside the providers' published API descriptions). */
  contract: Expectation[];
  /** The drill's own audit chain, verified after the last scenario. */
  audit: Expectation;
  failed: number;
  passed: number;
}

export interface RunDrillOptions {
  starters: EmulatorStarters;
  /** Progress lines (a line per scenario and expectation). */
  print?: (line: string) => void;
  log?: Logger;
  clock?: Clock;
  sleep?: Sleep;
  /** Keep the work dir (audit file) instead of removing it; for debugging. */
  keepWorkDir?: boolean;
  /** Registers the cleanup so a signal handler can run it; the runner also runs it in `finally`. */
  onCleanup?: (cleanup: () => Promise<void>) => void;
}

/**
 * Runs scenarios in order on shared emulators and reports every expectation. Emulators are ALWAYS
 * stopped (finally), whatever a scenario throws. A scenario that throws fails with the error as
 * its last expectation; the next scenario still runs.
 */
export async function runDrill(scenarios: readonly DrillScenario[], options: RunDrillOptions): Promise<DrillReport> {
  const print = options.print ?? (() => {});
  const log = options.log ?? { info: print, warn: (m) => print(`warning: ${m}`), error: (m) => print(`error: ${m}`), debug: () => {} };
  const needs = new Set<EmulatorKind>(scenarios.flatMap((s) => s.needs));
  const started: Array<{ kind: EmulatorKind; stop: () => Promise<void> }> = [];
  let workDir: string | undefined;
  let cleaned = false;

  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    // Reverse order, each stop isolated: one emulator failing to stop must not leave the others up.
    for (const e of started.reverse()) {
      try {
        await e.stop();
      } catch (error) {
        log.error(`stopping ${e.kind} emulator failed: ${asError(error).message}`);
      }
    }
    if (workDir && !options.keepWorkDir) await rm(workDir, { recursive: true, force: true });
  };
  options.onCleanup?.(cleanup);

  try {
    workDir = await mkdtemp(join(tmpdir(), 'firebreak-drill-'));
    const auditFile = join(workDir, 'audit.jsonl');
    const audit = new FileAuditSink(auditFile);
    const clock = options.clock ?? systemClock;
    const sleep = options.sleep ?? realSleep;
    const env: DrillEnv = {
      env: {},
      workDir,
      audit,
      auditFile,
      clock,
      sleep,
      log,
      context: (overrides = {}) =>
        makeContext({ clock, sleep, logger: log, audit, actor: 'firebreak-drill', incidentId: 'drill', dryRun: false, redactor: new Redactor(), ...overrides }),
    };

    for (const kind of ['aws', 'github', 'cloudflare', 'argocd'] as const) {
      if (!needs.has(kind)) continue;
      print(`starting ${kind} emulator…`);
      await startEmulator(kind, options.starters, env, started);
    }

    const reports: ScenarioReport[] = [];
    for (const scenario of scenarios) {
      print(`▶ ${scenario.name}: ${scenario.description}`);
      const t0 = performance.now();
      const expectations: Expectation[] = [];
      try {
        await scenario.setup?.(env);
        expectations.push(...(await scenario.run(env)));
        if (expectations.length === 0) expectations.push({ name: 'scenario checks something', ok: false, detail: 'run() returned no expectations' });
      } catch (error) {
        expectations.push({ name: 'scenario completes', ok: false, detail: `threw ${describe(error)}` });
      }
      for (const e of expectations) print(`  ${e.ok ? '✓' : '✗'} ${e.name}${e.ok || !e.detail ? '' : ` — ${e.detail}`}`);
      reports.push({ name: scenario.name, description: scenario.description, expectations, ok: expectations.every((e) => e.ok), ms: Math.round(performance.now() - t0) });
    }

    // Every call the drill made must have matched the providers' published API descriptions.
    const contract: Expectation[] = [];
    if (env.github) contract.push(attempt('every GitHub call matched the OpenAPI description', () => env.github!.assertNoViolations()));
    if (env.cloudflare) contract.push(attempt('every Cloudflare response matched its schema', () => env.cloudflare!.assertResponsesValid()));
    if (env.argocd) contract.push(attempt('every Argo CD call matched its Swagger description', () => env.argocd!.assertNoViolations()));
    const auditCheck = await verifyDrillAudit(auditFile);
    for (const e of [...contract, auditCheck]) print(`${e.ok ? '✓' : '✗'} ${e.name}${e.ok ? '' : ` — ${e.detail}`}`);
    const all = [...reports.flatMap((r) => r.expectations), ...contract, auditCheck];
    const failed = all.filter((e) => !e.ok).length;
    return { ok: failed === 0, scenarios: reports, contract, audit: auditCheck, failed, passed: all.length - failed };
  } finally {
    await cleanup();
  }
}

async function startEmulator(kind: EmulatorKind, starters: EmulatorStarters, env: DrillEnv, started: Array<{ kind: EmulatorKind; stop: () => Promise<void> }>): Promise<void> {
  if (kind === 'aws') {
    if (!starters.aws) throw new Error('a scenario needs the aws emulator but no starter is configured');
    const moto = await starters.aws();
    started.push({ kind, stop: () => moto.stop() });
    env.aws = moto;
    Object.assign(env.env, moto.env());
  } else if (kind === 'github') {
    if (!starters.github) throw new Error('a scenario needs the github emulator but no starter is configured');
    const gh = await starters.github();
    started.push({ kind, stop: () => gh.stop() });
    env.github = gh;
    Object.assign(env.env, gh.env());
  } else if (kind === 'argocd') {
    if (!starters.argocd) throw new Error('a scenario needs the argocd emulator but no starter is configured');
    const argo = await starters.argocd();
    started.push({ kind, stop: () => argo.stop() });
    env.argocd = argo;
    Object.assign(env.env, argo.env());
  } else {
    if (!starters.cloudflare) throw new Error('a scenario needs the cloudflare emulator but no starter is configured');
    const cf = await starters.cloudflare();
    started.push({ kind, stop: () => cf.stop() });
    env.cloudflare = cf;
    Object.assign(env.env, cf.env());
  }
}

/** The drill audits itself: every step it ran must be on an intact chain that reaches its anchor. */
export async function verifyDrillAudit(auditFile: string, name = "drill's own audit chain verifies against its anchor"): Promise<Expectation> {
  let anchorText: string;
  try {
    anchorText = await readFile(`${auditFile}.head`, 'utf8');
  } catch {
    return { name, ok: false, detail: 'no audit record was written (no scenario ran a step)' };
  }
  const anchor = parseAnchor(anchorText);
  if (!anchor) return { name, ok: false, detail: `anchor ${auditFile}.head is damaged` };
  const report = await verifyAuditFile(auditFile, { anchor });
  if (!report.ok) return { name, ok: false, detail: `line ${report.problem!.line}: ${report.problem!.reason}` };
  return { name: `${name} (${report.records} records)`, ok: true };
}

function attempt(name: string, fn: () => void): Expectation {
  try {
    fn();
    return { name, ok: true };
  } catch (error) {
    return { name, ok: false, detail: asError(error).message };
  }
}

function describe(error: unknown): string {
  const e = asError(error);
  const code = (e as { code?: unknown }).code;
  return `${e.name}${typeof code === 'string' ? ` ${code}` : ''}: ${e.message}`;
}

export function formatSummary(report: DrillReport): string {
  const lines = ['', 'drill report', ''];
  for (const s of report.scenarios) {
    const failed = s.expectations.filter((e) => !e.ok).length;
    lines.push(`${s.ok ? '✓' : '✗'} ${s.name.padEnd(24)} ${String(s.expectations.length - failed).padStart(3)}/${s.expectations.length} passed  ${s.ms} ms`);
  }
  for (const c of report.contract) lines.push(`${c.ok ? '✓' : '✗'} ${c.name}`);
  lines.push(`${report.audit.ok ? '✓' : '✗'} ${report.audit.name}`);
  lines.push('', report.ok ? `PASS: ${report.passed} expectation(s) held` : `FAIL: ${report.failed} of ${report.passed + report.failed} expectation(s) failed`);
  return lines.join('\n');
}
