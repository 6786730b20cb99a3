import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import type { MotoServer } from '../emulators/moto.js';
import { ensureAwsKit } from './kit.js';
import type { RunbookWorld } from './world.js';

/** What a runbook fixture may ask of the ECS service it needs. */
export interface EcsServiceOptions {
  /** Tasks the service runs (default 1). */
  desiredCount?: number;
  /** Image name without tag; revision 1 runs `<image>:1`, revision 2 `<image>:2` (default: the service name). */
  image?: string;
  /** Region the service lives in (a target's `@account/region`); default: moto's region. */
  region?: string;
}

/** The service as `ensureEcsService` left it: the revision it runs and the one a rollback would go to. */
export interface EcsServiceFixture {
  cluster: string;
  service: string;
  clusterArn: string;
  serviceArn: string;
  family: string;
  /** The newest ACTIVE revision below the current one (revision 1 of a service this made): the build a rollback returns to. Equal to current when there is none. */
  previousTaskDefinition: string;
  /** What the service runs (revision 2 of a service this made). */
  currentTaskDefinition: string;
  /** The PRIMARY deployment's id right after prepare (a restart mints a new one). */
  deploymentId: string;
}

const familyOf = (arn: string) => arn.split('/').pop()!.split(':')[0]!;
const revisionOf = (arn: string) => Number(arn.split(':').pop());

/** An ECS client on moto's direct endpoint, so fixture setup and read-back are never faulted or counted. */
export function directEcs(moto: MotoServer, region?: string): ECSClient {
  return new ECSClient({ region: region ?? moto.region, endpoint: moto.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
}

/**
 * Makes an ECS service exist the way a runbook names it (`aws:ecs-service:<cluster>/<service>`): the
 * cluster, a task definition family `<cluster>-<service>` with TWO revisions (so a rollback has a
 * previous build to go to), and the service on revision 2 with one steady deployment. Idempotent:
 * whatever already exists (a second fixture naming the same service, a re-run) is described and
 * kept, never created twice, and a service a step already changed is not reset: an existing service
 * reports its own family and revisions.
 *
 * moto starts a service with runningCount 0 (it has no scheduler); setting the desired count once
 * through UpdateService makes running = desired, so the service is steady before the first step.
 */
export function ensureEcsService(world: RunbookWorld, cluster: string, service: string, opts: EcsServiceOptions = {}): Promise<EcsServiceFixture> {
  return world.once(`ecs-service:${opts.region ?? ''}:${cluster}/${service}`, async () => {
    const { moto } = await ensureAwsKit(world);
    const ecs = directEcs(moto, opts.region);
    try {
      const desiredCount = opts.desiredCount ?? 1;
      const image = opts.image ?? service;

      const clusters = await ecs.send(new DescribeClustersCommand({ clusters: [cluster] }));
      let clusterArn = clusters.clusters?.find((c) => c.status === 'ACTIVE')?.clusterArn;
      if (!clusterArn) clusterArn = (await ecs.send(new CreateClusterCommand({ clusterName: cluster }))).cluster!.clusterArn!;

      // A service that already exists keeps its family and the revision it runs.
      let svc = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.find((s) => s.status === 'ACTIVE');
      const family = svc?.taskDefinition ? familyOf(svc.taskDefinition) : `${cluster}-${service}`;
      const listed = (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: 'ACTIVE', sort: 'ASC' }))).taskDefinitionArns ?? [];
      const revisions = listed.filter((arn) => familyOf(arn) === family).sort((a, b) => revisionOf(a) - revisionOf(b));
      while (!svc && revisions.length < 2) {
        const n = revisions.length + 1;
        const td = await ecs.send(new RegisterTaskDefinitionCommand({ family, containerDefinitions: [{ name: service, image: `${image}:${n}`, memory: 256, essential: true }] }));
        revisions.push(td.taskDefinition!.taskDefinitionArn!);
      }
      const currentTaskDefinition = svc?.taskDefinition ?? revisions[revisions.length - 1]!;
      const below = revisions.filter((arn) => revisionOf(arn) < revisionOf(currentTaskDefinition));
      const previousTaskDefinition = below[below.length - 1] ?? currentTaskDefinition;

      if (!svc) {
        await ecs.send(new CreateServiceCommand({ cluster, serviceName: service, taskDefinition: currentTaskDefinition, desiredCount }));
        svc = (await ecs.send(new UpdateServiceCommand({ cluster, service, desiredCount }))).service!;
      }
      const primary = svc.deployments?.find((d) => d.status === 'PRIMARY') ?? svc.deployments?.[0];
      return {
        cluster,
        service,
        clusterArn,
        serviceArn: svc.serviceArn!,
        family,
        previousTaskDefinition,
        currentTaskDefinition,
        deploymentId: primary?.id ?? '',
      };
    } finally {
      ecs.destroy();
    }
  });
}

export interface EcsServiceSnapshot {
  desiredCount: number;
  runningCount: number;
  taskDefinition: string;
  deploymentIds: string[];
}

/** The service's deployments as ECS reports them now (read through moto's direct endpoint). */
export async function ecsServiceState(world: RunbookWorld, cluster: string, service: string, region?: string): Promise<EcsServiceSnapshot | undefined> {
  const moto = await world.aws();
  const ecs = directEcs(moto, region);
  try {
    const s = (await ecs.send(new DescribeServicesCommand({ cluster, services: [service] }))).services?.find((x) => x.status === 'ACTIVE');
    if (!s) return undefined;
    return { desiredCount: s.desiredCount ?? 0, runningCount: s.runningCount ?? 0, taskDefinition: s.taskDefinition ?? '', deploymentIds: (s.deployments ?? []).map((d) => d.id ?? '') };
  } finally {
    ecs.destroy();
  }
}
