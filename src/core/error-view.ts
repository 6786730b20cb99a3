import { ConfigError, FirebreakError, InputError, PartialFailureError, ProviderError, asError, type ExitCodeName } from './errors.js';
import type { Redactor } from './redact.js';

/**
 * THE error-to-view function of every entry point: the audit record's `error`, the CLI's text and
 * `--json` error, the action's failure line and job summary all come from here, so what one channel
 * masks no other channel can show. A view never holds `cause` or a stack (either may carry a
 * secret the provider echoed) and every string in it is scrubbed by the run's redactor.
 */
export interface ErrorView {
  name: string;
  code: string;
  message: string;
  hint?: string | undefined;
  [key: string]: unknown;
}

/** What to do next when the error itself carries no hint, by exit family; wording per entry point. */
export type DefaultHints = Partial<Record<ExitCodeName, string>>;

export function errorView(thrown: unknown, redactor: Redactor, defaults: DefaultHints = {}): ErrorView {
  let view: ErrorView;
  if (thrown instanceof FirebreakError) {
    view = thrown.toJSON() as ErrorView;
    if (!view.hint) {
      view.hint = thrown instanceof ProviderError && thrown.retryable ? `${thrown.provider} ${thrown.operation} may succeed on a retry: re-run the same step (steps are idempotent).` : defaults[thrown.exit];
    }
    if (thrown instanceof ConfigError) view.problems = thrown.problems;
    if (thrown instanceof PartialFailureError) view.result = thrown.result;
    if (thrown instanceof InputError && thrown.field !== undefined) view.field = thrown.field;
  } else {
    const err = asError(thrown);
    view = { name: err.name, code: 'UNEXPECTED', message: err.message, hint: defaults.unexpected };
  }
  if (view.hint === undefined) delete view.hint;
  return redactor.redact(view);
}

/** The part of a view an audit record keeps. */
export function recordedError(thrown: unknown, redactor: Redactor): { code: string; message: string; hint?: string } {
  const v = errorView(thrown, redactor);
  return { code: v.code, message: v.message, ...(v.hint ? { hint: v.hint } : {}) };
}
