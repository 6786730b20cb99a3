import type { Command } from 'commander';

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
  [['block-ips', 'unblock-ips', 'sweep-expired'], () => import('./block-ips.js')],
  [['config'], () => import('./config.js')],
  [['deadlines'], () => import('./deadlines.js')],
  [['preflight'], () => import('./preflight.js')],
  [['declare', 'classify', 'post-update', 'record-notification', 'record-containment', 'incident-tick', 'close-incident', 'write-postmortem'], () => import('./incident.js')],
  // `runbooks check` compares runbook steps with the program's commands, so it needs all of them.
  [['runbooks'], () => import('./runbooks.js'), { needsAllCommands: true }],
];
