import { capabilityBySlug } from '../../capabilities/registry.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import type { DrillTargetConfig } from '../../core/config/sections/drill.js';
import { InputError } from '../../core/errors.js';
import { publicName } from '../../core/inputs.js';

/**
 * A runbook drill against a real staging target: the same plan through the same CLI commands, on
 * real providers, with every change reverted at the end by the step that undoes it. What cannot be
 * undone must be allowed by name on the target; what only reads or keeps the incident's books runs
 * as is (the incident is closed at the end).
 */
export const REVERT_WITH: Readonly<Record<string, string>> = {
  'block-ips': 'unblock-ips',
  'disable-routes': 'enable-routes',
  'limit-rate': 'restore-rate',
  freeze: 'unfreeze',
  isolate: 'release',
  'revoke-access': 'restore-access',
  'rotate-secret': 'rotate-secret',
};

/** Steps that change nothing a customer sees: they read, keep evidence, or write the incident's books. */
export const SAFE_ON_STAGING: ReadonlySet<string> = new Set([
  'alert',
  'declare',
  'classify',
  'post-update',
  'incident-tick',
  'record-notification',
  'record-containment',
  'write-postmortem',
  'close-incident',
  'verify-health',
  'verify-evidence',
  'triage',
  'preserve-evidence',
  // Each undoes one of REVERT_WITH's steps; a plan may already include it.
  ...Object.values(REVERT_WITH),
]);

const REASON = 'staging drill: revert what the drill changed';

/** The step and inputs that undo an applied one: the inputs both share, a reason, and a rollback for rotations. */
export function revertOf(step: string, input: Readonly<Record<string, unknown>>): { step: string; with: Record<string, unknown> } | undefined {
  const undo = REVERT_WITH[step];
  if (!undo) return undefined;
  if (step === 'rotate-secret') return { step: undo, with: { target: input.target, rollback: true } };
  const cap = capabilityBySlug(undo)!;
  const names = new Set(Object.entries(cap.inputs).map(([k, f]) => publicName(k, f)));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (names.has(k) && k !== 'reason' && k !== 'verify') out[k] = v;
  if (names.has('reason')) out.reason = REASON;
  return { step: undo, with: out };
}

/**
 * Everything that refuses a target run, checked before anything starts: the target must exist, be
 * marked staging, have its credentials, and every step must be safe, revertible or allowed.
 */
export function checkTarget(config: FirebreakConfig, name: string, env: Readonly<Record<string, string | undefined>>, steps: readonly string[]): DrillTargetConfig {
  const target = config.drill.targets[name];
  if (!target) {
    const known = Object.keys(config.drill.targets);
    throw new InputError(`no drill target "${name}" in firebreak.yml${known.length ? `; known: ${known.join(', ')}` : ''}`, { field: 'target', code: 'DRILL_TARGET_UNKNOWN', hint: 'Declare it under drill.targets with staging: true (docs/operators/runbooks.md).' });
  }
  if (target.staging !== true) {
    throw new InputError(`drill target "${name}" is not marked staging: a drill changes what it runs against, so it only runs where nothing serves customers`, { field: 'target', code: 'DRILL_TARGET_NOT_STAGING' });
  }
  const missing = target.require_env.filter((v) => !env[v]?.trim());
  if (missing.length) throw new InputError(`drill target "${name}" needs ${missing.join(', ')} in the environment; nothing was started`, { field: 'target', code: 'DRILL_TARGET_CREDENTIALS' });
  const irreversible = [...new Set(steps)].filter((s) => !SAFE_ON_STAGING.has(s) && !REVERT_WITH[s] && !target.allow_irreversible.includes(s));
  if (irreversible.length) {
    throw new InputError(`the plan runs ${irreversible.join(', ')}, which the drill cannot revert on "${name}"`, {
      field: 'target',
      code: 'DRILL_TARGET_IRREVERSIBLE',
      hint: `List them under drill.targets.${name}.allow_irreversible if this staging target may keep their effect.`,
    });
  }
  return target;
}
