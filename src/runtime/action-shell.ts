import { appendFile } from 'node:fs/promises';
import * as core from '@actions/core';
import type { AuditRecord, AuditStatus, SealedEntry } from '../core/audit.js';
import { canonicalJson } from '../core/canonical-json.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { errorView } from '../core/error-view.js';
import { InputError, asError, exitCodeFor } from '../core/errors.js';
import { parseIncidentId as parseIncidentIdText } from '../core/incident-id.js';
import type { Plan, Result } from '../core/plan.js';
import { encodedForms, type Redactor } from '../core/redact.js';
import { actionLogText, renderPlanMarkdown, terminalText, renderPlanText, renderResultMarkdown, renderResultText } from '../core/render.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import type { Guard, GuardOverride, StepDefinition } from '../core/step.js';
import type { AuditMirrorFactory } from './audit-mirrors.js';
import { loadConfigFile } from './config-file.js';
import { DEFAULT_AUDIT_FILE, ENV } from './env.js';
import { runSession, type SessionContext } from './session.js';

/**
 * The one shell every firebreak action runs through, an adapter over the run session
 * (./session.ts, shared with the CLI):
 *
 *   mask secrets → read inputs → config → build ports → runStep → outputs, job summary, audit
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

/** Environment variables that hold credentials: registered by the run session before anything else. */
export { SECRET_ENV } from './env.js';

/** Reads `INPUT_*` values the way the runner passes them. All values are trimmed strings. */
export interface InputReader {
  /** The value, or '' when unset. */
  get(name: string): string;
  /** The value; an InputError naming the input when empty. */
  required(name: string): string;
  /** Items separated by newlines or commas, trimmed, empties dropped. */
  list(name: string): string[];
}

/** What `buildPorts` gets: the environment, the config and a way to mask. */
export interface ActionEnvironment {
  env: Readonly<Record<string, string | undefined>>;
  config: FirebreakConfig;
  /** Registers a value (and each of its lines and encoded forms) with the log mask and redactor. */
  mask(value: string | undefined | null): void;
  logger: Logger;
  clock: Clock;
  sleep: Sleep;
}

/** What `readInputs` gets: inputs are read before the config, so a config refusal records them. */
export type ActionInputEnvironment = Omit<ActionEnvironment, 'config'>;

export interface ActionDefinition<I, P> {
  step: StepDefinition<I, P>;
  /** Action input names that hold secrets: masked before any other input is read. */
  secretInputs?: readonly string[];
  /** Reads the action's own inputs (names from its constants object) into the step's raw input. */
  readInputs(read: InputReader, ctx: ActionInputEnvironment): Record<string, unknown>;
  /** Builds real clients from the environment and wraps them in the step's ports. */
  buildPorts(ctx: ActionEnvironment): P | Promise<P>;
  /** Guards beyond the blast-radius cap from config. */
  guards?(ctx: ActionEnvironment): Guard[];
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

export { KIT_VARS_JSON_ENV, withKitVariables } from './session.js';

/** What a failed action says to do next when the error carries no hint. */
const ACTION_HINTS = {
  guard: 'Nothing was changed. Narrow the request, or set override-guard and override-reason (recorded in the audit record).',
  unexpected: 'This is a bug or an unhandled condition: report it with the audit record.',
} as const;

/**
 * An action is an adapter over the run session: inputs come from `INPUT_*`, the log mask is
 * `core.setSecret`, and the run is reported as outputs, log lines and the job summary.
 */
export async function runAction<I, P>(def: ActionDefinition<I, P>, options: RunActionOptions = {}): Promise<ActionRun> {
  const env: Readonly<Record<string, string | undefined>> = process.env;
  const read = inputReader();
  // Secret inputs are read raw (untrimmed) and masked before any other input is read.
  const secrets = (def.secretInputs ?? []).map((name) => core.getInput(name));

  const session = await runSession(
    {
      env,
      actor: env.GITHUB_ACTOR?.trim() || 'unknown',
      runUrl: runUrlFrom(env),
      auditFile: env[ENV.auditFile]?.trim() || DEFAULT_AUDIT_FILE,
      secrets,
      onSecret: (form) => core.setSecret(form),
      logger: actionsLogger,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.mirrors ? { mirrors: options.mirrors } : {}),
      mirrorFailure: 'fail',
    },
    {
      step: def.step,
      common: {
        dryRun: () => !parseApply(read.get(COMMON_INPUTS.apply)),
        incidentId: () => parseIncidentId(read.get(COMMON_INPUTS.incidentId)),
        overrides: () => parseOverrides(read.get(COMMON_INPUTS.overrideGuard), read.get(COMMON_INPUTS.overrideReason)),
      },
      config: () => (options.loadConfig ?? (() => loadConfigFile()))(),
      input: (ctx) => def.readInputs(read, { env: ctx.env, mask: ctx.mask, logger: ctx.logger, clock: ctx.clock, sleep: ctx.sleep }),
      ports: (ctx) => def.buildPorts({ env: ctx.env, config: ctx.config, mask: ctx.mask, logger: ctx.logger, clock: ctx.clock, sleep: ctx.sleep }),
      ...(def.guards ? { guards: (ctx: SessionContext) => def.guards!({ env: ctx.env, config: ctx.config, mask: ctx.mask, logger: ctx.logger, clock: ctx.clock, sleep: ctx.sleep }) } : {}),
      onStart: (ctx) => core.info(`firebreak ${def.step.name}: ${ctx.dryRun ? 'dry run (set apply: true to change anything)' : 'applying'}`),
    },
  );

