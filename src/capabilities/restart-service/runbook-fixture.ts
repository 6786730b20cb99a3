import { parseTarget, type TargetRef } from '../../core/target.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { ecsServiceState, ensureEcsService, type EcsServiceSnapshot } from '../../drill/runbook/kit-ecs.js';
import { beforeStep, refusedWhole } from '../../drill/runbook/kit-leaks.js';

/**
 * restart-service: the ECS service the target names exists (cluster, two task definition revisions,
 * one steady deployment). After the step it runs a NEW deployment of the SAME task definition when
 * a restart was asked, has the desired count when a count was given, and is steady. A refused step
 * changed nothing.
 */
const seen = beforeStep<EcsServiceSnapshot>();

function serviceOf(input: Readonly<Record<string, unknown>>): (TargetRef & { cluster: string; service: string }) | undefined {
  try {
    const t = parseTarget(String(input.target ?? ''), { kinds: ['aws:ecs-service'] });
    const [cluster, service] = t.id.split('/');
    return cluster && service ? { ...t, cluster, service } : undefined;
  } catch {
    return undefined; // The step refuses a bad target itself; nothing to provision.
  }
}

const isFalse = (v: unknown) => v === false || v === 'false';

export const restartServiceFixture: RunbookFixture = {
  async prepare(world, input) {
    const t = serviceOf(input);
    if (!t) return;
    const region = t.scope.region;
    await ensureEcsService(world, t.cluster, t.service, region ? { region } : {});
    const now = await ecsServiceState(world, t.cluster, t.service, region);
    if (now) seen.set(world, `${t.cluster}/${t.service}`, now);
  },

  async verify(world, outcome) {
    const t = serviceOf(outcome.input);
    if (!t) return [check('restart-service: the target names an ECS service', outcome.code !== undefined, String(outcome.input.target))];
    const label = `${t.cluster}/${t.service}`;
    const before = seen.get(world, label);
    const now = await ecsServiceState(world, t.cluster, t.service, t.scope.region);
    const out: Expectation[] = [check(`${label} exists`, now !== undefined && before !== undefined)];
    if (!now || !before) return out;
    if (refusedWhole(outcome)) {
      out.push(checkEqual(`refused: ${label} unchanged`, now, before));
      return out;
    }
    if (!isFalse(outcome.input.restart)) {
      out.push(check(`${label} got a new deployment`, now.deploymentIds.every((id) => !before.deploymentIds.includes(id)) && now.deploymentIds.length > 0, `before ${before.deploymentIds.join(', ')}; now ${now.deploymentIds.join(', ')}`));
      out.push(checkEqual(`${label} restarted from the same task definition`, now.taskDefinition, before.taskDefinition));
    }
    if (outcome.input.count !== undefined && outcome.input.count !== '') out.push(checkEqual(`${label} desired count`, now.desiredCount, Number(outcome.input.count)));
    out.push(check(`${label} is steady (one deployment, running = desired)`, now.deploymentIds.length === 1 && now.runningCount === now.desiredCount, JSON.stringify(now)));
    return out;
  },
};
