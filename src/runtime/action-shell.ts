import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { CompositeAuditSink, type AuditRecord, type AuditSink, type AuditStatus, type SealedEntry, AUDIT_FORMAT_VERSION } from '../core/audit.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { FirebreakError, InputError, asError, exitCodeFor } from '../core/errors.js';
import { KIT_VARIABLES } from '../core/names.js';
import { parseIncidentId as parseIncidentIdText } from '../core/incident-id.js';
import type { Plan, Result } from '../core/plan.js';
import { Redactor } from '../core/redact.js';
import { renderPlanMarkdown, renderPlanText, renderResultMarkdown, renderResultText } from '../core/render.js';
import { realSleep, systemClock, type Clock, type Logger, type Sleep } from '../core/runtime.js';
import { makeContext, maxChangesGuard, runStep, type GuardOverride, type StepDefinition } from '../core/step.js';
import { FileAuditSink } from '../providers/local/file-audit-sink.js';
import { AUDIT_MIRRORS, AuditMirrorError, buildAuditMirrors, type AuditMirrorFactory } from './audit-mirrors.js';
import { loadConfigFile } from './config-file.js';
import { DEFAULT_AUDIT_FILE, ENV } from './env.js';

/**
 * The one shell every firebreak action runs through:
 *
 *   mask secrets → read inputs → build ports → runStep → outputs, job summary, audit
 *
 * An action's `main.ts` is a single `runAction({ step, readInputs, buildPorts })` call: no domain
 * `if`s live in actions. Every thrown value fails the action (strings and plain objects included:
 * typescript-action's `instanceof Error` check lets them pass green) and sets `process.exitCode`
 * by error family, never `process.exit`, so buffered output and the summary are flushed.
 */

/** Inputs every action declares in its action.yml, with these exact names. */
export const COMMON_INPUTS = {
  /** Dry-run unless exactly `true`: a forgotten or mistyped value must never change production. */
  apply: 'apply',
  incidentId: 'incident-id',
  /** GuardError codes to override (comma or newline separated); needs `override-reason`. */
  overrideGuard: 'override-guard',
  overrideReason: 'override-reason',
} as const;

/** Outputs every action declares in its action.yml. */
export const COMMON_OUTPUTS = {
  status: 'status',
  planJson: 'plan-json',
  resultJson: 'result-json',
  auditHash: 'audit-hash',
  auditSeq: 'audit-seq',
} as const;

/**
 * Environment variables that hold credentials whatever the action: masked before anything else.
 * The runner masks `secrets.*` already, but a value exported by an earlier step (for example the
 * session token from configure-aws-credentials) only is if that step masked it.
 */
export const SECRET_ENV = [ENV.githubToken, ENV.githubDefaultToken, ENV.cloudflareToken, 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;

/** Reads `INPUT_*` values the way the runner passes them. All values are trimmed strings. */
export interface InputReader {
  /** The value, or '' when unset. */
  get(name: string): string;
  /** The value; an InputError naming the input when empty. */
  required(name: string): string;
  /** Items separated by newlines or commas, trimmed, empties dropped. */
  list(name: string): string[];
}

/** What `readInputs` and `buildPorts` get: the environment, the config and a way to mask. */
export interface ActionEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  config: FirebreakConfig;
  /** Registers a value (and each of its lines and encoded forms) with the log mask and redactor. */
  mask(value: string | undefined | null): void;
  logger: Logger;
  clock: Clock;
  sleep: Sleep;
}

export interface ActionDefinition<I, P> {
  step: StepDefinition<I, P>;
  /** Action input names that hold secrets: masked before any other input is read. */
  secretInputs?: readonly string[];
  /** Reads the action's own inputs (names from its constants object) into the step's raw input. */
  readInputs(read: InputReader, ctx: ActionEnvironment): Record<string, unknown>;
  /** Builds real clients from the environment and wraps them in the step's ports. */
  buildPorts(ctx: ActionEnvironment): P | Promise<P>;
}

export interface RunActionOptions {
  clock?: Clock;
  sleep?: Sleep;
  /** Mirror factories; defaults to the AUDIT_MIRRORS registry. */
  mirrors?: readonly AuditMirrorFactory[];
  loadConfig?: () => Promise<FirebreakConfig>;
}

