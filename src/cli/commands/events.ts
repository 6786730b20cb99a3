import * as github from '@actions/github';
import type { Command } from 'commander';
import { handleAlert } from '../../alerts/handle-alert.js';
import { pollScanningCommand } from '../../alerts/poll-command.js';
import { ENVIRONMENT_NAME } from '../../core/config/sections/alerts.js';
import { InputError } from '../../core/errors.js';
import { handleComment } from '../../issueops/handle-comment.js';
import { eventRunDeps } from '../../runtime/event-runs.js';
import { globalsOf, ioOf, printJson } from '../io.js';
import { stderrLogger } from '../run-step.js';

/**
 * `firebreak alert` and `firebreak issueops plan|apply`: the entry points of alert.yml and
 * issueops.yml. They take no value from the workflow: the triggering event is read with
 * @actions/github's `context` (GITHUB_EVENT_NAME and the payload file at GITHUB_EVENT_PATH), so no
 * payload field ever passes through a `run:` line, an expression or an argument.
 */
export function register(program: Command): void {
  program
    .command('alert')
    .description('Turn the triggering alert event (repository_dispatch firebreak-alert, code_scanning_alert, secret_scanning_alert) into incident work per alerts.rules')
    .option('--config <file>', 'firebreak.yml to use')
    .action(async (opts: { config?: string }, command: Command) => {
      const io = ioOf(command);
      const deps = await eventRunDeps({ env: io.env, cwd: io.cwd, configFile: opts.config, logger: () => stderrLogger(io, globalsOf(command).verbose), ...(io.clock ? { clock: io.clock } : {}), ...(io.sleep ? { sleep: io.sleep } : {}) });
      const outcome = await handleAlert(deps, github.context.eventName, github.context.payload);
      report(io, globalsOf(command).json, outcome);
      if (outcome.kind !== 'ignored' && outcome.steps.some((s) => s.error !== undefined)) process.exitCode = 1;
    })
    .command('poll-scanning')
    .description('List open code-scanning and secret-scanning alerts (no workflow can be triggered by them) and turn each into incident work per alerts.rules; an alert already on an incident is left alone')
    .option('--config <file>', 'firebreak.yml to use')
    .option('--source <name...>', 'code-scanning and/or secret-scanning (default: both)')
    .option('--max-pages <n>', 'pages of 100 alerts read per list and poll (default 10)')
    .action(async (opts: { config?: string; source?: string[]; maxPages?: string }, command: Command) => pollScanningCommand(opts, command));

  program
    .command('issueops')
    .description('Run the /firebreak command of the triggering issue comment: plan (dry run, reply) or apply (after the environment approves)')
    .argument('<phase>', 'plan or apply')
    .option('--config <file>', 'firebreak.yml to use')
    .action(async (phase: string, opts: { config?: string }, command: Command) => {
      if (phase !== 'plan' && phase !== 'apply') throw new InputError(`phase must be plan or apply, got ${JSON.stringify(phase.slice(0, 20))}`, { field: 'phase', code: 'USAGE' });
      const io = ioOf(command);
      const deps = await eventRunDeps({ env: io.env, cwd: io.cwd, configFile: opts.config, logger: () => stderrLogger(io, globalsOf(command).verbose), ...(io.clock ? { clock: io.clock } : {}), ...(io.sleep ? { sleep: io.sleep } : {}) });
      const outcome = await handleComment(deps, github.context.eventName, github.context.payload, phase);
      report(io, globalsOf(command).json, outcome);
      // The plan job tells the workflow which apply job (if any) runs, one of two fixed words, and
      // the environment that gates it: only ever a name from issueops.environments (checked above).
      const lane = outcome.kind === 'planned' ? outcome.lane : '';
      const environment = outcome.kind === 'planned' && outcome.lane === 'production' ? (outcome.environment ?? '') : '';
      const output = io.env.GITHUB_OUTPUT;
      if (phase === 'plan' && output) {
        const { appendFile } = await import('node:fs/promises');
        await appendFile(output, planOutputs(lane, environment));
      }
      if (outcome.kind === 'failed') process.exitCode = 1;
    });

  program
    .command('alert-bridge')
    .description('Check that the GuardDuty → GitHub alert bridge (EventBridge rule, API destination, connection) delivers to this repository')
    .requiredOption('--rule <name>', 'the EventBridge rule AlertBridge created (its ruleName output), or one of AlertRelay\'s')
    .option('--event-bus <name>', 'the relay\'s event bus (AlertRelay\'s eventBusName output) for a relay rule')
    .option('--repository <owner/repo>', 'the repository the alerts must reach (default: $GITHUB_REPOSITORY)')
    .action(async (opts: { rule: string; repository?: string; eventBus?: string }, command: Command) => {
      const io = ioOf(command);
      const { EventBridgeClient } = await import('@aws-sdk/client-eventbridge');
      const { checkAlertBridge } = await import('../../alerts/bridge-check.js');
      const { awsClientConfig, githubRepository } = await import('../../runtime/clients.js');
      const repo = opts.repository ?? Object.values(githubRepository(io.env)).join('/');
      const client = new EventBridgeClient(awsClientConfig(io.env));
      try {
        const problems = await checkAlertBridge(client, { ruleName: opts.rule, repository: repo, ...(opts.eventBus ? { eventBusName: opts.eventBus } : {}), ...(io.env.GITHUB_API_URL ? { githubApiUrl: io.env.GITHUB_API_URL } : {}) });
        if (globalsOf(command).json) printJson(io, { ok: problems.length === 0, problems });
        else io.stdout(problems.length ? problems.map((p) => `✗ ${p}`).join('\n') : `✓ rule ${opts.rule} delivers ${opts.eventBus ? 'relayed alerts' : 'GuardDuty findings'} to ${repo}`);
        if (problems.length) process.exitCode = 1;
      } finally {
        client.destroy();
      }
    });
}

/** The plan job's outputs, refusing anything but the fixed words and a plain environment name. */
export function planOutputs(lane: string, environment: string): string {
  if (lane !== '' && lane !== 'incident' && lane !== 'production') throw new Error(`unexpected lane ${JSON.stringify(lane)}`);
  if (environment !== '' && !ENVIRONMENT_NAME.test(environment)) throw new Error('the apply environment is not a plain environment name');
  return `lane=${lane}\nenvironment=${environment}\n`;
}

function report(io: ReturnType<typeof ioOf>, json: boolean, outcome: object): void {
  if (json) printJson(io, outcome);
  else io.stderr(io.redactor.scrub(JSON.stringify(outcome)));
}
