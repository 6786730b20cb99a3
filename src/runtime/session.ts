import { AUDIT_FORMAT_VERSION, CompositeAuditSink, type AuditRecord, type AuditSink, type AuditStatus, type SealedEntry } from '../core/audit.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import { recordedError } from '../core/error-view.js';
import { InputError, asError, exitCodeFor } from '../core/errors.js';
import { KIT_VARIABLES } from '../core/names.js';
import { encodedForms, Redactor } from '../core/redact.js';
import { realSleep, systemClock, type Clock, type Logger, type Sleep } from '../core/runtime.js';
import { makeContext, maxChangesGuard, runStep, type Guard, type GuardOverride, type StepDefinition, type StepRun } from '../core/step.js';
import { FileAuditSink } from '../providers/local/file-audit-sink.js';
import { AUDIT_MIRRORS, AuditMirrorError, buildAuditMirrors, type AuditMirrorFactory } from './audit-mirrors.js';
import { ENV, registerCredentials } from './env.js';

/**
 * THE run session: how any entry point (the action shell, the CLI; the drill, IssueOps and fleet
 * runs next) turns "this step, with this input, from here" into one audited run:
 *
 *   register every credential → kit variables → audit sinks and mirrors → common choices (dry run,
 *   incident, overrides) → config → the step's input → ports → guards → runStep → one record
 *
 * Everything that can go wrong before the step starts (a broken firebreak.yml, a bad override, a
 * malformed FIREBREAK_VARS, a port that cannot be built) still leaves exactly one record: a refused
 * one. An entry point is an adapter: it says where inputs come from (`RunRequest`) and how to report
 * the returned `SessionRun` (stdout and `--json` for the CLI; outputs and the job summary for an
 * action), and renders errors only through `errorView`.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** Where the run comes from and where its record goes: fixed by the entry point. */
export interface SessionSource {
  env: Env;
  actor: string;
  runUrl: string | null;
  /** The chain file, resolved. */
  auditFile: string;
  /** The CLI passes its io's redactor so its own error printer scrubs the same secrets. */
  redactor?: Redactor;
  /** Called with every form of every secret registered (an action's `core.setSecret`). */
  onSecret?(form: string): void;
  /** Secret values the entry point read before the run (an action's secret inputs). */
  secrets?: ReadonlyArray<string | undefined>;
  /** The entry point's logger; every message it gets is scrubbed by the session's redactor first. */
  logger(redactor: Redactor): Logger;
  clock?: Clock;
  sleep?: Sleep;
  /** Mirror factories; default AUDIT_MIRRORS. */
  mirrors?: readonly AuditMirrorFactory[];
  /**
   * `fail`: a record not copied to a mirror fails the run (actions; steps whose state lives on the
   * mirror). `warn`: it only warns (the CLI is the break-glass path when GitHub is down).
   */
  mirrorFailure: 'warn' | 'fail';
}

/** The common choices of every run; read inside the session so a bad one is a refused record. */
export interface CommonChoices {
  dryRun: boolean;
  incidentId: string | null;
  overrides: GuardOverride[];
}

/** What the input source gets: everything but the config, which is read after the input. */
export interface InputContext {
  env: Env;
  /** Registers a secret (and its encoded forms) with the redactor and the entry point's mask. */
  mask(value: string | undefined | null): void;
  logger: Logger;
  clock: Clock;
  sleep: Sleep;
  dryRun: boolean;
  redactor: Redactor;
}

/** What port and guard builders get. */
export interface SessionContext extends InputContext {
  config: FirebreakConfig;
}

export interface RunRequest<I, P> {
  step: StepDefinition<I, P>;
  common: { [K in keyof CommonChoices]: () => CommonChoices[K] };
  config(env: Env): Promise<FirebreakConfig>;
  /**
   * The step's raw input, as the responder gave it: a value (the CLI's arguments, an IssueOps
   * comment) or a reader (an action's inputs). Read before the config, so a config refusal still
   * records what was asked for. Fields left empty ('' or undefined) count as not given: an action
   * input that is not set reads as '', a CLI option that is not given is absent, and both must
   * make the same record.
   */
  input: Record<string, unknown> | ((ctx: InputContext) => Record<string, unknown>);
  ports(ctx: SessionContext): P | Promise<P>;
  /** Guards beyond the blast-radius cap from config (e.g. protected ranges). */
  guards?(ctx: SessionContext): Guard[];
  /** Just before the step starts (an action logs its mode). */
  onStart?(ctx: SessionContext): void;
}

export interface SessionRun<I> {
  status: AuditStatus;
  /** 0 when the run succeeded; else the exit code of `failure`'s family. */
  exitCode: number;
  /** The one record this run left (undefined only when even the chain file could not be written). */
  entry: SealedEntry | undefined;
  run: StepRun<I> | undefined;
  /** What ended the run; undefined on success (a dry run included). */
  failure: unknown;
  /** What is known of the run even when it was refused before its record (for summaries). */
  partial: Partial<AuditRecord>;
  redactor: Redactor;
  env: Env;
  auditFile: string;
  /** Mirrors that did not get a copy, with the reason (scrubbed). */
  mirrorFailures: Array<{ mirror: string; message: string }>;
}

/** A sink wrapper that remembers the entry, so entry points can report even when runStep throws. */
class RecordingSink implements AuditSink {
  last: SealedEntry | undefined;
  constructor(private readonly inner: AuditSink) {}
  async append(record: AuditRecord): Promise<SealedEntry> {
    this.last = await this.inner.append(record);
    return this.last;
  }
}

