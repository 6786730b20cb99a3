import { canonicalJson } from '../../core/canonical-json.js';
import { GuardError, InputError, asError } from '../../core/errors.js';
import { readInputs } from '../../core/inputs.js';
import type { Change, Outcome } from '../../core/plan.js';
import { clipText } from '../../core/redact.js';
import { checkParameters, documentName, renderDocument, RUN_COMMAND_CATALOGUE, type SchemaParameter } from '../../core/run-command/catalogue.js';
import type { StepDefinition } from '../../core/step.js';
import { parseTarget } from '../../core/target.js';
import { inputs } from './capability.js';
import type { CommandInvocation, RunCommandPorts } from './ports.js';

/**
 * run-command: one vetted SSM document on a few hosts, never free text.
 *
 *   catalogue entry → the provisioned document, read back and compared with the catalogue (drift is
 *   refused) → parameters checked by the document's own schema and the entry's checks → SendCommand
 *   → GetCommandInvocation per host until done → output (redacted, clipped) into the outcome, the
 *   whole answer (redacted) into the evidence bucket.
 *
 * Re-runs send the command again: Run Command has no idempotency key, and every document in the
 * catalogue is safe to repeat (reads, a restart, terminating what is still too old).
 */

export const MAX_INSTANCES = 50;
/** Characters of each host's output kept in the outcome (the job summary shows it). */
export const SUMMARY_OUTPUT_CHARS = 1500;
export const DEFAULT_POLL_MS = 3_000;
const TERMINAL = new Set(['Success', 'Cancelled', 'TimedOut', 'Failed']);

export interface RunCommandInput {
  entry: string;
  instanceIds: string[];
  given: Record<string, string>;
  timeoutMs: number;
}

interface RunMeta {
  documentName: string;
  parameters: Record<string, string>;
  timeoutSeconds: number;
}

