import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import type { GitHubEmulator } from '../../drill/emulators/github/server.js';
import { blobSha, type FileRecord } from '../../drill/emulators/github/state.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { recordedOnIssue } from '../../drill/runbook/incident-ledger.js';
import { ensureBadEcsDeploy } from '../../drill/runbook/kit-compute.js';
import { direct } from '../../drill/runbook/kit-evidence.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import type { RunbookWorld } from '../../drill/runbook/world.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';

/**
 * rollback in a runbook drill: before the step, the bad deploy the runbook rolls back happens on
 * the provider it names (a new ECS task definition revision, a new Worker version at 100%, an Argo
 * CD sync to a new revision, a GitHub deployment of a bad commit after a good one). verify: the
 * service runs the revision before the bad one, the Worker's previous version serves, the Argo CD
 * app is on the previous revision, and GitHub has a deployment of the good commit or a pull request
 * whose commit restores the good tree on top of the bad one.
 */

interface GitHubDeploys {
  good: string;
  bad: string;
  /** Deployment ids that existed once the bad build was deployed. */
  before: Set<number>;
}

function parse(input: Readonly<Record<string, unknown>>): { kind: string; id: string } {
  const m = /^(github:environment|aws:ecs-service|cloudflare:worker|argocd:application):(.+)$/.exec(String(input.target ?? ''));
  return m ? { kind: m[1]!, id: m[2]! } : { kind: '', id: String(input.target ?? '') };
}

function commit(gh: GitHubEmulator, text: string): string {
  const head = gh.state.refs.get(`refs/heads/${gh.state.defaultBranch}`)!;
  const files = new Map<string, FileRecord>(gh.state.commits.get(head)!.files);
  const content = Buffer.from(text);
  files.set('release.txt', { content, sha: blobSha(content) });
  const sha = gh.state.addCommit(`deploy ${text}`, [head], files);
  gh.state.refs.set(`refs/heads/${gh.state.defaultBranch}`, sha);
  return sha;
}

function deploy(gh: GitHubEmulator, environment: string, sha: string): number {
  const at = gh.state.now();
  const id = 57_000_000 + gh.state.id();
  gh.state.deployments.set(id, {
    id, ref: sha, sha, task: 'deploy', environment, originalEnvironment: environment, description: '', payload: {}, transientEnvironment: false, productionEnvironment: true, createdAt: at, updatedAt: at,
    statuses: [{ id: 67_000_000 + gh.state.id(), state: 'success', description: '', environment, targetUrl: '', logUrl: '', environmentUrl: '', createdAt: at }],
  });
  return id;
}

async function githubDeploys(world: RunbookWorld, environment: string): Promise<GitHubDeploys> {
  const gh = await world.github();
  return world.once(`rollback:github:${environment}`, async () => {
    gh.state.upsertEnvironment(environment, {});
    const good = commit(gh, `good build for ${environment}`);
    deploy(gh, environment, good);
    const bad = commit(gh, `bad build for ${environment}`);
    deploy(gh, environment, bad);
    return { good, bad, before: new Set(gh.state.deployments.keys()) };
  });
}

async function workerVersions(world: RunbookWorld, name: string): Promise<{ previous: string; bad: string }> {
  const cf = await world.cloudflare();
  return world.once(`rollback:worker:${name}`, async () => {
    if (!cf.state.workers.get(name)) cf.state.seedWorker(name, 1);
    const previous = cf.state.activeWorkerVersion(name)?.id ?? cf.state.workers.get(name)!.versions[0]!.id;
    const bad = cf.state.addWorkerVersion(name);
    cf.state.deployWorker(cf.accountId, name, { versions: [{ version_id: bad.id, percentage: 100 }] }, false);
    return { previous, bad: bad.id };
  });
}

async function argoApp(world: RunbookWorld, name: string): Promise<{ previous: string; live: string }> {
  const argo = await world.argocd();
  return world.once(`rollback:argocd:${name}`, async () => {
    if (!argo.state.get(name)) argo.state.seedApp(name, ['4f1c2a0', '9b7d3e1', 'c0ffee5']);
    const history = argo.state.get(name)!.history;
    return { previous: history[history.length - 2]!.revision, live: history[history.length - 1]!.revision };
  });
}