export async function runSession<I, P>(source: SessionSource, request: RunRequest<I, P>): Promise<SessionRun<I>> {
  const redactor = source.redactor ?? new Redactor();
  const mask = (value: string | undefined | null): void => {
    if (typeof value !== 'string') return;
    redactor.register(value);
    if (source.onSecret && value.trim() !== '') for (const form of encodedForms(value)) source.onSecret(form);
  };
  // First, before anything may log, throw or send a request: every credential this run can read.
  for (const s of source.secrets ?? []) mask(s);
  registerCredentials(source.env, mask);

  const clock = source.clock ?? systemClock;
  const sleep = source.sleep ?? realSleep;
  const logger = source.logger(redactor);
  const step = request.step;
  const partial: Partial<AuditRecord> = { step: step.name, dryRun: true, incidentId: null, input: {}, actor: source.actor, runUrl: source.runUrl };
  let env: Env = source.env;
  let failure: unknown;
  let threw = false;
  let started = false;
  let sink: RecordingSink | undefined;
  let composite: CompositeAuditSink | undefined;
  let run: StepRun<I> | undefined;
  // A step's secret input fields are credentials too: registered as soon as the input is known.
  const known = (given: Record<string, unknown>): Record<string, unknown> => {
    const raw = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined && v !== ''));
    for (const field of step.secretInputs ?? []) {
      const v = raw[field];
      if (typeof v === 'string') mask(v);
    }
    partial.input = redactor.redact(raw, step.secretInputs);
    return raw;
  };
  const given = request.input;
  const partialRaw = typeof given === 'function' ? undefined : known(given);

  try {
    // Mirrors may need kit variables (the evidence bucket); a malformed FIREBREAK_VARS is reported
    // once the chain file can record the refusal.
    let kitVariablesError: unknown;
    let kitVariablesFailed = false;
    try {
      env = withKitVariables(env);
    } catch (error) {
      kitVariablesFailed = true;
      kitVariablesError = error;
    }
    composite = new CompositeAuditSink(new FileAuditSink(source.auditFile), await buildAuditMirrors({ env, mask, logger }, source.mirrors ?? AUDIT_MIRRORS));
    sink = new RecordingSink(composite);
    if (kitVariablesFailed) throw kitVariablesError;

    // One at a time, so a refusal records every choice read before the bad one.
    const common: CommonChoices = { dryRun: true, incidentId: null, overrides: [] };
    partial.dryRun = common.dryRun = request.common.dryRun();
    partial.incidentId = common.incidentId = request.common.incidentId();
    common.overrides = request.common.overrides();
    if (common.overrides.length) Object.assign(partial, { override: common.overrides[0], overrides: common.overrides });

    const inputContext: InputContext = { env, mask, logger, clock, sleep, dryRun: common.dryRun, redactor };
    const raw = typeof given === 'function' ? known(given(inputContext)) : (partialRaw ?? known(given));
    const config = await request.config(env);
    const ctx: SessionContext = { ...inputContext, config };
    const ports = await request.ports(ctx);
    const stepContext = makeContext({
      audit: sink,
      clock,
      sleep,
      logger,
      actor: source.actor,
      incidentId: common.incidentId,
      runUrl: source.runUrl,
      dryRun: common.dryRun,
      redactor,
      guards: [maxChangesGuard(config.limits.max_changes_per_run), ...(request.guards?.(ctx) ?? [])],
      overrides: common.overrides,
      progress: (m) => logger.info(m),
    });
    request.onStart?.(ctx);
    started = true;
    run = await runStep(step, raw, ports, stepContext);
    // runStep returns normally when the thrown value was `undefined`; the record still says how it ended.
    const ended = sink.last?.record.status;
    if (ended === 'failed' || ended === 'refused' || ended === 'partial') throw new Error(`step ${step.name} ended ${ended}: undefined was thrown`);
  } catch (thrown) {
    threw = true;
    failure = thrown === undefined ? new Error('undefined was thrown') : thrown;
  }

  // Refusals before the step started (bad common inputs, config, ports) leave their record too.
  if (threw && !started && sink && !sink.last) {
    try {
      await sink.append(refusedRecord(partial, failure, redactor, clock));
    } catch (auditFailure) {
      logger.error(`audit record could not be written: ${asError(auditFailure).message}`);
    }
  }

  const mirrorFailures = (composite?.failures ?? []).map((f) => ({ mirror: f.mirror, message: redactor.scrub(asError(f.error).message) }));
  if (source.mirrorFailure === 'warn') {
    for (const f of mirrorFailures) logger.warn(`audit record not copied to ${f.mirror}: ${f.message}. It is sealed in ${source.auditFile}; copy it when ${f.mirror} is reachable.`);
  } else if (!threw && mirrorFailures.length) {
    threw = true;
    failure = new AuditMirrorError(`the audit record was sealed in ${source.auditFile} but not copied to ${mirrorFailures.map((f) => `${f.mirror}: ${f.message}`).join('; ')}`, {
      hint: 'The step ran as reported. Fix access to the mirror and copy the record (re-running the step converges).',
    });
  }

  const entry = sink?.last;
  return {
    status: entry?.record.status ?? 'failed',
    exitCode: threw ? exitCodeFor(failure) || 1 : 0,
    entry,
    run,
    failure: threw ? failure : undefined,
    partial,
    redactor,
    env,
    auditFile: source.auditFile,
    mirrorFailures,
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
    error: recordedError(failure, redactor),
    override: partial.override,
    ...(partial.overrides?.length ? { overrides: partial.overrides } : {}),
  };
}

/**
 * Optional env var holding `${{ toJSON(vars) }}`: a workflow passes every environment variable in
 * one line instead of mapping each kit variable. Only names in KIT_VARIABLES are taken from it, and
 * an explicitly set env var wins.
 */
export const KIT_VARS_JSON_ENV = ENV.kitVarsJson;

export function withKitVariables(env: Env): Record<string, string | undefined> {
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
