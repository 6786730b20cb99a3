import type { Command } from 'commander';
import { CAPABILITIES } from '../../capabilities/registry.js';

const CAPABILITY_COMMANDS = CAPABILITIES.filter((c) => c.status === 'built' && c.cli === 'generated').flatMap((c) => [c.slug, ...(c.cliAliases ?? [])]);

export interface CommandModule {
  register(program: Command): void;
}

/**
 * Every CLI command module, in `--help` order, as ONE line each:
 *
 *   [['top-level', 'names', 'it', 'registers'], () => import('./<slug>.js')],
 *
 * Loaded lazily: `firebreak audit verify` imports only the audit module, not every SDK client the
 * other commands need (that took the CLI's start from 0.5 s to 3 s). `--help` loads them all.
 * A test checks that each module registers exactly the names listed here. A command that inspects
 * the whole program (e.g. lists every command) adds `{ needsAllCommands: true }`.
 */
export type CommandEntry = readonly [names: readonly string[], load: () => Promise<CommandModule>, options?: { needsAllCommands: true }];

export const COMMANDS: ReadonlyArray<CommandEntry> = [
  [['audit'], () => import('./audit.js')],
  [['config'], () => import('./config.js')],
  [['deadlines'], () => import('./deadlines.js')],
  [['doctor'], () => import('./doctor.js')],
  [['drill'], () => import('./drill.js')],
  [['fleet'], () => import('./fleet.js')],
  // Event entry points of alert.yml and issueops.yml (the event is read from the payload file).
  [['alert', 'issueops', 'alert-bridge'], () => import('./events.js')],
  // Every capability whose command is generated from its input schema (src/capabilities/registry.ts).
  [CAPABILITY_COMMANDS, () => import('./capabilities.js')],
  [['incident-tick', 'tick'], () => import('./incident-tick.js')],
  [['init'], () => import('./init.js')],
  // `runbooks check` compares runbook steps with the program's commands, so it needs all of them.
  [['runbooks'], () => import('./runbooks.js'), { needsAllCommands: true }],
];
