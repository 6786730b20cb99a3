import { InputError, asError } from '../../core/errors.js';
import type { Change, Outcome, Unchanged } from '../../core/plan.js';
import type { StepContext } from '../../core/step.js';
import type { CommitInfo, DeploymentInfo, GitHubDeploys } from './ports.js';
import type { PlanPart, RollbackInput } from './shared.js';

/**
 * GitHub rollback: find the known-good commit (the given SHA, or the newest deployment of the
 * environment that succeeded with a commit other than the live one), then
 *
 *   deployment:   create a deployment of it (auto_merge off, no required contexts) carrying the
 *                 run's marker in its payload; the team's deploy workflow reacts to `deployment`;
 *   pull-request: one commit with the known-good tree on top of the branch head (git data API,
 *                 no checkout), on branch firebreak/rollback-<marker>, and a pull request;
 *   push:         the same commit, then a non-force update of the branch (branch protection refuses).
 *
 * Re-runs: the marker (payload, branch name, commit trailer) tells this run's own rollback apart,
 * so a second run after the revert was deployed does not "roll back" to the bad commit.
 */

export interface GitHubMeta {
  provider: 'github';
  method: 'deployment' | 'pull-request' | 'push';
  marker: string;
  environment: string | null;
  goodSha: string;
  liveSha: string | null;
  branch?: string;
  head?: string;
  tree?: string;
  /** pull-request: the rollback branch already exists (an earlier attempt created it). */
  branchExists?: boolean;
  rollbackBranch?: string;
}

// The git data API reads commits by their full id only.
const SHA = /^[0-9a-f]{40}$/;
export const TRAILER = 'Firebreak-Rollback';
/** How many deployments of the environment are read to find the last good one and the marker. */
const DEPLOYMENT_WINDOW = 50;
/** How far down the branch a push's marker commit is looked for. */
const MARKER_DEPTH = 20;

