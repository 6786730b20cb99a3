import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListCommandsCommand, SSMClient } from '@aws-sdk/client-ssm';
import { documentName, RUN_COMMAND_CATALOGUE } from '../../core/run-command/catalogue.js';
import { KIT_VARIABLES } from '../../core/names.js';
import type { RunbookFixture } from '../../drill/runbook/fixture.js';
import { ensureInstance } from '../../drill/runbook/kit-compute.js';
import { direct, readEvidence } from '../../drill/runbook/kit-evidence.js';
import { ensureAwsKit } from '../../drill/runbook/kit.js';
import { check, checkEqual, type Expectation } from '../../drill/scenario.js';
import { provisionRunCommandDocuments } from './fixture.js';

/**
 * run-command in a runbook drill: the kit's vetted SSM documents (provisioned as the kit does) and
 * the hosts the runbook names, as real moto instances aliased to its ids. verify reads moto's Run
 * Command history: a command with the catalogue document and the runbook's parameters was sent to
 * exactly those instances, and its output is kept in the evidence bucket.
 */
const PREFIX = 'fb-runbook';

const idsOf = (input: Readonly<Record<string, unknown>>): string[] =>
  String(input.instances ?? '')
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => t.replace(/^aws:instance:/, ''));

/**
 * Whether moto's record of a command says it went to exactly `asked`. moto adds to a command's
 * InstanceIds every instance its Targets select, and a command sent by instance id has no Targets,
 * which moto reads as "no filter": every instance in the account. So a record listing exactly the
 * account's instances is also what a send to `asked` alone looks like, when `asked` is among them;
 * any other list must be `asked` itself.
 */
export function sentToExactly(recorded: readonly string[], asked: readonly string[], accountInstances: readonly string[]): boolean {
  const sorted = (xs: readonly string[]) => JSON.stringify([...new Set(xs)].sort());
  if (sorted(recorded) === sorted(asked)) return true;
  return sorted(recorded) === sorted(accountInstances) && asked.length > 0 && asked.every((id) => accountInstances.includes(id));
}

export const runCommandFixture: RunbookFixture = {
  async prepare(world, input) {
    const { moto } = await ensureAwsKit(world);
    await world.once('run-command:documents', async () => {
      await provisionRunCommandDocuments(moto, PREFIX);
      world.env[KIT_VARIABLES.ssmDocumentPrefix] = PREFIX;
    });
    for (const id of idsOf(input)) await ensureInstance(world, id);
  },

  async verify(world, outcome) {
    const out: Expectation[] = [];
    const { moto } = await ensureAwsKit(world);
    const entry = RUN_COMMAND_CATALOGUE.find((e) => e.name === (outcome.input.document ?? 'host-health'));
    if (!entry) return [check(`${String(outcome.input.document)} is in the catalogue`, false)];
    const doc = documentName(PREFIX, entry);
    const ssm = new SSMClient(direct(moto));
    const commands = (await ssm.send(new ListCommandsCommand({})).finally(() => ssm.destroy())).Commands ?? [];
    const ec2 = new EC2Client(direct(moto));
    const everyInstance = ((await ec2.send(new DescribeInstancesCommand({})).finally(() => ec2.destroy())).Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId!));
    const ids = idsOf(outcome.input);
    const given = Object.fromEntries(
      String(outcome.input.parameters ?? '')
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const sent = commands.filter((c) => c.DocumentName === doc && sentToExactly(c.InstanceIds ?? [], ids, everyInstance));
    out.push(check(`${doc} was sent to ${ids.join(', ')}`, sent.length > 0, `commands: ${commands.map((c) => `${c.DocumentName} → ${(c.InstanceIds ?? []).join(',')}`).join('; ') || 'none'}`));
    const ran = ((outcome.result as { outcomes?: Array<{ target: string }> } | undefined)?.outcomes ?? []).map((o) => o.target.replace(/^aws:instance:/, ''));
    out.push(checkEqual('the step ran on exactly the hosts the runbook named', [...new Set(ran)].sort(), [...ids].sort()));
    const last = sent[sent.length - 1];
    for (const [k, v] of Object.entries(given)) out.push(checkEqual(`parameter ${k} as the runbook gave it`, last?.Parameters?.[k], [v]));
    const incident = outcome.incidentId ?? world.incidentId;
    if (incident) {
      const reason = ((outcome.result as { outcomes?: Array<{ reason: string }> } | undefined)?.outcomes ?? []).map((o) => o.reason).join(' ');
      const key = /full output: s3:\/\/[^/\s]+\/([^\s;,)]+)/.exec(reason)?.[1];
      const kept = key ? await readEvidence(world, key.replace(/\.$/, '')) : undefined;
      out.push(check('the full output is kept in the evidence bucket', kept !== undefined && kept.text.length > 0, reason.slice(0, 300)));
    }
    return out;
  },
};