export const runCommandStep: StepDefinition<RunCommandInput, RunCommandPorts, RunMeta> = {
  name: 'run-command',
  description: 'Run a vetted SSM document on hosts and collect the output',

  parse(raw) {
    const v = readInputs(inputs, raw);
    const tokens = v.instances.split(/[\s,]+/).filter(Boolean);
    if (tokens.length === 0) throw new InputError('instances: give at least one aws:instance:i-… target', { field: 'instances', code: 'INPUT_MISSING' });
    const ids = [...new Set(tokens.map((t) => parseTarget(t, { field: 'instances', kinds: ['aws:instance'] }).id))];
    if (ids.length > MAX_INSTANCES) throw new InputError(`instances: ${ids.length} hosts; Run Command takes at most ${MAX_INSTANCES} per call`, { field: 'instances', code: 'INPUT_INVALID' });
    const given: Record<string, string> = {};
    for (const line of (v.parameters ?? '').split('\n').map((l) => l.trim()).filter(Boolean)) {
      const eq = line.indexOf('=');
      if (eq <= 0) throw new InputError(`parameters: "${clipText(line, 60)}" is not name=value`, { field: 'parameters', code: 'INPUT_INVALID' });
      const key = line.slice(0, eq).trim();
      if (Object.hasOwn(given, key)) throw new InputError(`parameters: ${key} is given twice`, { field: 'parameters', code: 'INPUT_INVALID' });
      given[key] = line.slice(eq + 1).trim();
    }
    const entry = RUN_COMMAND_CATALOGUE.find((e) => e.name === v.document)!;
    // The catalogue's own schema first, so a typo is refused before any call.
    const first = checkParameters(entry, renderDocument(entry)['parameters'] as Record<string, SchemaParameter>, given);
    if ('problems' in first) throw new InputError(`parameters of ${entry.name}: ${first.problems.join('; ')}`, { field: 'parameters', code: 'PARAMETER_INVALID' });
    const minutes = Number(v.timeoutMinutes);
    if (!/^\d{1,2}$/.test(v.timeoutMinutes) || minutes < 1 || minutes > 60) throw new InputError(`timeout-minutes: "${v.timeoutMinutes}" is not 1-60`, { field: 'timeout-minutes', code: 'INPUT_INVALID' });
    return { entry: entry.name, instanceIds: ids, given, timeoutMs: minutes * 60_000 };
  },

  async plan(input, ports) {
    const entry = RUN_COMMAND_CATALOGUE.find((e) => e.name === input.entry)!;
    if (!ports.documentPrefix) {
      throw new InputError('the kit has no run-command documents (FIREBREAK_SSM_DOCUMENT_PREFIX is not set)', {
        field: 'FIREBREAK_SSM_DOCUMENT_PREFIX',
        code: 'KIT_MISSING',
        hint: 'Run `pulumi up` with the kit: it provisions the vetted documents (RunCommandDocuments) and writes the variable.',
      });
    }
    const name = documentName(ports.documentPrefix, entry);
    const content = await ports.ssm.documentContent(name);
    if (content === undefined) throw new InputError(`SSM document ${name} does not exist: the kit has not provisioned it in this account and region`, { field: 'document', code: 'DOCUMENT_NOT_PROVISIONED' });
    let live: Record<string, unknown>;
    try {
      live = JSON.parse(content) as Record<string, unknown>;
    } catch {
      throw new GuardError(`SSM document ${name} is not JSON: it is not the vetted document`, { code: 'DOCUMENT_NOT_VETTED', overridable: false });
    }
    if (canonicalJson(live) !== canonicalJson(renderDocument(entry))) {
      throw new GuardError(`SSM document ${name} differs from the vetted catalogue entry ${entry.name}: someone changed it since the kit provisioned it`, {
        code: 'DOCUMENT_NOT_VETTED',
        overridable: false,
        hint: 'Nothing was sent. Run `pulumi up --refresh` to put the vetted document back, and find out who changed it.',
      });
    }
    // The provisioned document's own schema decides too (identical now, but it is what SSM enforces).
    const checked = checkParameters(entry, (live['parameters'] ?? {}) as Record<string, SchemaParameter>, input.given);
    if ('problems' in checked) throw new InputError(`parameters of ${name}: ${checked.problems.join('; ')}`, { field: 'parameters', code: 'PARAMETER_INVALID' });
    const changes: Change[] = input.instanceIds.map((id) => ({ target: `aws:instance:${id}`, action: 'run', subject: name, detail: { parameters: checked.values } }));
    return { step: 'run-command', changes, unchanged: [], warnings: [], meta: { documentName: name, parameters: checked.values, timeoutSeconds: Math.ceil(input.timeoutMs / 1000) } };
  },

  async apply(plan, input, ports, ctx) {
    const meta = plan.meta!;
    const scrub = (t: string) => ctx.redactor.scrub(t);
    const out = (id: string, status: Outcome['status'], reason: string): Outcome => ({ target: `aws:instance:${id}`, action: 'run', subject: meta.documentName, status, reason: scrub(reason) });
    let commandId: string;
    try {
      commandId = await ports.ssm.sendCommand({
        documentName: meta.documentName,
        instanceIds: input.instanceIds,
        parameters: meta.parameters,
        comment: clipText(`firebreak ${ctx.incidentId ?? ''} ${ctx.actor}`.replace(/\s+/g, ' ').trim(), 100),
        timeoutSeconds: Math.max(30, meta.timeoutSeconds),
      });
    } catch (e) {
      return input.instanceIds.map((id) => out(id, 'failed', `not sent: ${asError(e).message}`));
    }
    const started = ctx.clock.now().getTime();
    const results = new Map<string, CommandInvocation>();
    const pollMs = ports.pollMs ?? DEFAULT_POLL_MS;
    for (;;) {
      for (const id of input.instanceIds) {
        if (results.has(id) && TERMINAL.has(results.get(id)!.status)) continue;
        try {
          const inv = await ports.ssm.invocation(commandId, id);
          if (inv) results.set(id, inv);
        } catch (e) {
          results.set(id, { status: 'Unreadable', responseCode: undefined, stdout: '', stderr: asError(e).message });
        }
      }
      const pending = input.instanceIds.filter((id) => !TERMINAL.has(results.get(id)?.status ?? '') && results.get(id)?.status !== 'Unreadable');
      const waited = ctx.clock.now().getTime() - started;
      if (pending.length === 0 || waited + pollMs > input.timeoutMs) break;
      ctx.progress?.(`${meta.documentName}: ${input.instanceIds.length - pending.length} of ${input.instanceIds.length} hosts done, waited ${Math.round(waited / 1000)}s`);
      await ctx.sleep(pollMs);
    }
    const outcomes: Outcome[] = [];
    for (const id of input.instanceIds) {
      const inv = results.get(id);
      let where = '';
      if (inv && ports.evidence && ctx.incidentId) {
        const key = `${ports.evidence.prefix}${ctx.incidentId}/run-command/${commandId}/${id}.json`;
        try {
          const body = { incidentId: ctx.incidentId, capturedAt: ctx.clock.now().toISOString(), capturedBy: ctx.actor, runUrl: ctx.runUrl, document: meta.documentName, parameters: meta.parameters, commandId, instanceId: id, ...inv, stdout: scrub(inv.stdout), stderr: scrub(inv.stderr) };
          await ports.evidence.putOnce(key, `${JSON.stringify(body, null, 2)}\n`);
          where = `; full output: ${ports.evidence.location}${key}`;
        } catch (e) {
          where = `; output NOT saved as evidence: ${asError(e).message}`;
        }
      }
      if (!inv) {
        outcomes.push(out(id, 'failed', `command ${commandId}: no invocation on this host (is the SSM agent running and the instance managed?)${where}`));
      } else if (inv.status === 'Success') {
        outcomes.push(out(id, 'applied', `command ${commandId}: exit ${inv.responseCode ?? 0}; output: ${clipText(scrub(inv.stdout), SUMMARY_OUTPUT_CHARS) || '(none)'}${where}`));
      } else if (TERMINAL.has(inv.status) || inv.status === 'Unreadable') {
        outcomes.push(out(id, 'failed', `command ${commandId}: ${inv.status}, exit ${inv.responseCode ?? 'unknown'}; stderr: ${clipText(scrub(inv.stderr), SUMMARY_OUTPUT_CHARS) || '(none)'}; output: ${clipText(scrub(inv.stdout), SUMMARY_OUTPUT_CHARS) || '(none)'}${where}`));
      } else {
        outcomes.push(out(id, 'failed', `command ${commandId} still ${inv.status} after ${Math.round(input.timeoutMs / 60_000)} min; read it later: aws ssm get-command-invocation --command-id ${commandId} --instance-id ${id}${where}`));
      }
    }
    return outcomes;
  },
};