export async function planGitHub(input: RollbackInput, gh: GitHubDeploys, marker: string, label: string): Promise<PlanPart<GitHubMeta>> {
  const environment = input.target.kind === 'environment' ? input.target.id : null;
  if (input.method === 'deployment' && !environment) {
    throw new InputError('method deployment needs an environment target (github:environment:<env>)', { field: 'method', code: 'INPUT_CONFLICT' });
  }
  if (input.to !== undefined && !SHA.test(input.to)) throw new InputError(`to: ${JSON.stringify(input.to.slice(0, 60))} is not a full 40-character commit SHA`, { field: 'to', code: 'INPUT_INVALID' });
  const warnings: string[] = [];
  const deployments = environment ? await gh.deployments(environment, DEPLOYMENT_WINDOW) : [];
  const succeeded = deployments.filter((d) => d.statuses.includes('success'));
  const live = succeeded[0];

  if (input.method === 'deployment') {
    const mine = deployments.find((d) => markerOf(d) === marker);
    if (mine) {
      const state = mine.statuses[0] ?? 'pending';
      return unchangedPart(label, environment!, `rollback deployment ${mine.id} of ${short(mine.sha)} was already created by this run (latest status: ${state})`, {
        provider: 'github', method: 'deployment', marker, environment, goodSha: mine.sha, liveSha: live?.sha ?? null,
      }, state === 'failure' || state === 'error' ? [`Deployment ${mine.id} ended in ${state}: look at the deploy workflow's run. A new rollback needs a new rollback-id.`] : []);
    }
  }

  let good: CommitInfo | undefined;
  if (input.to) {
    good = await gh.commit(input.to);
    if (!good) throw new InputError(`commit ${input.to} does not exist in ${gh.repository}`, { field: 'to', code: 'COMMIT_NOT_FOUND' });
  } else {
    if (!environment) throw new InputError('a branch target needs `to`: the known-good commit SHA', { field: 'to', code: 'INPUT_MISSING' });
    if (!live) {
      throw new InputError(`environment ${environment} has no successful deployment in its last ${DEPLOYMENT_WINDOW}: nothing to tell a good commit from`, {
        field: 'target',
        code: 'NO_SUCCESSFUL_DEPLOYMENT',
        hint: 'Nothing was changed. Pass `to` with the known-good commit SHA.',
      });
    }
    // Commits an earlier rollback moved away from are known bad: never "good" for a later one.
    const knownBad = new Set(deployments.map(rolledBackFrom).filter((s): s is string => s !== undefined));
    const previous = succeeded.find((d) => d.sha !== live.sha && !knownBad.has(d.sha));
    if (!previous) {
      throw new InputError(`environment ${environment}: no earlier successful deployment of a commit other than the live ${short(live.sha)}`, {
        field: 'target',
        code: 'NO_PREVIOUS_VERSION',
        hint: 'Nothing was changed. Pass `to` with the known-good commit SHA.',
      });
    }
    good = await gh.commit(previous.sha);
    if (!good) throw new InputError(`deployment ${previous.id} names commit ${previous.sha}, which no longer exists`, { field: 'target', code: 'COMMIT_NOT_FOUND' });
  }

  if (input.method === 'deployment') {
    const meta: GitHubMeta = { provider: 'github', method: 'deployment', marker, environment, goodSha: good.sha, liveSha: live?.sha ?? null };
    if (live?.sha === good.sha) return unchangedPart(label, environment!, `the live deployment ${live.id} is already ${short(good.sha)}`, meta, warnings);
    const change: Change = { target: label, action: 'create-deployment', subject: environment!, detail: { sha: good.sha, from: live?.sha ?? null, environment } };
    return { changes: [change], unchanged: [], warnings, meta };
  }

  const branch = input.branch ?? (input.target.kind === 'branch' ? input.target.id : await gh.defaultBranch());
  const head = await gh.branchHead(branch);
  if (!head) throw new InputError(`branch ${branch} does not exist in ${gh.repository}`, { field: 'branch', code: 'BRANCH_NOT_FOUND' });
  const headCommit = await gh.commit(head);
  if (!headCommit) throw new InputError(`branch ${branch} points at ${head}, which cannot be read`, { field: 'branch', code: 'COMMIT_NOT_FOUND' });
  const rollbackBranch = `firebreak/rollback-${marker}`;
  const base: GitHubMeta = { provider: 'github', method: input.method, marker, environment, goodSha: good.sha, liveSha: live?.sha ?? null, branch, head, tree: good.tree, rollbackBranch };

  if (input.method === 'pull-request') {
    const pull = await gh.findPull(rollbackBranch);
    if (pull) return unchangedPart(label, branch, `pull request #${pull.number} (${pull.merged ? 'merged' : pull.state}) was already opened by this run: ${pull.url}`, base, warnings);
    if (await gh.branchHead(rollbackBranch)) {
      const change: Change = { target: label, action: 'open-pull-request', subject: branch, detail: { head: rollbackBranch, restores: good.sha, note: 'branch created by an earlier attempt' } };
      return { changes: [change], unchanged: [], warnings, meta: { ...base, branchExists: true } };
    }
  } else {
    const mine = await findMarkedCommit(gh, headCommit, marker);
    if (mine) return unchangedPart(label, branch, `commit ${short(mine)} of this run is already on ${branch}`, base, warnings);
  }
  if (headCommit.tree === good.tree) return unchangedPart(label, branch, `${branch} already has the tree of ${short(good.sha)}`, base, warnings);
  const change: Change = {
    target: label,
    action: input.method === 'push' ? 'push-restoring-commit' : 'open-pull-request',
    subject: branch,
    detail: { restores: good.sha, tree: good.tree, onTopOf: head, ...(input.method === 'pull-request' ? { head: rollbackBranch } : {}) },
  };
  return { changes: [change], unchanged: [], warnings, meta: base };
}