export interface ActionRun {
  status: AuditStatus;
  exitCode: number;
  entry: SealedEntry | undefined;
  error: unknown;
}

/** A sink wrapper that remembers the entry, so outputs exist even when runStep throws. */
class RecordingSink implements AuditSink {
  last: SealedEntry | undefined;
  constructor(private readonly inner: AuditSink) {}
  async append(record: AuditRecord): Promise<SealedEntry> {
    this.last = await this.inner.append(record);
    return this.last;
  }
}

/**
 * Optional env var holding `${{ toJSON(vars) }}`: a workflow passes every environment variable in
 * one line instead of mapping each kit variable. Only names in KIT_VARIABLES are taken from it, and
 * an explicitly set env var wins.
 */
export const KIT_VARS_JSON_ENV = ENV.kitVarsJson;

export function withKitVariables(env: Readonly<Record<string, string | undefined>>): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = { ...env };
  const json = env[KIT_VARS_JSON_ENV]?.trim();
  if (!json) return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new InputError(`${KIT_VARS_JSON_ENV} is not JSON; set it to \${{ toJSON(vars) }}`, { field: KIT_VARS_JSON_ENV });
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`${KIT_VARS_JSON_ENV} must be a JSON object of variables; set it to \${{ toJSON(vars) }}`, { field: KIT_VARS_JSON_ENV });
  }
  for (const name of Object.values(KIT_VARIABLES)) {
    const v = (parsed as Record<string, unknown>)[name];
    if (typeof v === 'string' && !out[name]?.trim()) out[name] = v;
  }
  return out;
}

