import type { Command } from 'commander';
import { register as audit } from './audit.js';
import { register as config } from './config.js';

/**
 * Every CLI command, in `--help` order. A capability adds `src/cli/commands/<slug>.ts` exporting
 * `register(program)` and ONE line here.
 */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  audit,
  config,
];