  const { entry, status, redactor, partial } = session;
  let failure = session.failure;
  let exitCode = session.exitCode;
  try {
    report(def.step.name, entry, status, failure, redactor, session.auditFile);
    await writeSummary(def.step.name, entry, status, failure, redactor, partial);
  } catch (reportFailure) {
    // A broken summary must not hide the real outcome; it fails the run if nothing else did.
    core.error(redactor.scrub(`could not write outputs or summary: ${asError(reportFailure).message}`));
    if (failure === undefined) {
      failure = reportFailure ?? new Error('reporting failed');
      exitCode = exitCodeFor(failure) || 1;
    }
  }
  if (failure !== undefined) {
    const view = errorView(failure, redactor, ACTION_HINTS);
    core.setFailed(terminalText(`${view.code}: ${view.message}`));
    process.exitCode = exitCode === 0 ? 1 : exitCode;
  }
  return { status, exitCode: failure === undefined ? 0 : exitCode || 1, entry, error: failure };
}

/**
 * The notify hook for an action: same environment, log mask and chain file as the step that just
 * ran, after the step's own outputs and summary are written. A failed delivery is a warning
 * annotation on the job and a failed outcome in the notify record on the incident issue.
 */
export async function notifyAfterAction(slug: string, run: ActionRun, options: RunActionOptions = {}): Promise<void> {
  const { NOTIFY_AFTER, notifyAfter } = await import('./notify-hook.js');
  if (!NOTIFY_AFTER.has(slug) || !run.entry) return;
  const record = run.entry.record;
  const env: Readonly<Record<string, string | undefined>> = process.env;
  const config = await (options.loadConfig ?? (() => loadConfigFile()))();
  const notified = await notifyAfter(slug, { status: record.status, dryRun: record.dryRun, incidentId: record.incidentId }, {
    env,
    actor: env.GITHUB_ACTOR?.trim() || 'unknown',
    runUrl: runUrlFrom(env),
    auditFile: env[ENV.auditFile]?.trim() || DEFAULT_AUDIT_FILE,
    onSecret: (form) => core.setSecret(form),
    logger: actionsLogger,
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.mirrors ? { mirrors: options.mirrors } : {}),
    mirrorFailure: 'fail',
  }, config);
  if (!notified) return;
  // Logged, not written as outputs: the job's outputs stay the incident step's own.
  core.info(notified.redactor.scrub(`firebreak notify after ${slug}: ${notified.status}${notified.entry ? ` (record ${notified.entry.seq})` : ''}`));
  if (notified.failure !== undefined) {
    // A warning, not a failed job: the incident step applied, the notify record on the issue names
    // each failed delivery, and the next hook (the tick) or the notify button delivers only those.
    const view = errorView(notified.failure, notified.redactor, ACTION_HINTS);
    core.warning(terminalText(`notify after ${slug}: ${view.code}: ${view.message} — run notify again (or wait for the next tick) to deliver what failed`));
  }
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

/** Registers a value and each of its encoded forms (see `encodedForms`) with the log mask and redactor. */
export function maskEverywhere(value: string | undefined | null, redactor: Redactor): void {
  if (typeof value !== 'string' || value.trim() === '') return;
  redactor.register(value);
  for (const f of encodedForms(value)) core.setSecret(f);
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
    info: (m) => core.info(actionLogText(redactor.scrub(m))),
    warn: (m) => core.warning(terminalText(redactor.scrub(m))),
    error: (m) => core.error(terminalText(redactor.scrub(m))),
    debug: (m) => core.debug(redactor.scrub(m)),
  };
}

function report(step: string, entry: SealedEntry | undefined, status: AuditStatus, failure: unknown, redactor: Redactor, auditFile: string): void {
  const plan = (entry?.record.plan ?? null) as Plan | null;
  const result = (entry?.record.result ?? null) as Result | null;
  if (plan) core.info(actionLogText(redactor.scrub(renderPlanText(plan))));
  if (result) core.info(actionLogText(redactor.scrub(renderResultText(step, result))));
  if (entry) core.info(`audit: record ${entry.seq} hash ${entry.hash} in ${auditFile}`);
  core.setOutput(COMMON_OUTPUTS.status, status);
  core.setOutput(COMMON_OUTPUTS.planJson, capOutput(redactor.json(plan), entry));
  core.setOutput(COMMON_OUTPUTS.resultJson, capOutput(redactor.json(result), entry));
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
  const overrides = record?.overrides ?? partial.overrides ?? [record?.override ?? partial.override].filter((o) => o !== undefined);
  for (const o of overrides) lines.push(`| override | \`${cell(o.guard)}\`: ${cell(o.reason)} |`);
  lines.push('');
  if (record?.plan) lines.push(renderPlanMarkdown(record.plan as Plan), '');
  if (record?.result) lines.push(renderResultMarkdown(step, record.result as Result), '');
  if (failure !== undefined) {
    const e = errorView(failure, redactor, ACTION_HINTS);
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