export async function applyGitHub(meta: GitHubMeta, gh: GitHubDeploys, change: Change, ctx: StepContext): Promise<Outcome[]> {
  const out = (action: string, status: Outcome['status'], reason: string): Outcome => ({ target: change.target, action, subject: change.subject, status, reason: ctx.redactor.scrub(reason) });
  const why = (e: unknown) => asError(e).message;
  if (meta.method === 'deployment') {
    try {
      const d = await gh.createDeployment({
        sha: meta.goodSha,
        environment: meta.environment!,
        description: `firebreak rollback to ${short(meta.goodSha)}${ctx.incidentId ? ` (${ctx.incidentId})` : ''}`.slice(0, 140),
        payload: { firebreak: { rollback: meta.marker, from: meta.liveSha, to: meta.goodSha, incident: ctx.incidentId } },
      });
      return [out('create-deployment', 'applied', `deployment ${d.id} of ${short(meta.goodSha)} to ${meta.environment} created; the deploy workflow (on: deployment) takes it from here`)];
    } catch (e) {
      return [out('create-deployment', 'failed', `no deployment created (or the answer was lost): ${why(e)}. Re-run the same rollback: it finds a deployment it made by its marker and never makes a second.`)];
    }
  }

  const message = `Roll back to ${short(meta.goodSha)}\n\nRestores the tree of ${meta.goodSha} on top of ${meta.branch}${ctx.incidentId ? ` for ${ctx.incidentId}` : ''}.\n\n${TRAILER}: ${meta.marker}\n`;
  if (meta.method === 'pull-request') {
    const rb = meta.rollbackBranch!;
    if (!meta.branchExists) {
      try {
        const commit = await gh.createCommit({ message, tree: meta.tree!, parents: [meta.head!] });
        await gh.createBranch(rb, commit);
      } catch (e) {
        return [out('create-branch', 'failed', `branch ${rb} not created: ${why(e)}; nothing to review yet. Re-run the same rollback.`), out('open-pull-request', 'skipped', 'no branch')];
      }
    }
    try {
      const pull = await gh.createPull({
        title: `Roll back ${meta.branch} to ${short(meta.goodSha)}${ctx.incidentId ? ` (${ctx.incidentId})` : ''}`,
        head: rb,
        base: meta.branch!,
        body: `Restores the tree of ${meta.goodSha} in one commit on top of ${meta.branch} (${short(meta.head!)}).\n\nOpened by firebreak rollback${ctx.runUrl ? ` in ${ctx.runUrl}` : ''}.`,
      });
      return [...(meta.branchExists ? [] : [out('create-branch', 'applied', `branch ${rb} restores the tree of ${short(meta.goodSha)}`)]), out('open-pull-request', 'applied', `pull request #${pull.number}: ${pull.url}`)];
    } catch (e) {
      return [
        ...(meta.branchExists ? [] : [out('create-branch', 'applied', `branch ${rb} restores the tree of ${short(meta.goodSha)}`)]),
        out('open-pull-request', 'failed', `branch ${rb} is there, the pull request was not opened: ${why(e)}. Re-run the same rollback: it opens the pull request from that branch.`),
      ];
    }
  }

  let commit: string;
  try {
    commit = await gh.createCommit({ message, tree: meta.tree!, parents: [meta.head!] });
  } catch (e) {
    return [out('push-restoring-commit', 'failed', `nothing pushed: ${why(e)}`)];
  }
  try {
    await gh.updateBranch(meta.branch!, commit);
    return [out('push-restoring-commit', 'applied', `${meta.branch} now at ${short(commit)}, the tree of ${short(meta.goodSha)}`)];
  } catch (e) {
    const status = (e as { status?: number }).status;
    const refused = status === 409 || status === 422;
    return [
      out(
        'push-restoring-commit',
        'failed',
        refused
          ? `GitHub refused to move ${meta.branch} (${status}): ${why(e)}. Branch protection or a moved branch; nothing changed. Use method pull-request, or re-run if ${meta.branch} moved.`
          : `${meta.branch} not moved: ${why(e)}. Re-run the same rollback.`,
      ),
    ];
  }
}

function unchangedPart(label: string, subject: string, reason: string, meta: GitHubMeta, warnings: string[]): PlanPart<GitHubMeta> {
  const u: Unchanged = { target: label, subject, reason };
  return { changes: [], unchanged: [u], warnings, meta };
}

function markerOf(d: DeploymentInfo): string | undefined {
  const p = d.payload as { firebreak?: { rollback?: unknown } } | null;
  return typeof p === 'object' && p !== null && typeof p.firebreak?.rollback === 'string' ? p.firebreak.rollback : undefined;
}

function rolledBackFrom(d: DeploymentInfo): string | undefined {
  const p = d.payload as { firebreak?: { from?: unknown } } | null;
  return typeof p === 'object' && p !== null && typeof p.firebreak?.from === 'string' ? p.firebreak.from : undefined;
}

async function findMarkedCommit(gh: GitHubDeploys, head: CommitInfo, marker: string): Promise<string | undefined> {
  let c: CommitInfo | undefined = head;
  for (let i = 0; c && i < MARKER_DEPTH; i++) {
    if (c.message.split('\n').some((line) => line.trim() === `${TRAILER}: ${marker}`)) return c.sha;
    const parent: string | undefined = c.parents[0];
    c = parent ? await gh.commit(parent) : undefined;
  }
  return undefined;
}

export function short(sha: string): string {
  return sha.slice(0, 7);
}
