import type { AuditMirror } from '../../core/audit.js';
import type { FirebreakConfig } from '../../core/config/schema.js';
import type { Clock, Sleep } from '../../core/runtime.js';
import { GitHubIncidentLedger, GitHubIssueAuditMirror } from '../../providers/github/incident-ledger.js';
import type { IncidentPorts } from '../../capabilities/shared/incident-support.js';
import { githubRepository, type Env } from '../clients.js';
import { githubClient } from '../github-client.js';
import { ENV, hasGitHubAccess } from '../env.js';

/** The GitHub ledger for the repository in GITHUB_REPOSITORY (or config `project.repository`). */
export function buildIncidentLedger(deps: { env: Env; sleep: Sleep; clock?: Clock; config?: FirebreakConfig; retryBudgetMs?: number }): GitHubIncidentLedger {
  const repoEnv = deps.env[ENV.githubRepository]?.trim() ? deps.env : { ...deps.env, [ENV.githubRepository]: deps.config?.project.repository };
  const { owner, repo } = githubRepository(repoEnv);
  return new GitHubIncidentLedger(githubClient(deps.env), {
    owner,
    repo,
    sleep: deps.sleep,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(deps.retryBudgetMs === undefined ? {} : { retryBudgetMs: deps.retryBudgetMs }),
  });
}

/** Real ports for every incident step; shared by the actions, the CLI and the drill. */
export function buildIncidentPorts(deps: { env: Env; sleep: Sleep; clock?: Clock; config: FirebreakConfig }): IncidentPorts & { ledger: GitHubIncidentLedger } {
  return { ledger: buildIncidentLedger(deps), config: deps.config.incident };
}

/**
 * The incident-issue audit mirror, when a GitHub token and repository are configured: every step
 * run with an incident id (containment steps of every capability included) lands on the issue.
 */
export function incidentIssueMirror(deps: { env: Env; sleep: Sleep; warn: (m: string) => void }): AuditMirror | undefined {
  if (!hasGitHubAccess(deps.env)) return undefined;
  return new GitHubIssueAuditMirror(buildIncidentLedger(deps), deps.warn);
}
