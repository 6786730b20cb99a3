import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand, UpdateServiceCommand } from '@aws-sdk/client-ecs';
import { FirebreakError } from '../../core/errors.js';
import { runStep } from '../../core/step.js';
import type { GitHubEmulator } from '../../drill/emulators/github/server.js';
import { blobSha, type FileRecord } from '../../drill/emulators/github/state.js';
import { check, checkEqual, type DrillEnv, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { buildRollbackPorts } from './build-ports.js';
import { rollbackStep } from './step.js';

/**
 * Seeds 003 and 004 "roll back the bad deploy", on every provider rollback knows: a GitHub
 * deployment of the last good commit and a pull request restoring its tree (emulator), an ECS
 * service back to the previous ACTIVE task definition (moto), a Worker back to its previous version
 * (Cloudflare emulator), and an Argo CD Application back to an earlier history id (Argo CD
 * emulator). Each rollback is re-run and must change nothing; one refusal per provider.
 */

const ENVIRONMENT = 'drill-production';
const TDS: string[] = [];
let goodSha = '';
let badSha = '';

export const rollbackScenario: DrillScenario = {
  name: 'rollback',
  description: 'roll a bad deploy back on GitHub, ECS, Cloudflare Workers and Argo CD; re-runs change nothing; refusals change nothing',
  needs: ['aws', 'github', 'cloudflare', 'argocd'],

  async setup(env) {
    const gh = env.github!;
    gh.state.upsertEnvironment(ENVIRONMENT, {});
    goodSha = commit(gh, 'drill-good');
    await deploy(gh, goodSha);
    badSha = commit(gh, 'drill-bad');
    await deploy(gh, badSha);

    const ecs = direct(env);
    await ecs.send(new CreateClusterCommand({ clusterName: 'drill' }));
    TDS.length = 0;
    for (const image of ['web:1', 'web:2', 'web:3']) TDS.push((await ecs.send(new RegisterTaskDefinitionCommand({ family: 'drill-web', containerDefinitions: [{ name: 'web', image, memory: 128 }] }))).taskDefinition!.taskDefinitionArn!);
    await ecs.send(new CreateServiceCommand({ cluster: 'drill', serviceName: 'web', taskDefinition: TDS[2]!, desiredCount: 2 }));
    await ecs.send(new UpdateServiceCommand({ cluster: 'drill', service: 'web', desiredCount: 2 }));
    ecs.destroy();

    const cf = env.cloudflare!;
    cf.state.seedWorker('drill-edge', 1);
    const bad = cf.state.addWorkerVersion('drill-edge');
    cf.state.deployWorker(cf.accountId, 'drill-edge', { versions: [{ version_id: bad.id, percentage: 100 }] }, false);

    env.argocd!.state.seedApp('drill-shop', ['1111111', '2222222', '3333333']);
    env.argocd!.state.seedApp('drill-auto', ['aaaaaaa', 'bbbbbbb'], { automated: { selfHeal: true } });
  },

  async run(env) {
    const out: Expectation[] = [];
    const ports = () => buildRollbackPorts(env.env, { sleep: env.sleep, clock: env.clock, timeoutMs: 5_000 });
    const ctx = () => env.context({ runUrl: 'https://github.example/drill/actions/runs/13' });
    const rollback = (raw: Record<string, unknown>) => runStep(rollbackStep, raw, ports(), ctx());
    const refused = async (raw: Record<string, unknown>) => {
      const e = await rollback(raw).catch((x: unknown) => x);
      return e instanceof FirebreakError ? e.code : `not refused: ${String((e as { result?: unknown }).result ? 'ran' : e)}`;
    };

    // GitHub: a deployment of the last good commit, then a pull request restoring its tree.
    const gh = env.github!;
    const dep = await rollback({ target: `github:environment:${ENVIRONMENT}` });
    const newest = [...gh.state.deployments.values()].filter((d) => d.environment === ENVIRONMENT).sort((a, b) => b.id - a.id)[0];
    out.push(checkEqual('GitHub: a deployment of the last good commit', { status: dep.result?.status, sha: newest?.sha }, { status: 'ok', sha: goodSha }));
    out.push(checkEqual('GitHub: the deployment re-run changes nothing', (await rollback({ target: `github:environment:${ENVIRONMENT}` })).result?.status, 'noop'));
    const pr = await rollback({ target: `github:environment:${ENVIRONMENT}`, method: 'pull-request', rollbackId: 'drill-pr' });
    const pull = [...gh.state.issues.values()].find((i) => i.pull?.head.startsWith('firebreak/rollback-'));
    const head = pull ? gh.state.commits.get(pull.pull!.headSha) : undefined;
    out.push(check('GitHub: a pull request whose one commit restores the good tree on top of the branch', pr.result?.status === 'ok' && head?.parents[0] === badSha && head.files.get('app.js')?.content.toString() === 'drill-good', `head ${head?.sha}`));
    gh.state.protectedBranches.add('main');
    const pushed = await rollback({ target: `github:environment:${ENVIRONMENT}`, method: 'push', rollbackId: 'drill-push' }).catch((e: unknown) => e);
    out.push(check('GitHub: a push to a protected branch fails clearly and moves nothing', pushed instanceof FirebreakError && gh.state.refs.get('refs/heads/main') === badSha, String(pushed)));
    gh.state.protectedBranches.delete('main');

    // ECS: back to the previous ACTIVE task definition, steady.
    const ecsRun = await rollback({ target: 'aws:ecs-service:drill/web' });
    const ecs = direct(env);
    const td = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'drill', services: ['web'] }))).services?.[0]?.taskDefinition;
    out.push(checkEqual('ECS: the service runs the previous revision, steady', { status: ecsRun.result?.status, td: await td() }, { status: 'ok', td: TDS[1] }));
    out.push(checkEqual('ECS: the re-run changes nothing (not one revision further back)', { status: (await rollback({ target: 'aws:ecs-service:drill/web' })).result?.status, td: await td() }, { status: 'noop', td: TDS[1] }));
    out.push(checkEqual('ECS: an unknown revision is refused', await refused({ target: 'aws:ecs-service:drill/web', to: '9', rollbackId: 'drill-ecs-9' }), 'TASK_DEFINITION_NOT_FOUND'));
    ecs.destroy();

    // Workers: the previous version at 100%.
    const cf = env.cloudflare!;
    const previous = cf.state.workers.get('drill-edge')!.versions[1]!;
    const w = await rollback({ target: 'cloudflare:worker:drill-edge' });
    out.push(checkEqual('Workers: the previous version serves 100%', { status: w.result?.status, live: cf.state.activeWorkerVersion('drill-edge')?.id }, { status: 'ok', live: previous.id }));
    out.push(checkEqual('Workers: the re-run changes nothing', (await rollback({ target: 'cloudflare:worker:drill-edge' })).result?.status, 'noop'));

    // Argo CD: an earlier history id; automated sync refused.
    const a = await rollback({ target: 'argocd:application:drill-shop' });
    out.push(checkEqual('Argo CD: synced to the previous revision', { status: a.result?.status, revision: env.argocd!.state.get('drill-shop')?.revision }, { status: 'ok', revision: '2222222' }));
    out.push(checkEqual('Argo CD: the re-run changes nothing', (await rollback({ target: 'argocd:application:drill-shop' })).result?.status, 'noop'));
    out.push(checkEqual('Argo CD: automated sync is refused', await refused({ target: 'argocd:application:drill-auto' }), 'ARGOCD_AUTO_SYNC'));
    out.push(checkEqual('Argo CD: the auto-synced app is untouched', env.argocd!.state.get('drill-auto')?.revision, 'bbbbbbb'));
    return out;
  },
};

