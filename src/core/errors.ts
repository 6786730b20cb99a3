/**
 * Typed errors. Library code throws these; only entry points (CLI, action shell, drill) turn them
 * into exit codes and guidance. Every error has a stable `code` a script can match on and a `hint`
 * that tells a responder what to do next.
 */

/** Process exit codes by error family; stable, documented in docs/responders/cli.md. */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  input: 2,
  guard: 3,
  conflict: 4,
  provider: 5,
  partial: 6,
  audit: 7,
} as const;

export type ExitCodeName = keyof typeof EXIT_CODES;

export interface ErrorOptions {
  hint?: string;
  cause?: unknown;
  details?: Record<string, unknown>;
}

export abstract class FirebreakError extends Error {
  abstract readonly code: string;
  abstract readonly exit: ExitCodeName;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown>;

  constructor(message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    this.details = options.details ?? {};
  }

  get exitCode(): number {
    return EXIT_CODES[this.exit];
  }

  /** A JSON-safe view for `--json` output and audit records. Never includes `cause` (may hold secrets). */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, details: this.details };
  }
}

/** Bad input from a responder or a workflow: nothing was changed. */
export class InputError extends FirebreakError {
  readonly code: string;
  readonly exit = 'input' as const;
  /** The input field at fault, e.g. `addresses` or `ttl`. */
  readonly field: string | undefined;
  constructor(message: string, options: ErrorOptions & { field?: string; code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'INPUT_INVALID';
    this.field = options.field;
  }
}

/** A config file that does not match the schema; names file:line:column and the field. */
export class ConfigError extends FirebreakError {
  readonly code = 'CONFIG_INVALID';
  readonly exit = 'input' as const;
  constructor(
    message: string,
    readonly problems: ConfigProblem[],
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Dotted path of the field, e.g. `protected_ranges.2`. */
  field: string;
  message: string;
}

/**
 * Guards no override can pass: a protected range, "every address", a provider's own hard limit
 * (the provider would refuse the write anyway). A GuardError with one of these codes is not
 * overridable unless its thrower says otherwise, and its hint never offers an override.
 */
export const NON_OVERRIDABLE_GUARDS: ReadonlySet<string> = new Set(['PROTECTED_RANGE', 'ALL_ADDRESSES', 'PROVIDER_LIMIT']);

/** A safety guard refused the plan (lock-out, blast radius, protected range): nothing was changed. */
export class GuardError extends FirebreakError {
  readonly code: string;
  readonly exit = 'guard' as const;
  /** Whether `--override-guard CODE` / the action's `override-guard` input may pass this guard. */
  readonly overridable: boolean;
  constructor(message: string, options: ErrorOptions & { code?: string; overridable?: boolean } = {}) {
    const code = options.code ?? 'GUARD_REFUSED';
    const overridable = options.overridable ?? !NON_OVERRIDABLE_GUARDS.has(code);
    super(message, { ...options, hint: guardHint(code, overridable, options.hint) });
    this.code = code;
    this.overridable = overridable;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), overridable: this.overridable };
  }
}

/**
 * The hint of a guard refusal, derived from whether the guard can be overridden: an overridable
 * guard names the override (CLI and action spelling); one that cannot says so, and a thrower's own
 * hint that still talks about overriding is dropped rather than shown.
 */
export function guardHint(code: string, overridable: boolean, own?: string): string {
  if (overridable) {
    return own ?? `Nothing was changed. Narrow the request, or override with a reason: --override-guard ${code} --override-reason TEXT (action inputs \`override-guard\` / \`override-reason\`); the override is kept in the audit record.`;
  }
  const base = `Nothing was changed. ${code} cannot be overridden: change the request.`;
  if (own === undefined || /overrid/i.test(own)) return base;
  return `${own} (${code} cannot be overridden.)`;
}

/** A concurrent writer or a lock kept winning after bounded retries. */
export class ConflictError extends FirebreakError {
  readonly code: string;
  readonly exit = 'conflict' as const;
  constructor(message: string, options: ErrorOptions & { code?: string } = {}) {
    super(message, options);
    this.code = options.code ?? 'CONFLICT';
  }
}

/** A provider call failed. `retryable` says whether the same call may succeed later. */
export class ProviderError extends FirebreakError {
  readonly code: string;
  readonly exit = 'provider' as const;
  readonly provider: string;
  readonly operation: string;
  readonly status: number | undefined;
  readonly retryable: boolean;
  constructor(
    message: string,
    options: ErrorOptions & { provider: string; operation: string; status?: number; retryable: boolean; code?: string; retryAfterMs?: number },
  ) {
    super(message, options);
    this.code = options.code ?? 'PROVIDER_ERROR';
    this.provider = options.provider;
    this.operation = options.operation;
    this.status = options.status;
    this.retryable = options.retryable;
    this.retryAfterMs = options.retryAfterMs;
  }
  /** The provider's own back-off signal (Retry-After, rate-limit reset), in ms from when it answered. */
  readonly retryAfterMs: number | undefined;

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      provider: this.provider,
      operation: this.operation,
      status: this.status,
      retryable: this.retryable,
    };
  }
}

/**
 * The provider asked for a wait longer than the step's retry budget has left: nothing more was
 * tried. `retryAt` says when the same call may succeed (when the caller has a clock).
 */
export class RetryLaterError extends ProviderError {
  readonly retryAt: string | undefined;
  constructor(
    source: ProviderError,
    readonly waitMs: number,
    readonly budgetLeftMs: number,
    retryAt: Date | undefined,
  ) {
    const when = retryAt ? `after ${retryAt.toISOString()}` : `in ${Math.ceil(waitMs / 1000)} s`;
    super(`${source.message} — the provider asks to wait ${Math.ceil(waitMs / 1000)} s, more than the ${Math.max(0, Math.floor(budgetLeftMs / 1000))} s left of this step's retry budget; retry ${when}`, {
      provider: source.provider,
      operation: source.operation,
      ...(source.status === undefined ? {} : { status: source.status }),
      retryable: true,
      code: 'RETRY_LATER',
      retryAfterMs: waitMs,
      hint: `Rate limited by ${source.provider}: nothing more was tried. Re-run the same command ${when} (steps are idempotent), or raise the step's retry budget.`,
      details: { waitMs, budgetLeftMs, ...(retryAt ? { retryAt: retryAt.toISOString() } : {}) },
      cause: source,
    });
    this.retryAt = retryAt?.toISOString();
  }
}

/** Some targets were changed and some were not; `result` says exactly which. A re-run converges. */
export class PartialFailureError extends FirebreakError {
  readonly code = 'PARTIAL_FAILURE';
  readonly exit = 'partial' as const;
  constructor(
    message: string,
    readonly result: unknown,
    options: ErrorOptions = {},
  ) {
    super(message, options);
  }
}

/** The audit chain does not verify; names the first record that does not chain. */
export class AuditChainError extends FirebreakError {
  readonly code = 'AUDIT_CHAIN_BROKEN';
  readonly exit = 'audit' as const;
}

/** Turns any thrown value into an Error with a message, so nothing thrown can leave a run green. */
export function asError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  let text: string;
  try {
    text = JSON.stringify(thrown) ?? String(thrown);
  } catch {
    text = String(thrown);
  }
  return new Error(`non-Error value thrown: ${text}`);
}

export function exitCodeFor(thrown: unknown): number {
  return thrown instanceof FirebreakError ? thrown.exitCode : EXIT_CODES.unexpected;
}
