import type { Command } from 'commander';
import { readKitVariables } from '../../core/names.js';
import { realSleep } from '../../core/runtime.js';
import { buildPreflightPorts } from '../../runtime/ports/preflight.js';
import { preflightStep } from '../../capabilities/preflight/step.js';
import { ioOf } from '../io.js';
import { addStepOptions, runStepCommand } from '../run-step.js';

/**
 * `firebreak preflight`: before the incident, from the laptop you would use during one: can these
 * credentials act (AWS identity, the responder role) and are the kit's variables set in this shell?
 * Read-only; `--apply` runs the checks, without it the plan lists them.
 */
export function register(program: Command): void {
  addStepOptions(
    program
      .command('preflight')
      .description('check that the responder can act: AWS identity and the kit variables (read-only)')
      .option('--checks <list>', 'comma separated: aws, variables (default: all)'),
  ).action(async (o: { checks?: string }, cmd: Command) => {
    const checks = o.checks
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean);
    await runStepCommand(cmd, preflightStep, { ...(checks?.length ? { checks } : {}), variables: readKitVariables(ioOf(cmd).env) }, {
      ports: ({ env }) => buildPreflightPorts({ env, sleep: realSleep }),
    });
  });
}
