import * as core from '@actions/core';
import { capabilityInput } from '../capabilities/input.js';
import { publicName } from '../core/inputs.js';
import type { CapabilityDefinition } from '../capabilities/types.js';
import { notifyAfterAction, runAction, type ActionRun, type RunActionOptions } from './action-shell.js';

/**
 * The whole action of a capability: every generated `action.yml` runs this with its definition.
 * Inputs are read by the names the schema gives them (the same names action.yml declares, since
 * both come from the schema); secret inputs are read raw and masked before anything else.
 */
export async function runCapabilityAction(def: CapabilityDefinition, options: RunActionOptions = {}): Promise<ActionRun> {
  const rt = await def.runtime();
  const fields = Object.entries(def.inputs).map(([key, field]) => ({ key, field, name: publicName(key, field) }));
  const run = await runAction(
    {
      step: rt.step,
      secretInputs: fields.filter((f) => f.field.secret).map((f) => f.name),
      readInputs(read, ctx) {
        const raw: Record<string, unknown> = {};
        for (const { key, field, name } of fields) raw[key] = field.secret ? core.getInput(name) : read.get(name);
        return capabilityInput(def, rt, raw, ctx.env);
      },
      buildPorts: (ctx) => rt.ports(ctx),
      ...(rt.guards ? { guards: (ctx) => rt.guards!(ctx) } : {}),
    },
    options,
  );
  // Incident steps notify after they write (src/runtime/notify-hook.ts); one line, kept separate.
  await notifyAfterAction(def.slug, run, options);
  return run;
}