/** A refusal the runbook expects: the bad deploy is still what runs. */
async function stillBad(world: RunbookWorld, kind: string, id: string): Promise<Expectation> {
  if (kind === 'aws:ecs-service') {
    const [cluster, service] = id.split('/');
    const { bad } = await ensureBadEcsDeploy(world, cluster!, service!);
    const { moto } = await ensureAwsKit(world);
    const ecs = new ECSClient(direct(moto));
    const svc = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service!] })).finally(() => ecs.destroy())).services?.[0];
    return checkEqual(`refused: ${id} still runs what it ran`, svc?.taskDefinition, bad);
  }
  if (kind === 'cloudflare:worker') {
    const cf = await world.cloudflare();
    return checkEqual(`refused: worker ${id} still serves what it served`, cf.state.activeWorkerVersion(id)?.id, (await workerVersions(world, id)).bad);
  }
  if (kind === 'argocd:application') {
    const argo = await world.argocd();
    return checkEqual(`refused: Argo CD ${id} still on the revision it ran`, argo.state.get(id)?.revision, (await argoApp(world, id)).live);
  }
  if (kind === 'github:environment') {
    const gh = await world.github();
    const d = await githubDeploys(world, id);
    return checkEqual(`refused: no new deployment to ${id}`, [...gh.state.deployments.keys()].filter((k) => !d.before.has(k)), []);
  }
  return check(`rollback fixture knows ${kind || id}`, false);
}

export const rollbackFixture: RunbookFixture = {
  async prepare(world, input) {
    const { kind, id } = parse(input);
    if (kind === 'github:environment') await githubDeploys(world, id);
    if (kind === 'aws:ecs-service') {
      const [cluster, service] = id.split('/');
      await ensureBadEcsDeploy(world, cluster!, service!);
    }
    if (kind === 'cloudflare:worker') await workerVersions(world, id);
    if (kind === 'argocd:application') await argoApp(world, id);
  },

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const { kind, id } = parse(outcome.input);
    if (outcome.status !== 'applied' && outcome.status !== 'noop') return [await stillBad(world, kind, id)];
    if (kind === 'github:environment') {
      const gh = await world.github();
      const d = await githubDeploys(world, id);
      if (outcome.input.method === 'pull-request') {
        const pulls = [...gh.state.issues.values()].filter((i) => i.pull?.head.startsWith('firebreak/rollback-'));
        const head = pulls.map((p) => gh.state.commits.get(p.pull!.headSha)).find((c) => c?.parents[0] === d.bad);
        out.push(check('a pull request whose commit sits on the bad build', head !== undefined, `${pulls.length} rollback pull request(s)`));
        out.push(checkEqual('its tree is the good build', head?.files.get('release.txt')?.content.toString(), gh.state.commits.get(d.good)?.files.get('release.txt')?.content.toString()));
      } else {
        const made = [...gh.state.deployments.values()].filter((x) => x.environment === id && !d.before.has(x.id));
        out.push(checkEqual(`one new deployment to ${id}, of the good commit`, made.map((x) => x.sha), [d.good]));
      }
    } else if (kind === 'aws:ecs-service') {
      const [cluster, service] = id.split('/');
      const { good } = await ensureBadEcsDeploy(world, cluster!, service!);
      const { moto } = await ensureAwsKit(world);
      const ecs = new ECSClient(direct(moto));
      const svc = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service!] })).finally(() => ecs.destroy())).services?.[0];
      out.push(checkEqual(`${id} runs the revision before the bad deploy`, svc?.taskDefinition, good));
    } else if (kind === 'cloudflare:worker') {
      const cf = await world.cloudflare();
      const { previous } = await workerVersions(world, id);
      out.push(checkEqual(`worker ${id}: the previous version serves 100%`, cf.state.activeWorkerVersion(id)?.id, previous));
    } else if (kind === 'argocd:application') {
      const argo = await world.argocd();
      const { previous } = await argoApp(world, id);
      out.push(checkEqual(`Argo CD ${id}: synced to the previous revision`, argo.state.get(id)?.revision, previous));
    } else {
      out.push(check(`rollback fixture knows ${String(outcome.input.target)}`, false, 'add it to the rollback runbook fixture'));
    }
    out.push(await recordedOnIssue(world, 'rollback'));
    return out;
  },
};