function commit(gh: GitHubEmulator, text: string): string {
  const head = gh.state.refs.get(`refs/heads/${gh.state.defaultBranch}`)!;
  const files = new Map<string, FileRecord>(gh.state.commits.get(head)!.files);
  const content = Buffer.from(text);
  files.set('app.js', { content, sha: blobSha(content) });
  const sha = gh.state.addCommit(`deploy ${text}`, [head], files);
  gh.state.refs.set(`refs/heads/${gh.state.defaultBranch}`, sha);
  return sha;
}

async function deploy(gh: GitHubEmulator, sha: string): Promise<void> {
  const at = gh.state.now();
  const id = 55_000_000 + gh.state.id();
  gh.state.deployments.set(id, {
    id, ref: sha, sha, task: 'deploy', environment: ENVIRONMENT, originalEnvironment: ENVIRONMENT, description: '', payload: {}, transientEnvironment: false, productionEnvironment: true, createdAt: at, updatedAt: at,
    statuses: [{ id: 66_000_000 + gh.state.id(), state: 'success', description: '', environment: ENVIRONMENT, targetUrl: '', logUrl: '', environmentUrl: '', createdAt: at }],
  });
}

function direct(env: DrillEnv): ECSClient {
  return new ECSClient({ region: env.aws!.region, endpoint: env.aws!.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}
