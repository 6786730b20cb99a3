import type { Command } from 'commander';
import { register as audit } from './audit.js';
import { register as blockIps } from './block-ips.js';
import { register as config } from './config.js';
import { register as deadlines } from './deadlines.js';
import { register as incident } from './incident.js';
import { register as runbooks } from './runbooks.js';

/**
 * Every CLI command, in `--help` order. A capability adds `src/cli/commands/<slug>.ts` exporting
 * `register(program)` and ONE line here.
 */
export const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  audit,
  blockIps,
  config,
  deadlines,
  incident,
  runbooks,
];
