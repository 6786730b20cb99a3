import { InputError } from '../errors.js';
import { publicName, type InputSchema } from '../inputs.js';
import type { GuardOverride } from '../step.js';
import { tokenizeCommandLine } from './tokenize.js';

/**
 * `/firebreak <capability> <args>` in an incident issue comment, read into the same raw input the
 * CLI builds from the same words: positional arguments and `--option value` by the capability's
 * own input schema (the CLI's names), plus the common `--apply` and `--override-guard/--reason`.
 * Whatever the words say, they only become values the step's schema and parse then check.
 */
export const COMMAND_PREFIX = '/firebreak';

/** The command line of a comment: its first non-empty line, when that line is a firebreak command. */
export function commandLineOf(body: string): string | undefined {
  const first = body.split(/\r?\n/).find((l) => l.trim() !== '');
  if (first === undefined) return undefined;
  const line = first.trim();
  if (line !== COMMAND_PREFIX && !line.startsWith(`${COMMAND_PREFIX} `) && !line.startsWith(`${COMMAND_PREFIX}\t`)) return undefined;
  return line.slice(COMMAND_PREFIX.length).trim();
}

export interface SlashCommand {
  /** The capability slug the words name (after aliases). */
  capability: string;
  /** What was typed, for replies (the alias, not its expansion). */
  typed: string;
  raw: Record<string, unknown>;
  apply: boolean;
  overrides: GuardOverride[];
  /**
   * `--environment NAME`: the protected environment that gates a production command. Only a name;
   * the caller checks it against `issueops.environments` before it reaches the workflow.
   */
  environment?: string;
}

/** Shorthands responders type most: each is exactly the capability command it expands to. */
export const ALIASES: Readonly<Record<string, (args: string[], actor: string) => string[]>> = {
  ack: (args, actor) => {
    if (args.length) throw new InputError('/firebreak ack takes no arguments', { field: 'command', code: 'USAGE' });
    return ['post-update', '--text', `Acknowledged by @${actor}.`];
  },
  update: (args) => {
    const [text, ...rest] = args;
    if (text === undefined || text.startsWith('--')) throw new InputError('/firebreak update needs the update text in quotes, e.g. /firebreak update "Mitigated; watching"', { field: 'command', code: 'USAGE' });
    return ['post-update', '--text', text, ...rest];
  },
  severity: (args) => {
    const [level, ...rest] = args;
    if (level === undefined || level.startsWith('--')) throw new InputError('/firebreak severity needs a level, e.g. /firebreak severity SEV1', { field: 'command', code: 'USAGE' });
    return ['classify', '--severity', level, ...rest];
  },
};

/** What a command needs to know about a capability: its slug, CLI aliases and input schema. */
export interface CommandTarget {
  slug: string;
  cliAliases?: readonly string[];
  inputs: InputSchema;
}

export function parseSlashCommand(line: string, targets: readonly CommandTarget[], actor: string): SlashCommand {
  let words = tokenizeCommandLine(line);
  const typed = words[0];
  if (typed === undefined) throw new InputError(`name a capability: /firebreak <capability> <args> (one of ${targets.map((t) => t.slug).join(', ')}, or ack, update, severity)`, { field: 'command', code: 'USAGE' });
  const alias = ALIASES[typed];
  if (alias) words = alias(words.slice(1), actor);
  const name = words[0]!;
  const target = targets.find((t) => t.slug === name || t.cliAliases?.includes(name));
  if (!target) throw new InputError(`unknown capability "${name.slice(0, 40)}": one of ${targets.map((t) => t.slug).join(', ')}, or ack, update, severity`, { field: 'command', code: 'USAGE' });
  return { capability: target.slug, typed, ...readArguments(target, words.slice(1)) };
}

function readArguments(target: CommandTarget, args: string[]): Pick<SlashCommand, 'raw' | 'apply' | 'overrides' | 'environment'> {
  const fields = Object.entries(target.inputs).map(([key, field]) => ({ key, field, name: publicName(key, field) }));
  const positional = fields.filter((f) => f.field.cli && f.field.cli.positional);
  const raw: Record<string, unknown> = {};
  const positionals: string[] = [];
  const guards: string[] = [];
  const reasons: string[] = [];
  let apply = false;
  let environment: string | undefined;
  const usage = (message: string) => new InputError(`${message} (see \`firebreak ${target.slug} --help\`)`, { field: 'command', code: 'USAGE' });
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    if (!word.startsWith('--') || word === '--') {
      positionals.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const option = eq === -1 ? word.slice(2) : word.slice(2, eq);
    const inline = eq === -1 ? undefined : word.slice(eq + 1);
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = args[i + 1];
      if (next === undefined) throw usage(`--${option} needs a value`);
      i++;
      return next;
    };
    if (option === 'apply') {
      if (inline !== undefined) throw usage('--apply takes no value');
      apply = true;
      continue;
    }
    // The capability's own `environment` input (if any) is the button's job environment, which
    // a comment names with this same option: it is read here, never as a step input.
    if (option === 'environment') {
      if (environment !== undefined) throw usage('--environment is given twice');
      environment = value();
      continue;
    }
    if (option === 'override-guard') {
      guards.push(value());
      continue;
    }
    if (option === 'override-reason') {
      reasons.push(value());
      continue;
    }
    // The incident is the issue the comment is on; naming another one from here is refused.
    if (option === 'incident' || option === 'incident-id') throw usage('the incident is this issue; --incident cannot be given in a comment');
    const found = fields.find((f) => f.name === option && f.field.cli !== false && !(f.field.cli && f.field.cli.positional));
    if (!found) throw usage(`unknown option --${option.slice(0, 40)}`);
    if (found.field.secret) throw usage(`--${option} is a secret and never typed into a comment`);
    if (found.field.cli && found.field.cli.file) throw usage(`--${option} reads a file, which a comment cannot give; use the button or the CLI`);
    if (found.field.kind === 'flag') {
      if (inline !== undefined) throw usage(`--${option} is a flag and takes no value`);
      raw[found.key] = true;
      continue;
    }
    const v = value();
    if (found.field.cli && found.field.cli.repeatable) raw[found.key] = [...((raw[found.key] as string[] | undefined) ?? []), v];
    else if (raw[found.key] !== undefined) throw usage(`--${option} is given twice`);
    else raw[found.key] = v;
  }
  const variadic = positional.find((p) => p.field.cli && p.field.cli.variadic);
  if (!variadic && positionals.length > positional.length) throw usage(`too many arguments: ${positionals.slice(positional.length).join(' ').slice(0, 80)}`);
  positional.forEach(({ key, field }, i) => {
    if (field.cli && field.cli.variadic) raw[key] = positionals.slice(i);
    else if (positionals[i] !== undefined) raw[key] = positionals[i];
  });
  if (guards.length !== reasons.length) throw usage('each --override-guard needs its own --override-reason');
  const overrides = guards.map((guard, i) => {
    const reason = reasons[i]!.trim();
    if (reason === '') throw usage(`--override-reason for ${guard} is empty`);
    return { guard: guard.trim(), reason };
  });
  return { raw, apply, overrides, ...(environment !== undefined ? { environment } : {}) };
}
