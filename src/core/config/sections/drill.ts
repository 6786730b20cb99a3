import * as z from 'zod/mini';

/**
 * `drill:` in firebreak.yml — real targets a runbook drill may run against (`firebreak drill
 * --runbook FILE --target NAME`). The drill refuses any target not marked `staging: true`, any run
 * without the credentials the target names, and any plan with a step it cannot revert unless the
 * target allows that step by name. Every change it makes is reverted at the end.
 */
const slug = z.string().check(z.regex(/^[a-z][a-z0-9-]*$/, 'a step slug'));

export const drillTarget = z.strictObject({
  /** Must be true: the promise that nothing here serves customers. Anything else is refused. */
  staging: z.boolean(),
  description: z.optional(z.string().check(z.maxLength(200))),
  /** Environment variables that must be set (credentials, endpoints) before anything runs. */
  require_env: z._default(z.array(z.string().check(z.regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'))), []),
  /** Steps the drill cannot revert (restart-service, run-command, rollback) that this target accepts. */
  allow_irreversible: z._default(z.array(slug), []),
});

export const drillSection = z.strictObject({
  targets: z._default(z.record(z.string().check(z.regex(/^[a-z][a-z0-9-]{0,39}$/, 'a target name: lowercase letters, digits, -')), drillTarget), {}),
});

export type DrillTargetConfig = z.infer<typeof drillTarget>;
