import { capabilityInput } from '../capabilities/input.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import type { GuardOverride } from '../core/step.js';
import type { Redactor } from '../core/redact.js';
import type { AuditMirrorFactory } from './audit-mirrors.js';
import { runSession, type Env, type SessionRun } from './session.js';

/**
 * A capability run from an event rather than from its own inputs: an alert rule, an IssueOps
 * comment. The input is a value (already split into the schema's fields), and everything else is
 * the same run session the buttons and the CLI use: credentials registered first, the schema and
 * the capability's `prepare`, its ports and guards, one audit record (refusals included).
 */
export interface CapabilityRunRequest {
  def: CapabilityDefinition;
  raw: Record<string, unknown>;
  dryRun: boolean;
  incidentId: string | null;
  overrides?: GuardOverride[];
  /** The person (the commenter) or `alert:<source>` the record names. */
  actor: string;
  runUrl: string | null;
  env: Env;
  auditFile: string;
  config(env: Env): Promise<FirebreakConfig>;
  logger(redactor: Redactor): Logger;
  onSecret?(form: string): void;
  clock?: Clock;
  sleep?: Sleep;
  mirrors?: readonly AuditMirrorFactory[];
}

export async function runCapabilityWith(req: CapabilityRunRequest): Promise<SessionRun<unknown>> {
  const rt = await req.def.runtime();
  const clock = req.clock;
  return runSession(
    {
      env: req.env,
      actor: req.actor,
      runUrl: req.runUrl,
      auditFile: req.auditFile,
      logger: req.logger,
      ...(req.onSecret ? { onSecret: req.onSecret } : {}),
      ...(clock ? { clock } : {}),
      ...(req.sleep ? { sleep: req.sleep } : {}),
      ...(req.mirrors ? { mirrors: req.mirrors } : {}),
      mirrorFailure: 'fail',
    },
    {
      step: rt.step,
      common: {
        dryRun: () => req.dryRun,
        incidentId: () => (rt.incidentId ? (rt.incidentId(req.raw, (clock ?? { now: () => new Date() }).now()) ?? req.incidentId) : req.incidentId),
        overrides: () => req.overrides ?? [],
      },
      config: req.config,
      input: (ctx) => capabilityInput(req.def, rt, req.raw, ctx.env),
      ports: (ctx) => rt.ports(ctx),
      ...(rt.guards ? { guards: (ctx) => rt.guards!(ctx) } : {}),
    },
  );
}