export async function runAction<I, P>(def: ActionDefinition<I, P>, options: RunActionOptions = {}): Promise<ActionRun> {
  let env: Readonly<Record<string, string | undefined>> = process.env;
  const redactor = new Redactor();
  const mask = (value: string | undefined | null): void => maskEverywhere(value, redactor);
  let failure: unknown;
  let sink: RecordingSink | undefined;
  let composite: CompositeAuditSink | undefined;
  let started = false;
  const partial: Partial<AuditRecord> = { step: def.step.name, dryRun: true, incidentId: null, input: {} };

  try {
    // Mask first: nothing below may log or throw before every known secret is registered.
    for (const name of def.secretInputs ?? []) mask(core.getInput(name));
    for (const name of SECRET_ENV) mask(env[name]);

    const clock = options.clock ?? systemClock;
    const sleep = options.sleep ?? realSleep;
    const logger = actionsLogger(redactor);
    const actor = env.GITHUB_ACTOR?.trim() || 'unknown';
    const runUrl = runUrlFrom(env);
    Object.assign(partial, { actor, runUrl });

    // Mirrors may need kit variables (the evidence bucket); a malformed FIREBREAK_VARS is reported
    // once the chain file can record the refusal.
    let kitVariablesError: unknown;
    try {
      env = withKitVariables(env);
    } catch (error) {
      kitVariablesError = error;
    }
    const auditFile = env[ENV.auditFile]?.trim() || DEFAULT_AUDIT_FILE;
    const mirrors = await buildAuditMirrors({ env, mask, logger }, options.mirrors ?? AUDIT_MIRRORS);
    composite = new CompositeAuditSink(new FileAuditSink(auditFile), mirrors);
    sink = new RecordingSink(composite);
    if (kitVariablesError !== undefined) throw kitVariablesError;

    const read = inputReader();
    const dryRun = !parseApply(read.get(COMMON_INPUTS.apply));
    const incidentId = parseIncidentId(read.get(COMMON_INPUTS.incidentId));
    Object.assign(partial, { dryRun, incidentId });
    const overrides = parseOverrides(read.get(COMMON_INPUTS.overrideGuard), read.get(COMMON_INPUTS.overrideReason));
    if (overrides.length) partial.override = overrides[0];

    const config = await (options.loadConfig ?? (() => loadConfigFile()))();
    const actionEnv: ActionEnvironment = { env, config, mask, logger, clock, sleep };
    const raw = def.readInputs(read, actionEnv);
    for (const field of def.step.secretInputs ?? []) {
      const v = raw[field];
      if (typeof v === 'string') mask(v);
    }
    partial.input = redactor.redact(raw, def.step.secretInputs);
    const ports = await def.buildPorts(actionEnv);

    const ctx = makeContext({
      audit: sink,
      clock,
      sleep,
      logger,
      actor,
      incidentId,
      runUrl,
      dryRun,
      redactor,
      guards: [maxChangesGuard(config.limits.max_changes_per_run)],
      overrides,
      progress: (m) => logger.info(m),
    });
    core.info(`firebreak ${def.step.name}: ${dryRun ? 'dry run (set apply: true to change anything)' : 'applying'}`);
    started = true;
    await runStep(def.step, raw, ports, ctx);
    // runStep returns normally when the thrown value was `undefined`; the record still says how it ended.
    const ended = sink.last?.record.status;
    if (ended === 'failed' || ended === 'refused' || ended === 'partial') throw new Error(`step ${def.step.name} ended ${ended}: undefined was thrown`);
  } catch (thrown) {
    failure = thrown === undefined ? new Error('undefined was thrown') : thrown;
  }

  // Refusals before the step started (bad common inputs, config, ports) are audited too.
  if (failure !== undefined && !started && sink && !sink.last) {
    try {
      await sink.append(refusedRecord(partial, failure, redactor, options.clock ?? systemClock));
    } catch (auditFailure) {
      core.error(redactor.scrub(`audit record could not be written: ${asError(auditFailure).message}`));
    }
  }
  if (failure === undefined && composite?.failures.length) {
    const names = composite.failures.map((f) => `${f.mirror}: ${asError(f.error).message}`).join('; ');
    failure = new AuditMirrorError(`the audit record was sealed in the chain file but not copied to ${names}`, {
      hint: 'The step itself ran as reported above. Fix the mirror and copy the record from the job summary.',
    });
  }

  const entry = sink?.last;
  const status: AuditStatus = entry?.record.status ?? 'failed';
  const exitCode = failure === undefined ? 0 : exitCodeFor(failure);
  try {
    report(def.step.name, entry, status, failure, redactor, env[ENV.auditFile]?.trim() || DEFAULT_AUDIT_FILE);
    await writeSummary(def.step.name, entry, status, failure, redactor, partial);
  } catch (reportFailure) {
    // A broken summary must not hide the real outcome; it fails the run if nothing else did.
    core.error(redactor.scrub(`could not write outputs or summary: ${asError(reportFailure).message}`));
    if (failure === undefined) failure = reportFailure ?? new Error('reporting failed');
  }
  if (failure !== undefined) {
    const err = asError(failure);
    const code = failure instanceof FirebreakError ? failure.code : 'UNEXPECTED';
    core.setFailed(redactor.scrub(`${code}: ${err.message}`));
    process.exitCode = exitCode === 0 ? 1 : exitCode;
  }
  return { status, exitCode: failure === undefined ? 0 : exitCode || 1, entry, error: failure };
}

function inputReader(): InputReader {
  const get = (name: string): string => core.getInput(name).trim();
  return {
    get,
    required(name) {
      const v = get(name);
      if (v === '') throw new InputError(`input "${name}" is required`, { field: name, code: 'INPUT_REQUIRED' });
      return v;
    },
    list(name) {
      return get(name)
        .split(/[\n,]/)
        .map((s) => s.trim())
        .filter((s) => s !== '');
    },
  };
}

/** Only an explicit YAML true applies; empty is a dry run; anything else is a typo worth stopping. */
export function parseApply(value: string): boolean {
  if (value === '' || /^(false|False|FALSE)$/.test(value)) return false;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  throw new InputError(`input "${COMMON_INPUTS.apply}" must be true or false, got "${value.slice(0, 40)}"`, {
    field: COMMON_INPUTS.apply,
    hint: 'Leave it empty or false for a dry run; set it to true to change production.',
  });
}

/** The action's `incident-id` input: empty is no incident; the grammar is src/core/incident-id.ts. */
export function parseIncidentId(value: string): string | null {
  return parseIncidentIdText(value, { field: COMMON_INPUTS.incidentId });
}

