import { parseIncidentId } from '../core/incident-id.js';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { FirebreakConfig } from '../core/config/schema.js';
import { InputError, PartialFailureError } from '../core/errors.js';
import { renderPlanText, renderResultText } from '../core/render.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import type { Guard, GuardOverride, StepDefinition, StepRun } from '../core/step.js';
import type { AuditMirrorFactory } from '../runtime/audit-mirrors.js';
import { loadConfigFile } from '../runtime/config-file.js';
import { DEFAULT_AUDIT_FILE, ENV } from '../runtime/env.js';
import { runSession, type SessionContext, type SessionRun, type SessionSource } from '../runtime/session.js';
import { globalsOf, ioOf, printJson, type CliIo } from './io.js';

/**
 * The one way a CLI command runs a step: shared options, a StepContext built from them, the plan and
 * result printed as text or JSON. A command supplies the raw input and a port factory; everything
 * else (dry-run default, audit, guards, overrides) is the same for every step.
 */

export interface StepOptions {
  apply: boolean;
  config?: string;
  auditFile?: string;
  incident?: string;
  actor?: string;
  overrideGuard: string[];
  overrideReason: string[];
}

/** What a command's port factory receives. */
export interface StepEnv {
  config: FirebreakConfig;
  /** The process environment (or a test's). Build real clients from it via src/runtime. */
  env: Record<string, string | undefined>;
  logger: Logger;
  io: CliIo;
  dryRun: boolean;
  clock: Clock;
  sleep: Sleep;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Adds the shared step options to a command. Call before `.action(...)`. */
export function addStepOptions(cmd: Command): Command {
  return cmd
    .option('--apply', 'make the changes (default: dry-run, print the plan only)', false)
    .option('--config <file>', `firebreak.yml to use (default: $${ENV.configFile} or ./firebreak.yml)`)
    .option('--audit-file <file>', `audit chain to append to (default: $${ENV.auditFile} or ${DEFAULT_AUDIT_FILE})`)
    .option('--incident <id>', 'incident this run belongs to (recorded in the audit record)')
    .option('--actor <name>', 'who runs this (default: $USER)')
    .addOption(new Option('--override-guard <code>', 'override a guard by its code (repeatable; needs --override-reason)').argParser(collect).default([]))
    .addOption(new Option('--override-reason <text>', 'why the guard is overridden (recorded in the audit record)').argParser(collect).default([]));
}

/** Reads the shared options of a command registered with `addStepOptions`. */
export function stepOptionsOf(cmd: Command): StepOptions {
  const o = cmd.opts<Partial<StepOptions>>();
  return {
    apply: o.apply === true,
    config: o.config,
    auditFile: o.auditFile,
    incident: o.incident,
    actor: o.actor,
    overrideGuard: o.overrideGuard ?? [],
    overrideReason: o.overrideReason ?? [],
  };
}

export function overridesFrom(opts: Pick<StepOptions, 'overrideGuard' | 'overrideReason'>): GuardOverride[] {
  if (opts.overrideGuard.length !== opts.overrideReason.length) {
    throw new InputError('each --override-guard needs its own --override-reason', {
      field: 'override-reason',
      hint: 'Give the reason a reviewer will read, e.g. --override-guard BLAST_RADIUS --override-reason "botnet, 14k sources, approved by IC"',
    });
  }
  return opts.overrideGuard.map((guard, i) => {
    const reason = opts.overrideReason[i]!.trim();
    if (reason === '') throw new InputError(`--override-reason for ${guard} is empty`, { field: 'override-reason' });
    return { guard: guard.trim(), reason };
  });
}

/** The config for a command: `--config` or the defaults chain, resolved against the command's cwd. */
export function loadCliConfig(file: string | undefined, io: CliIo): Promise<FirebreakConfig> {
  return loadConfigFile(file, io);
}

export function auditFileFor(opts: Pick<StepOptions, 'auditFile'>, io: CliIo): string {
  return resolve(io.cwd, opts.auditFile ?? io.env[ENV.auditFile] ?? DEFAULT_AUDIT_FILE);
}

export function actorFor(opts: Pick<StepOptions, 'actor'>, io: CliIo): string {
  const fromEnv = io.env.USER ?? io.env.USERNAME;
  if (opts.actor?.trim()) return opts.actor.trim();
  if (fromEnv?.trim()) return fromEnv.trim();
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** A logger on stderr that scrubs every registered secret. */
export function stderrLogger(io: CliIo, verbose: boolean): Logger {
  const say = (prefix: string) => (m: string) => io.stderr(io.redactor.scrub(`${prefix}${m}`));
  return { info: say(''), warn: say('warning: '), error: say('error: '), debug: verbose ? say('debug: ') : () => {} };
}

export interface RunStepCommandOptions<P> {
  /** Runs after a successful step with the same source (the notify hook, src/runtime/notify-hook.ts). */
  followUp?(source: SessionSource, session: SessionRun<unknown>, config: FirebreakConfig): Promise<void>;
  /** Builds the step's ports (real clients from env); called after config is loaded. */
  ports(env: StepEnv): P | Promise<P>;
  /** Guards beyond the blast-radius cap from config (e.g. protected ranges). */
  guards?(env: StepEnv): Guard[];
  /** Audit mirrors (default: AUDIT_MIRRORS, e.g. the incident issue); tests pass their own. */
  mirrors?: readonly AuditMirrorFactory[];
  /**
   * What a mirror that fails means. `warn` (default): the record is sealed in the chain file, which
   * is what a laptop run needs when GitHub is down. `fail`: for steps whose state lives on the
   * mirror (the incident issue), an uncopied record is an error the responder must see.
   */
  mirrorFailure?: 'warn' | 'fail';
  /**
   * The incident id when the command knows it better than `--incident` (declare mints it). A
   * function runs inside the session, so a refusal there is a refused record.
   */
  incidentId?: string | (() => string | undefined);
  /** Turns the raw values into the step's input inside the session (a refusal is recorded). */
  prepare?(raw: Record<string, unknown>, env: Readonly<Record<string, string | undefined>>): Record<string, unknown>;
}

/**
 * Runs `step` with `raw` input for the command `cmd`, prints the plan and result, and returns the
 * run. The CLI is an adapter over the run session (src/runtime/session.ts): it supplies the options
 * and the io; the session registers credentials, loads config, builds sinks and guards, and leaves
 * one record, refused ones included. Throws the run's typed error (after its record is written and
 * the result printed); `main` renders it through the same error view as the action.
 */
export async function runStepCommand<I, P>(cmd: Command, step: StepDefinition<I, P>, raw: Record<string, unknown>, options: RunStepCommandOptions<P>): Promise<StepRun<I>> {
  const io = ioOf(cmd);
  const globals = globalsOf(cmd);
  const opts = stepOptionsOf(cmd);
  const auditFile = auditFileFor(opts, io);
  let stepEnv: StepEnv | undefined;
  const envOf = (ctx: SessionContext): StepEnv => (stepEnv ??= { config: ctx.config, env: { ...ctx.env }, logger: ctx.logger, io, dryRun: ctx.dryRun, clock: ctx.clock, sleep: ctx.sleep });
  const source: SessionSource = {
      env: io.env,
      actor: actorFor(opts, io),
      runUrl: null,
      auditFile,
      redactor: io.redactor,
      logger: () => stderrLogger(io, globals.verbose),
      ...(io.clock ? { clock: io.clock } : {}),
      ...(io.sleep ? { sleep: io.sleep } : {}),
      ...(options.mirrors ? { mirrors: options.mirrors } : {}),
      // Unlike in an action, a mirror that fails only warns by default: the CLI is the break-glass
      // path for when GitHub itself is down, and the record is sealed in the chain file either way.
      mirrorFailure: options.mirrorFailure ?? 'warn',
    };
  const session = await runSession(
    source,
    {
      step,
      common: { dryRun: () => !opts.apply, incidentId: () => (typeof options.incidentId === 'function' ? options.incidentId() : options.incidentId) ?? parseIncidentId(opts.incident, { field: '--incident' }), overrides: () => overridesFrom(opts) },
      config: (env) => loadConfigFile(opts.config, { env, cwd: io.cwd }),
      input: options.prepare ? (ctx) => options.prepare!(raw, ctx.env) : raw,
      ports: (ctx) => options.ports(envOf(ctx)),
      guards: (ctx) => options.guards?.(envOf(ctx)) ?? [],
    },
  );
  if (session.failure !== undefined) {
    if (session.failure instanceof PartialFailureError && !globals.json) {
      io.stdout(io.redactor.scrub(renderResultText(step.name, session.failure.result as never)));
    }
    throw session.failure;
  }
  const run = session.run!;
  printRun(io, globals.json, step.name, run, auditFile);
  if (options.followUp && stepEnv) await options.followUp({ ...source, mirrorFailure: 'warn' }, session as SessionRun<unknown>, stepEnv.config);
  return run;
}

export function printRun(io: CliIo, json: boolean, stepName: string, run: StepRun<unknown>, auditFile: string): void {
  const dryRun = run.entry.record.dryRun;
  if (json) {
    printJson(io, {
      ok: true,
      step: stepName,
      dryRun,
      status: run.entry.record.status,
      plan: run.entry.record.plan,
      result: run.entry.record.result,
      overridden: run.overridden,
      audit: { file: auditFile, seq: run.entry.seq, hash: run.entry.hash },
    });
    return;
  }
  const out: string[] = [];
  if (run.plan) out.push(renderPlanText(run.plan));
  if (dryRun) out.push('dry run: nothing changed. Re-run with --apply to make these changes.');
  else if (run.result) out.push(renderResultText(stepName, run.result));
  out.push(`audit: record ${run.entry.seq} ${run.entry.hash.slice(0, 16)}… appended to ${auditFile}`);
  io.stdout(io.redactor.scrub(out.join('\n')));
}
