import { resolve } from 'node:path';
import type { Octokit } from '@octokit/rest';
import type { CapabilityDefinition } from '../capabilities/types.js';
import type { FirebreakConfig } from '../core/config/schema.js';
import type { Redactor } from '../core/redact.js';
import type { Clock, Logger, Sleep } from '../core/runtime.js';
import type { GuardOverride } from '../core/step.js';
import type { AuditMirrorFactory } from './audit-mirrors.js';
import { runCapabilityWith } from './capability-run.js';
import { githubRepository } from './clients.js';
import { loadConfigFile } from './config-file.js';
import { DEFAULT_AUDIT_FILE, ENV } from './env.js';
import { githubClient } from './github-client.js';
import type { Env, SessionRun } from './session.js';

/**
 * What the event-driven entry points (alerts, IssueOps) share: the repository's client, the config,
 * and a `run` that sends a capability through the run session with the event's actor.
 */
export interface EventRunDeps {
  octokit: Octokit;
  owner: string;
  repo: string;
  config: FirebreakConfig;
  run(req: { def: CapabilityDefinition; raw: Record<string, unknown>; dryRun: boolean; incidentId: string | null; overrides?: GuardOverride[]; actor: string }): Promise<SessionRun<unknown>>;
}

export interface EventRunOptions {
  env: Env;
  cwd: string;
  configFile?: string | undefined;
  logger(redactor: Redactor): Logger;
  clock?: Clock;
  sleep?: Sleep;
  mirrors?: readonly AuditMirrorFactory[];
}

export async function eventRunDeps(opts: EventRunOptions): Promise<EventRunDeps> {
  const { owner, repo } = githubRepository(opts.env);
  const config = await loadConfigFile(opts.configFile, { env: opts.env, cwd: opts.cwd });
  const auditFile = resolve(opts.cwd, opts.env[ENV.auditFile]?.trim() || DEFAULT_AUDIT_FILE);
  const server = opts.env.GITHUB_SERVER_URL?.trim();
  const runId = opts.env.GITHUB_RUN_ID?.trim();
  const runUrl = server && runId ? `${server.replace(/\/+$/, '')}/${owner}/${repo}/actions/runs/${runId}` : null;
  return {
    octokit: githubClient(opts.env),
    owner,
    repo,
    config,
    run: (req) =>
      runCapabilityWith({
        ...req,
        runUrl,
        env: opts.env,
        auditFile,
        config: async () => config,
        logger: opts.logger,
        ...(opts.clock ? { clock: opts.clock } : {}),
        ...(opts.sleep ? { sleep: opts.sleep } : {}),
        ...(opts.mirrors ? { mirrors: opts.mirrors } : {}),
      }),
  };
}