export function parseOverrides(guards: string, reason: string): GuardOverride[] {
  const codes = guards
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (codes.length === 0) {
    if (reason !== '') throw new InputError(`input "${COMMON_INPUTS.overrideReason}" was given without "${COMMON_INPUTS.overrideGuard}"`, { field: COMMON_INPUTS.overrideGuard });
    return [];
  }
  const bad = codes.find((c) => !/^[A-Z][A-Z0-9_]*$/.test(c));
  if (bad !== undefined) throw new InputError(`input "${COMMON_INPUTS.overrideGuard}" holds "${bad.slice(0, 40)}", not a guard code like BLAST_RADIUS`, { field: COMMON_INPUTS.overrideGuard });
  if (reason === '') {
    throw new InputError(`overriding ${codes.join(', ')} needs a reason in "${COMMON_INPUTS.overrideReason}"`, {
      field: COMMON_INPUTS.overrideReason,
      hint: 'The reason is written to the audit record next to your name.',
    });
  }
  return codes.map((guard) => ({ guard, reason }));
}

/**
 * `core.setSecret` masks one line: a multi-line secret (a PEM key, a JSON credential) is masked
 * line by line, and its base64 and URL-encoded forms too, since those leak through the same logs.
 */
export function maskEverywhere(value: string | undefined | null, redactor: Redactor): void {
  if (typeof value !== 'string' || value.trim() === '') return;
  const forms = new Set<string>([value]);
  const lines = value.split(/\r?\n/).map((l) => l.trim());
  if (lines.length > 1) for (const line of lines) if (line.length >= 4) forms.add(line);
  forms.add(Buffer.from(value, 'utf8').toString('base64'));
  forms.add(encodeURIComponent(value));
  for (const f of forms) {
    core.setSecret(f);
    redactor.register(f);
  }
}

function runUrlFrom(env: Readonly<Record<string, string | undefined>>): string | null {
  const server = env.GITHUB_SERVER_URL?.trim();
  const repo = env.GITHUB_REPOSITORY?.trim();
  const run = env.GITHUB_RUN_ID?.trim();
  if (!server || !repo || !run) return null;
  return `${server.replace(/\/+$/, '')}/${repo}/actions/runs/${run}`;
}

function actionsLogger(redactor: Redactor): Logger {
  return {
    info: (m) => core.info(redactor.scrub(m)),
    warn: (m) => core.warning(redactor.scrub(m)),
    error: (m) => core.error(redactor.scrub(m)),
    debug: (m) => core.debug(redactor.scrub(m)),
  };
}

function refusedRecord(partial: Partial<AuditRecord>, failure: unknown, redactor: Redactor, clock: Clock): AuditRecord {
  return {
    v: AUDIT_FORMAT_VERSION,
    time: clock.now().toISOString(),
    incidentId: partial.incidentId ?? null,
    actor: partial.actor ?? 'unknown',
    runUrl: partial.runUrl ?? null,
    step: partial.step ?? 'unknown',
    status: 'refused',
    dryRun: partial.dryRun ?? true,
    input: partial.input ?? {},
    plan: null,
    result: null,
    error: errorView(failure, redactor),
    override: partial.override,
  };
}

function errorView(failure: unknown, redactor: Redactor): { code: string; message: string; hint?: string } {
  const err = asError(failure);
  const code = failure instanceof FirebreakError ? failure.code : 'UNEXPECTED';
  const hint = failure instanceof FirebreakError ? failure.hint : undefined;
  return { code, message: redactor.scrub(err.message), ...(hint ? { hint: redactor.scrub(hint) } : {}) };
}

