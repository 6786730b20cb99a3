import { CreateClusterCommand, CreateServiceCommand, DescribeServicesCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { runStep } from '../../core/step.js';
import { checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { buildRestartServicePorts } from './runtime.js';
import { restartServiceStep } from './step.js';

/** Seed 004: restart the backend and scale it to 3, until steady. */
export const restartServiceScenario: DrillScenario = {
  name: 'restart-service',
  description: 'restart an ECS service and scale it to 3, wait for steady state, re-run is a no-op (moto)',
  needs: ['aws'],

  async run(env) {
    const out: Expectation[] = [];
    const aws = env.aws!;
    const ecs = new ECSClient({ region: aws.region, endpoint: aws.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    try {
      await ecs.send(new CreateClusterCommand({ clusterName: 'drill-shop' }));
      const td = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'drill-backend', containerDefinitions: [{ name: 'backend', image: 'backend:7', memory: 256 }] }));
      await ecs.send(new CreateServiceCommand({ cluster: 'drill-shop', serviceName: 'backend', taskDefinition: td.taskDefinition!.taskDefinitionArn!, desiredCount: 1 }));
      const ports = buildRestartServicePorts({ ...env.env, ...aws.env() }, { clock: env.clock, sleep: env.sleep, pollMs: 1_000, callAttempts: 2 });
      const run = await runStep(restartServiceStep, { target: 'aws:ecs-service:drill-shop/backend', count: '3', timeoutMinutes: '2' }, ports, env.context());
      out.push(checkEqual('scaled, restarted and steady', run.result?.outcomes.map((o) => `${o.action}:${o.status}`), ['scale:applied', 'restart:applied', 'wait-steady:applied']));
      const s = (await ecs.send(new DescribeServicesCommand({ cluster: 'drill-shop', services: ['backend'] }))).services![0]!;
      out.push(checkEqual('desired 3, one deployment', [s.desiredCount, s.deployments?.length], [3, 1]));
      const again = await runStep(restartServiceStep, { target: 'aws:ecs-service:drill-shop/backend', count: '3', restart: 'false' }, ports, env.context());
      out.push(checkEqual('re-run with the count there: no-op', again.result?.status, 'noop'));
    } finally {
      ecs.destroy();
    }
    return out;
  },
};
