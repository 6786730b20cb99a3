import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { CAPABILITIES } from '../../capabilities/registry.js';
import type { CapabilityDefinition } from '../../capabilities/types.js';
import { InputError } from '../../core/errors.js';
import { publicName, type Field } from '../../core/inputs.js';
import { capabilityInput } from '../../capabilities/input.js';
import { systemClock } from '../../core/runtime.js';
import { ioOf } from '../io.js';
import { isFleetCapable } from '../../fleet/slugs.js';
import { addStepOptions, runStepCommand } from '../run-step.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import type { SessionRun, SessionSource } from '../../runtime/session.js';

/**
 * One command per capability, built from its input schema: the same names, defaults and secrets
 * as its action and workflow, because all three come from the one schema. Presence and choices
 * are checked by the schema inside the run session, so a missing `--reason` is a refused record
 * like a missing action input, not a usage error with no trace. The step and its SDKs load only
 * when the command runs.
 */

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function register(program: Command): void {
  for (const cap of CAPABILITIES) {
    if (cap.status !== 'built' || cap.cli !== 'generated') continue;
    registerCapability(program, cap);
  }
}

function registerCapability(program: Command, cap: CapabilityDefinition): void {
  const cmd = program.command(cap.slug).description(cap.description);
  for (const alias of cap.cliAliases ?? []) cmd.alias(alias);
  const fields = Object.entries(cap.inputs).map(([key, field]) => ({ key, field, name: publicName(key, field) }));
  const positional = fields.filter((f) => f.field.cli && f.field.cli.positional);
  for (const { field, name } of positional) {
    const cli = field.cli || {};
    const placeholder = (cli.placeholder ?? name).replace(/\.\.\.$/, '');
    cmd.argument(`[${placeholder}${cli.variadic ? '...' : ''}]`, helpText(field));
  }
  for (const { field, name } of fields) {
    if (field.cli === false || (field.cli && field.cli.positional)) continue;
    if (field.kind === 'flag') {
      cmd.option(`--${name}`, helpText(field));
      // A flag that is on by default needs a way off from the terminal too (the action passes false).
      if (field.default === true) cmd.option(`--no-${name}`, `turn ${name} off (it is on by default)`);
      continue;
    }
    const placeholder = (field.cli && field.cli.placeholder) || (field.kind === 'choice' ? field.options.join('|') : 'text');
    const option = new Option(`--${name} <${placeholder}>`, helpText(field));
    if (field.cli && field.cli.repeatable) option.argParser(collect);
    cmd.addOption(option);
  }
  // A fleet-capable capability also acts on a fleet (docs/operators/fleet.md): `--targets` hands the
  // same input to the fleet runner (one plan, --apply applies on every selected target).
  if (isFleetCapable(cap.slug)) cmd.option('--targets <selection>', 'act on every fleet target selected (firebreak.yml fleet: sets, tag:<tag>, id:<target>, all): plan, or --apply');
  // A usage mistake (an unknown option, an option without its value, a stray argument) is a refused
  // run like a missing input: commander would throw before the session opens and leave no record,
  // so it collects them here and the session refuses them (one record, exit 2).
  const usage: string[] = [];
  cmd.allowUnknownOption(true).allowExcessArguments(true);
  // commander's own (undeclared in its types) hook for `--reason` given last with no value; the
  // main.test.ts case for it fails if a commander update stops calling it.
  (cmd as unknown as { optionMissingArgument(option: Option): void }).optionMissingArgument = (option) => {
    usage.push(`option '${option.flags}' argument missing`);
  };
  addStepOptions(cmd).action(async (...args: unknown[]) => {
    const command = args[args.length - 1] as Command;
    const opts = command.opts<Record<string, unknown>>();
    const io = ioOf(command);
    const raw: Record<string, unknown> = {};
    const isOption = (a: unknown) => typeof a === 'string' && a.length > 1 && a.startsWith('-');
    for (const a of command.args.filter(isOption)) usage.push(`unknown option '${a}'`);
    const variadic = positional.some(({ field }) => field.cli && field.cli.variadic);
    const extra = variadic ? [] : command.args.filter((a) => !isOption(a)).slice(positional.length);
    if (extra.length) usage.push(`too many arguments: ${extra.join(' ')}`);
    positional.forEach(({ key }, i) => {
      raw[key] = Array.isArray(args[i]) ? (args[i] as unknown[]).filter((a) => !isOption(a)) : isOption(args[i]) ? undefined : args[i];
    });
    for (const { key, field, name } of fields) {
      if (field.cli === false || (field.cli && field.cli.positional)) continue;
      raw[key] = opts[camel(name)];
    }
    if (typeof opts['targets'] === 'string' && isFleetCapable(cap.slug)) {
      if (usage.length) throw new InputError(`${usage.join('; ')} (see \`firebreak ${cap.slug} --help\`)`, { code: 'USAGE' });
      const { runFleetCommand } = await import('./fleet.js');
      await runFleetCommand(cap.slug, raw, opts as Record<string, string | boolean | undefined>, command);
      return;
    }
    const files = fields.filter((f) => f.field.cli && f.field.cli.file);
    const rt = await cap.runtime();
    // Everything that can refuse the input runs inside the session, so a refusal is a record.
    await runStepCommand(command, rt.step, raw, {
      ports: (e) => rt.ports({ ...e, cwd: io.cwd }),
      ...(rt.guards ? { guards: (e) => rt.guards!(e) } : {}),
      ...(rt.mirrorFailure ? { mirrorFailure: rt.mirrorFailure } : {}),
      followUp: (source, session, config) => notifyAfterCli(cap.slug, source, session, config, io),
      ...(rt.incidentId ? { incidentId: () => rt.incidentId!(raw, (io.clock ?? systemClock).now()) } : {}),
      prepare: (given, env) => {
        if (usage.length) throw new InputError(`${usage.join('; ')} (see \`firebreak ${cap.slug} --help\`)`, { code: 'USAGE' });
        const read = { ...given };
        for (const { key, name } of files) if (typeof read[key] === 'string') read[key] = readInputFile(io.cwd, read[key] as string, name);
        return capabilityInput(cap, rt, read, env);
      },
    });
  });
}