function report(step: string, entry: SealedEntry | undefined, status: AuditStatus, failure: unknown, redactor: Redactor, auditFile: string): void {
  const plan = (entry?.record.plan ?? null) as Plan | null;
  const result = (entry?.record.result ?? null) as Result | null;
  if (plan) core.info(redactor.scrub(renderPlanText(plan)));
  if (result) core.info(redactor.scrub(renderResultText(step, result)));
  if (entry) core.info(`audit: record ${entry.seq} hash ${entry.hash} in ${auditFile}`);
  core.setOutput(COMMON_OUTPUTS.status, status);
  core.setOutput(COMMON_OUTPUTS.planJson, capOutput(redactor.scrub(JSON.stringify(plan)), entry));
  core.setOutput(COMMON_OUTPUTS.resultJson, capOutput(redactor.scrub(JSON.stringify(result)), entry));
  core.setOutput(COMMON_OUTPUTS.auditHash, entry?.hash ?? '');
  core.setOutput(COMMON_OUTPUTS.auditSeq, entry ? String(entry.seq) : '');
  if (failure !== undefined && !entry) core.warning('no audit record was written for this run');
}

/** A step output may hold 1 MB; a larger plan (10,000 CIDRs) is referred to its audit record. */
export const OUTPUT_LIMIT = 512 * 1024;

function capOutput(json: string, entry: SealedEntry | undefined): string {
  if (json.length <= OUTPUT_LIMIT) return json;
  return JSON.stringify({ truncated: true, bytes: json.length, auditSeq: entry?.seq ?? null, auditHash: entry?.hash ?? null });
}

/** Job summaries are capped at 1 MiB per step; the record copy gives way first. */
const SUMMARY_RECORD_LIMIT = 512 * 1024;

export function renderSummary(step: string, entry: SealedEntry | undefined, status: AuditStatus, failure: unknown, redactor: Redactor, partial: Partial<AuditRecord>): string {
  const record = entry?.record;
  const dryRun = record?.dryRun ?? partial.dryRun ?? true;
  const mode = dryRun ? 'dry run — nothing was changed' : 'apply';
  const lines = [
    `## firebreak \`${step}\`: ${status}`,
    '',
    '| | |',
    '|---|---|',
    `| mode | ${mode} |`,
    `| actor | ${cell(record?.actor ?? partial.actor ?? 'unknown')} |`,
    `| incident | ${cell(record?.incidentId ?? partial.incidentId ?? '—')} |`,
    `| run | ${cell(record?.runUrl ?? partial.runUrl ?? '—')} |`,
  ];
  const override = record?.override ?? partial.override;
  if (override) lines.push(`| override | \`${cell(override.guard)}\`: ${cell(override.reason)} |`);
  lines.push('');
  if (record?.plan) lines.push(renderPlanMarkdown(record.plan as Plan), '');
  if (record?.result) lines.push(renderResultMarkdown(step, record.result as Result), '');
  if (failure !== undefined) {
    const e = errorView(failure, redactor);
    lines.push('### Error', '', `**\`${e.code}\`** ${cell(e.message)}`, '');
    if (e.hint) lines.push(`> ${cell(e.hint)}`, '');
  }
  if (entry) {
    const line = `{"seq":${entry.seq},"prev":"${entry.prev}","hash":"${entry.hash}","record":${canonicalJson(entry.record)}}`;
    lines.push('### Audit', '', `Record **${entry.seq}**, hash \`${entry.hash}\`, previous \`${entry.prev}\`.`, '');
    if (line.length <= SUMMARY_RECORD_LIMIT) {
      const fence = '`'.repeat(Math.max(3, longestBacktickRun(line) + 1));
      lines.push('<details><summary>Audit record (the sealed line; its hash can be recomputed from it)</summary>', '', `${fence}json`, line, fence, '', '</details>', '');
    } else {
      lines.push(`The sealed line is ${line.length} bytes, too large for a job summary: read it from the audit file or a mirror.`, '');
    }
  }
  return redactor.scrub(lines.join('\n'));
}

async function writeSummary(step: string, entry: SealedEntry | undefined, status: AuditStatus, failure: unknown, redactor: Redactor, partial: Partial<AuditRecord>): Promise<void> {
  const md = renderSummary(step, entry, status, failure, redactor, partial);
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (!file) {
    core.debug('GITHUB_STEP_SUMMARY is not set; summary printed to the log instead');
    core.info(md);
    return;
  }
  // Appended directly: core.summary caches the file path of its first use in a process.
  await appendFile(file, `${md}\n`, 'utf8');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function longestBacktickRun(text: string): number {
  let max = 0;
  for (const m of text.matchAll(/`+/g)) max = Math.max(max, m[0].length);
  return max;
}