/** The notify hook (src/runtime/notify-hook.ts) after an incident step: its failure is reported as a warning, never hidden. */
export async function notifyAfterCli(slug: string, source: SessionSource, session: SessionRun<unknown>, config: FirebreakConfig, io: ReturnType<typeof ioOf>): Promise<void> {
  const { notifyAfter } = await import('../../runtime/notify-hook.js');
  const record = session.entry?.record;
  if (!record) return;
  const notified = await notifyAfter(slug, { status: record.status, dryRun: record.dryRun, incidentId: record.incidentId }, source, config);
  if (!notified) return;
  io.stderr(`notify after ${slug}: ${notified.status}\n`);
  // The step applied; a failed delivery is reported (scrubbed) and left to `firebreak notify`.
  if (notified.failure !== undefined) io.stderr(notified.redactor.scrub(`warning: notify after ${slug} failed: ${(notified.failure as Error).message ?? String(notified.failure)} — run \`firebreak notify --incident ${record.incidentId} --apply\` to deliver what failed\n`));
}

function helpText(field: Field): string {
  const notes: string[] = [];
  if (field.required) notes.push('required');
  if (field.kind === 'choice' && field.default) notes.push(`default: ${field.default}`);
  if (field.cli && field.cli.repeatable) notes.push('repeatable');
  if (field.cli && field.cli.file) notes.push('a file path');
  return notes.length ? `${field.description} (${notes.join('; ')})` : field.description;
}

/** commander's attribute name for a kebab-case option. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function readInputFile(cwd: string, file: string, field: string): string {
  try {
    return readFileSync(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as Error).message}`, { field });
  }
}
